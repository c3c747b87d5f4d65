"""The one safe CSV writer: every CSV the site gives out (open data, dashboard, registrations).

A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a formula
(CSV injection, CWE-1236; OWASP's advice): such a cell gets a leading quote. Numbers stay
numbers (a negative longitude is not a formula), None is empty, booleans are true/false and
dates are ISO 8601.
"""

import csv
from datetime import date, datetime

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    """A cell a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)
