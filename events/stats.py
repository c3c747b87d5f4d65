"""Campaign figures for public pages: events, participants and areas reached."""

from django.db.models import Count, Sum

from events.models import CommunityArea, HealingEvent, HealingMessage


def campaign_totals(events) -> dict:
    """Counts over an events QuerySet that the caller has already limited to approved ones."""
    figures = events.aggregate(
        events=Count("id"), participants=Sum("participants"),
        areas=Count("community_area", distinct=True),
    )
    return {
        "events": figures["events"],
        "participants": figures["participants"] or 0,
        "areas": figures["areas"],
        "areas_total": CommunityArea.objects.count(),
    }


def latest_messages(limit: int = 6) -> list[dict]:
    """The newest approved messages of healing, from events (with consent) and ambassadors."""
    from_events = [
        {"text": e.message, "name": e.host_name, "area": e.community_area, "at": e.moderated_at or e.submitted_at}
        for e in HealingEvent.objects.approved().filter(message_consent=True).exclude(message="")
        .select_related("community_area").order_by("-moderated_at", "-submitted_at")[:limit]
    ]
    from_ambassadors = [
        {"text": m.text, "name": m.shown_name, "area": m.community_area, "at": m.moderated_at or m.submitted_at}
        for m in HealingMessage.objects.approved().select_related("community_area")
        .order_by("-moderated_at", "-submitted_at")[:limit]
    ]
    return sorted(from_events + from_ambassadors, key=lambda m: m["at"], reverse=True)[:limit]


def home_figures() -> dict:
    """The home page's totals and latest messages, cached until public data changes.

    Keyed on the public-data version, so a moderation decision shows at once, while a busy
    launch day reads the figures from the cache instead of aggregating every event per view.
    """
    from django.core.cache import cache

    from events.publication import public_version

    key = f"events:home-figures:{public_version()}"
    figures = cache.get(key)
    if figures is None:
        figures = {
            "totals": campaign_totals(HealingEvent.objects.approved()),
            "latest_messages": latest_messages(limit=6),
        }
        cache.set(key, figures, timeout=60 * 60)
    return figures
