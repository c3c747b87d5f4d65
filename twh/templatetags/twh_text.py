"""Template filters for text that must stay on one line (email subjects)."""

from django import template

from twh.core.validation import one_line as _one_line

register = template.Library()


@register.filter
def one_line(value) -> str:
    """Line breaks and control characters become spaces, so a subject never breaks a header."""
    return _one_line(value)
