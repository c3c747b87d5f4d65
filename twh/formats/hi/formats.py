"""Hindi date and time, day-month-year (locale/GLOSSARY.md); Django has no DATETIME_FORMAT for it."""

DATETIME_FORMAT = "j F Y, H:i"  # 24-hour: Django's Hindi AM and PM are both "बजे"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
