"""Dates with times read as each language writes them, not in the English order."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format

WHEN = datetime(2026, 12, 4, 19, 5, tzinfo=ZoneInfo("America/Chicago"))


@pytest.mark.parametrize("language,expected", [
    ("ar", "4 ديسمبر 2026، 7:05 م"),
    ("hi", "4 दिसमबर 2026, 19:05"),
    ("pl", "4 grudnia 2026 19:05"),
])
def test_date_and_time_put_the_day_first(language, expected):
    with translation.override(language):
        assert date_format(WHEN, "DATETIME_FORMAT") == expected
