"""The campaign's calendar: the current edition's dates (twh/core/editions.py), never code."""

from datetime import date

from twh.core.editions import Edition, SharingWindow

__all__ = ["SharingWindow", "sharing_window", "submissions_open"]


def submissions_open(today: date | None = None) -> bool:
    """True when today is inside the current edition's submission window and it is not closed."""
    return sharing_window(today).is_open


def sharing_window(today: date | None = None) -> SharingWindow:
    return Edition.objects.current(today).sharing_window(today)
