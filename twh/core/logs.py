"""Request ids, JSON log lines and error tracking, all without contact details.

Shared floor: imports no app. Every log line carries the id of the request it belongs to
(`X-Request-ID` from the proxy when it sends a sane one, else a new one), and the 500 page
shows it, so a resident's "it broke at 10:42, reference 5f0c…" finds the lines at once.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from twh.core.scrubbing import scrub, scrub_text

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is accepted only if it is short and plain, so it cannot forge log lines.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
NO_REQUEST = "-"

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being handled, or "-" outside a request (commands, the worker)."""
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id: on the request, in every log line, in the response headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            _tag_error_tracking(request_id)
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _tag_error_tracking(request_id: str) -> None:
    import sentry_sdk

    sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)  # a no-op without a DSN


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, and replaces contact details in its message and its
    traceback (the privacy rule for logs: an address or a phone number is never written)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        message = record.getMessage()
        scrubbed = scrub_text(message)
        if scrubbed != message or record.args:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub_text(logging.Formatter().formatException(record.exc_info))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, request_id, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        if record.exc_info or record.exc_text:
            line["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def logging_config(*, log_format: str, level: str) -> dict:
    """settings.LOGGING for LOG_FORMAT ("plain" or "json") and LOG_LEVEL."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "twh.core.logs.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "twh.core.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.request": {"level": "ERROR"}},
    }


# --- Error tracking (sentry-sdk), only when SENTRY_DSN is set.

# Fields of a Sentry event that are ours, not the visitor's, and are kept as they are.
SENTRY_KEEP = frozenset({"event_id", "timestamp", "start_timestamp", "release", "environment",
                         "platform", "level", "logger", "server_name", "sdk", "type"})


def scrub_sentry_event(event: dict, hint: dict | None = None) -> dict:
    """`before_send`: the event with every contact detail replaced, in the request, the local
    variables of each frame, the breadcrumbs (log lines) and the messages alike."""
    return scrub(event, keep=SENTRY_KEEP)


def init_sentry(*, dsn: str, environment: str = "", traces_sample_rate: float = 0.0, transport=None):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration()],
        # No user emails or IP addresses, and no request bodies (forms hold contact details).
        data_collection={"user_info": False, "http_bodies": []},
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_sentry_event,
        before_send_transaction=scrub_sentry_event,
        transport=transport,
    )
