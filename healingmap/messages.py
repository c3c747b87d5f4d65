"""The wall of messages of healing: approved ones from events (with consent) and ambassadors."""

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce

from events.models import HealingEvent, HealingMessage

# Every column is an annotation on both sides, so the UNION lines them up by name and order.
FIELDS = ("body", "who", "area_name", "at", "origin", "ident")


def approved_messages():
    """One queryset over both sources, newest first, that a Paginator can count and slice."""
    from_events = (
        HealingEvent.objects.approved().filter(message_consent=True).exclude(message="")
        .annotate(body=F("message"), who=F("host_name"), area_name=F("community_area__name"),
                  at=Coalesce("moderated_at", "submitted_at"),
                  origin=Value("event", output_field=CharField()), ident=F("pk"))
        .values(*FIELDS).order_by()
    )
    from_ambassadors = (
        HealingMessage.objects.approved()
        .annotate(body=F("text"), who=F("display_name"), area_name=F("community_area__name"),
                  at=Coalesce("moderated_at", "submitted_at"),
                  origin=Value("ambassador", output_field=CharField()), ident=F("pk"))
        .values(*FIELDS).order_by()
    )
    return from_events.union(from_ambassadors, all=True).order_by("-at", "origin", "-ident")
