"""Arabic date and time with the day first, as Django's own Arabic DATE_FORMAT has it; Django has no DATETIME_FORMAT for it."""

DATETIME_FORMAT = "j F Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
