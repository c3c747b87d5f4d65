"""Request ids on every log line and the 500 page; JSON logs and error-tracking events that
never carry a contact detail."""

import io
import json
import logging
import re

import pytest
import sentry_sdk
from django.urls import reverse
from sentry_sdk.transport import Transport

from tests.conftest import event_form_data
from twh.core.logs import JsonFormatter, RequestIdFilter, init_sentry, logging_config

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Quintessa Privatename",
    "contact_email": "quintessa.secret@example.net",
    "contact_phone": "773-555-0142",
}
SECRETS = [*CONTACT.values(), "quintessa.secret", "555-0142"]


@pytest.fixture
def crashing_submission(client, monkeypatch):
    """The submission form breaks after the event is built, with contact details in the
    exception's message and in the local variables of every frame."""

    def crash(event):
        email = event.contact_email
        raise RuntimeError(f"mail queue broke for {email} ({event.contact_phone})")

    monkeypatch.setattr("events.services._queue_submission_emails", crash)
    client.raise_request_exception = False

    def submit(**headers):
        return client.post(reverse("events:submit"), event_form_data(**CONTACT), **headers)

    return submit


@pytest.fixture
def json_log():
    """The root logger writing JSON lines, as with LOG_FORMAT=json, into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)


def test_every_response_carries_a_request_id(client):
    first, second = client.get(reverse("about")), client.get(reverse("about"))
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_kept_unless_it_is_odd(client):
    assert client.get("/about/", HTTP_X_REQUEST_ID="nginx-5f0c2a9e")["X-Request-ID"] == "nginx-5f0c2a9e"
    forged = client.get("/about/", HTTP_X_REQUEST_ID='x" level=INFO msg="forged')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_json_log_lines_carry_the_request_id_and_no_contact_details(crashing_submission, json_log, settings):
    settings.DEBUG = False
    response = crashing_submission(HTTP_X_REQUEST_ID="proxy-id-0001")
    assert response.status_code == 500
    assert "proxy-id-0001" in response.content.decode()  # the 500 page shows the reference
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["request_id"] == "proxy-id-0001" and error["level"] == "ERROR"
    assert "mail queue broke" in error["exception"]  # the traceback is there, scrubbed
    assert {line["request_id"] for line in lines} == {"proxy-id-0001"}
    for secret in SECRETS:
        assert secret not in json_log.getvalue()


def test_plain_log_lines_carry_the_request_id_too():
    record = logging.LogRecord("twh", logging.WARNING, __file__, 1, "sent to %s", ("a.b@example.net",), None)
    RequestIdFilter().filter(record)
    config = logging_config(log_format="plain", level="INFO")
    line = logging.Formatter(config["formatters"]["plain"]["format"]).format(record)
    assert line.endswith("WARNING twh [-] sent to [Filtered]")


def test_log_format_must_be_plain_or_json(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import twh.settings

    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        importlib.reload(twh.settings)
    monkeypatch.delenv("LOG_FORMAT")
    importlib.reload(twh.settings)


class CapturingTransport(Transport):
    """Keeps what would be sent to the error tracker, and sends nothing."""

    def __init__(self):
        super().__init__()
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry():
    transport = CapturingTransport()
    init_sentry(dsn="https://public@errors.example.invalid/1", transport=transport)
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


def test_a_submitted_email_never_reaches_the_error_tracker(crashing_submission, sentry, settings, caplog):
    settings.DEBUG = False
    caplog.set_level(logging.INFO)
    logging.getLogger("events").warning("about to fail for %s", CONTACT["contact_email"])  # a breadcrumb
    response = crashing_submission(HTTP_X_REQUEST_ID="proxy-id-0002")
    assert response.status_code == 500
    sentry_sdk.get_client().flush()
    sent = b"".join(envelope.serialize() for envelope in sentry.envelopes).decode()
    assert "mail queue broke" in sent and "RuntimeError" in sent  # the event is real
    assert "proxy-id-0002" in sent  # tagged with the request id
    assert '"vars"' in sent  # local variables were captured, then scrubbed
    for secret in SECRETS:
        assert secret not in sent, f"{secret!r} would be sent to the error tracker"
