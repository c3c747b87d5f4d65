"""Input rules shared by every form and model: dates in a sane window, text free of control
characters, so anything that validates can be stored, read back, shown, exported and emailed.

Part of the shared floor: imports no app. Models put these on their fields (so the admin and
every ModelForm enforce them); SpamProtectedForm adds the text rules to every public form field.
"""

import re
import unicodedata
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls, DEL and C1 controls, plus the Unicode line and paragraph separators (which
# str.splitlines() and some mail and CSV readers treat as line breaks).
_SINGLE_LINE_BAD = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # tab is fine
_MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def year_window() -> tuple[int, int]:
    """The first and last year any date on the site may fall in (settings.DATE_YEAR_MIN/MAX)."""
    return settings.DATE_YEAR_MIN, settings.DATE_YEAR_MAX


def validate_sane_date(value) -> None:
    """A date or datetime within the campaign years: year 9999 is a typo, not an event."""
    if value is None or not isinstance(value, date):
        return
    first, last = year_window()
    if isinstance(value, datetime) and timezone.is_aware(value) and first <= value.year <= last:
        value = timezone.localtime(value)  # far from the ends of time, so it cannot overflow
    if not first <= value.year <= last:
        raise ValidationError(
            _("Please check the year: dates from %(first)s to %(last)s are accepted."),
            code="year_out_of_range", params={"first": first, "last": last},
        )


@deconstructible
class NoControlCharacters:
    """Rejects control characters; `multiline` text keeps its line breaks and tabs."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        pattern = _MULTI_LINE_BAD if self.multiline else _SINGLE_LINE_BAD
        if pattern.search(value.replace("\r\n", "\n") if self.multiline else value):
            if self.multiline:
                message = _("Please remove the invisible control characters from this text.")
            else:
                message = _("Please keep this on one line, without line breaks or invisible "
                            "control characters.")
            raise ValidationError(message, code="control_characters")

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


single_line = NoControlCharacters()
multi_line = NoControlCharacters(multiline=True)


def normalize_newlines(text: str) -> str:
    """Browsers send a textarea's line breaks as CR LF: store them as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def one_line(text) -> str:
    """Any text squeezed onto one line: for email subjects and headers, whatever it holds."""
    text = _LINE_BREAKS.sub(" ", str(text))
    return " ".join(unicodedata.normalize("NFC", text).split())
