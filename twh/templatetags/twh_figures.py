"""The honest participant figure in templates: `{{ totals|participant_sentence }}` (events/stats.py)."""

from django import template

from events.stats import participant_sentence as _participant_sentence

register = template.Library()


@register.filter
def participant_sentence(totals) -> str:
    """ "about N taking part (hosts' estimates); M reported after K events", in the page's language."""
    return _participant_sentence(totals or {})
