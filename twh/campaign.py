"""The campaign's calendar: dates come from settings, never from code."""

from datetime import date

from django.conf import settings
from django.utils import timezone


def submissions_open(today: date | None = None) -> bool:
    """True when today is inside the submission window (an empty end means open-ended)."""
    today = today or timezone.localdate()
    if settings.SUBMISSIONS_OPEN and today < settings.SUBMISSIONS_OPEN:
        return False
    if settings.SUBMISSIONS_CLOSE and today > settings.SUBMISSIONS_CLOSE:
        return False
    return True
