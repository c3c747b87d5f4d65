"""Contact details and precise private points never reach a public page, data download,
log line or error report; hostile markup in every free-text field stays text everywhere."""

import csv
import io
import json
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.views.debug import ExceptionReporter

from events import moderation
from events.models import HealingEvent, HealingMessage
from tests.conftest import event_form_data
from tests.twh.public_pages import public_urls, url
from twh.core.antispam import make_form_token

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Quintessa Privatename",
    "contact_email": "quintessa.secret@example.net",
    "contact_phone": "773-555-0142",
}
MESSAGE_EMAIL = "wall.writer.secret@example.net"
REGISTRANT = {"name": "Ottoline Registrant", "email": "ottoline.secret@example.net",
              "organization": "", "area_or_zip": ""}
REFLECTION_EMAIL = "reflector.secret@example.net"
# 5801 S Ellis Ave, as the fake geocoder places it: an individual's home, never public.
PRIVATE_ADDRESS = "5801 S Ellis Ave"
PRIVATE_POINT = ("41.7886", "-87.5987")
SECRETS = [*CONTACT.values(), "Privatename", "quintessa.secret", "555-0142", "5550142",
           MESSAGE_EMAIL, "wall.writer.secret", PRIVATE_ADDRESS, *PRIVATE_POINT,
           REGISTRANT["name"], REGISTRANT["email"], "ottoline.secret", REFLECTION_EMAIL]
# What must not be in the logs either (an address is fine in a log; a person's details are not).
LOGGED_SECRETS = [*CONTACT.values(), MESSAGE_EMAIL, REGISTRANT["name"], REGISTRANT["email"],
                  REFLECTION_EMAIL]

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"


def submit_event(client, **fields):
    data = event_form_data(**CONTACT, **fields)
    response = client.post(reverse("events:submit"), data)
    assert response.status_code == 302, response.context["form"].errors
    return HealingEvent.objects.get(title=data["title"].strip())


def submit_message(client, **fields):
    data = {"text": "Hello", "display_name": "", "email": MESSAGE_EMAIL,
            "form_token": make_form_token(), **fields}
    response = client.post(reverse("events:new_message"), data)
    assert response.status_code == 302
    return HealingMessage.objects.get(text=data["text"])


@pytest.fixture
def published(client, moderator, caplog):
    """An individual's event, an organization's event with markup everywhere, and a message,
    all submitted through the public forms and approved by a moderator."""
    caplog.set_level(logging.DEBUG)
    individual = submit_event(
        client, title="Porch stories", host_type="individual", host_name="Sam",
        website="", address=PRIVATE_ADDRESS, latitude="", longitude="",
    )
    organization = submit_event(
        client, title=f"=HYPERLINK(\"http://evil\") {XSS}", description=f"+SUM(1) {XSS}",
        host_name=f"@cmd {XSS}", message=f"-2+3 {XSS}", address="121 N LaSalle St",
        publish_exact_location="on", rsvp_url="https://example.org/rsvp?a=<b>",
    )
    message = submit_message(client, text=f"Peace {XSS}", display_name=f"-Kim {XSS}")
    for obj in (individual, organization, message):
        assert moderation.approve(obj, moderator=moderator)
    reflection = submit_summit_forms(client, moderator)
    return {"events": [individual, organization], "message": message, "reflection": reflection}


def submit_summit_forms(client, moderator):
    """A registration with known details, and an approved reflection with markup."""
    from summit.models import Reflection, Registration
    from summit.moderation import approve
    from tests.summit.conftest import make_summit, registration_form_data

    make_summit(capacity=10)
    response = client.post(reverse("summit:register"), registration_form_data(**REGISTRANT))
    assert response.status_code == 302, response.context["form"].errors
    assert Registration.objects.filter(email=REGISTRANT["email"]).exists()
    response = client.post(reverse("summit:new_reflection"), {
        "prompt": "progress", "text": f"We grew {XSS}", "display_name": f"@Lee {XSS}",
        "email": REFLECTION_EMAIL, "form_token": make_form_token(), "homepage": "",
    })
    assert response.status_code == 302, response.context["form"].errors
    reflection = Reflection.objects.get(email=REFLECTION_EMAIL)
    assert approve(reflection, moderator=moderator)
    return reflection


