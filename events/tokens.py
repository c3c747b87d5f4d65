"""Private, signed, expiring links that let a submitter view, edit or withdraw their submission."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "events.manage-link"


def make_manage_token(event) -> str:
    return signing.dumps({"event": event.pk, "token": str(event.submission_token or "")}, salt=SALT)


def read_manage_token(token: str) -> tuple[int, str]:
    """(event id, submission token); raises signing.BadSignature if forged or expired."""
    payload = signing.loads(token, salt=SALT, max_age=settings.MANAGE_LINK_MAX_AGE_DAYS * 86400)
    try:
        return int(payload["event"]), str(payload["token"])
    except (KeyError, TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed manage token") from exc


def manage_url(event) -> str:
    return settings.SITE_URL + reverse("events:manage", args=[make_manage_token(event)])
