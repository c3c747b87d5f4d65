"""The campaign's calendar: dates come from settings, never from code."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone


def submissions_open(today: date | None = None) -> bool:
    """True when today is inside the submission window (an empty end means open-ended)."""
    return sharing_window(today).is_open


@dataclass(frozen=True)
class SharingWindow:
    """Where today sits in the submission window: open, not yet open (with the day it opens),
    or ended."""

    is_open: bool
    opens_on: date | None = None
    has_ended: bool = False


def sharing_window(today: date | None = None) -> SharingWindow:
    today = today or timezone.localdate()
    if settings.SUBMISSIONS_OPEN and today < settings.SUBMISSIONS_OPEN:
        return SharingWindow(is_open=False, opens_on=settings.SUBMISSIONS_OPEN)
    if settings.SUBMISSIONS_CLOSE and today > settings.SUBMISSIONS_CLOSE:
        return SharingWindow(is_open=False, has_ended=True)
    return SharingWindow(is_open=True)
