"""Private, signed, expiring links that let a registrant view or cancel their registration."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "summit.registration-link"


def make_registration_token(registration) -> str:
    return signing.dumps({"r": registration.pk, "k": str(registration.manage_key)}, salt=SALT)


def read_registration_token(token: str) -> tuple[int, str]:
    """(registration id, key); raises signing.BadSignature when forged, malformed or expired."""
    payload = signing.loads(token, salt=SALT, max_age=settings.SUMMIT_LINK_MAX_AGE_DAYS * 86400)
    try:
        return int(payload["r"]), str(payload["k"])
    except (KeyError, TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed registration token") from exc


def registration_url(registration) -> str:
    return settings.SITE_URL + reverse("summit:registration", args=[make_registration_token(registration)])