def crawl(client, event_pks):
    """Every public URL (and each filtered data download), answered with 200."""
    pages = {}
    for path in public_urls(event_pks=event_pks):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        pages[path] = response
    return pages


def body_and_headers(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode() + "\n" + "\n".join(f"{k}: {v}" for k, v in response.items())


def test_contact_details_never_reach_public_outputs_or_logs(client, published, caplog):
    individual, organization = published["events"]
    assert individual.contact_email == CONTACT["contact_email"]  # stored, for staff
    assert individual.latitude == pytest.approx(float(PRIVATE_POINT[0]))
    pages = crawl(Client(), [e.pk for e in published["events"]])
    assert any(str(individual.pk) in path for path in pages)
    for path, response in pages.items():
        text = body_and_headers(response)
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} appears in {path}"
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in LOGGED_SECRETS:
        assert secret not in logged


def test_contact_details_stay_out_of_error_reports(client, settings, monkeypatch, caplog):
    """A crash in the middle of a submission: the report staff receive names no contact."""
    settings.DEBUG = False

    def crash(event):
        raise RuntimeError("mail queue broke")

    monkeypatch.setattr("events.services._queue_submission_emails", crash)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(reverse("events:submit"), event_form_data(**CONTACT))
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request" and r.exc_info)
    for secret in CONTACT.values():
        assert secret not in response.content.decode()
        assert secret not in record.getMessage()
    reporter = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    report = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "mail queue broke" in report  # the report is real and useful
    for secret in CONTACT.values():
        assert secret not in report, f"{secret!r} appears in the error report"


def test_markup_in_every_free_text_field_renders_as_text(published):
    client = Client()
    pages = crawl(client, [e.pk for e in published["events"]])
    for path, response in pages.items():
        if not response["Content-Type"].startswith("text/html"):
            continue  # data formats carry the text as data: see the GeoJSON and CSV tests
        text = body_and_headers(response)
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
    detail = pages[reverse("events:detail", args=[published["events"][1].pk])].content.decode()
    assert XSS_ESCAPED in detail  # shown, as text
    wall = client.get(reverse("healingmap:messages")).content.decode()
    assert "Peace " + XSS_ESCAPED in wall
    reflections = client.get(reverse("summit:reflection_list")).content.decode()
    assert "We grew " + XSS_ESCAPED in reflections


def test_geojson_carries_markup_as_json_strings(published):
    path = url("healingmap:events_geojson")
    assert path is not None
    response = Client().get(path)
    assert response["Content-Type"].startswith(("application/geo+json", "application/json"))
    titles = [f["properties"].get("title") for f in json.loads(response.content)["features"]]
    assert any(XSS in (title or "") for title in titles)  # data, for the popup to show as text


def test_csv_neutralizes_formulas_and_keeps_markup_as_text(published):
    path = url("healingmap:events_csv")
    assert path is not None
    response = Client().get(path)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(XSS in cell for cell in cells)
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@")) or _is_number(cell), cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_emails_have_markup_as_typed_in_the_text_and_escaped_in_the_html(
    client, moderator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = submit_event(client, title=f"Circle {XSS}")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(event, moderator=moderator)
    assert len(mail.outbox) == 3  # confirmation, staff notice, approval
    for message in mail.outbox:
        assert message.content_subtype == "plain"
        assert "&lt;" not in message.body and "&quot;" not in message.body
        ((html, mimetype),) = message.alternatives
        assert mimetype == "text/html"
        assert XSS not in html and escape(XSS) in html
    assert f"Circle {XSS}" in mail.outbox[0].body
