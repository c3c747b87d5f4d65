"""Every public page and output, by URL name, for the hostile-input, privacy and header tests.

Names that do not resolve are left out; test_every_public_page_and_endpoint_is_covered fails
when one listed here disappears, so a renamed URL cannot silently drop out of the tests.
"""

from django.urls import NoReverseMatch, reverse

# Public pages that take no arguments.
PAGES = [
    "home", "about", "privacy", "accessibility",
    "events:submit", "events:new_message",
    "healingmap:map", "healingmap:messages", "healingmap:event_list", "healingmap:data",
    "healingmap:embed", "healingmap:coverage",
    "summit:index", "summit:register", "summit:reflection_list", "summit:new_reflection",
    "faq", "host", "contact", "contact_sent", "healingmap:embed_builder",
]
# Machine-readable public outputs.
DATA = ["healingmap:events_geojson", "healingmap:events_csv", "healingmap:coverage_geojson", "summit:calendar"]
# The endpoints whose query parameters are fuzzed.
FILTERED = ["healingmap:events_geojson", "healingmap:events_csv", "healingmap:event_list",
            "healingmap:map", "healingmap:messages", "healingmap:embed", "healingmap:embed_builder",
            "summit:reflection_list"]


def url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def existing(names: list[str]) -> list[str]:
    return [name for name in names if url(name) is not None]


def missing(names: list[str]) -> list[str]:
    return [name for name in names if url(name) is None]


def public_urls(*, event_pks=()) -> list[str]:
    """Every public URL, including each given approved event's page, the pages of the
    community areas those events are in, and each past summit's page."""
    from events.models import HealingEvent
    from summit.models import Summit

    urls = [url(name) for name in existing(PAGES + DATA)]
    urls += [reverse("events:detail", args=[pk]) for pk in event_pks]
    areas = HealingEvent.objects.filter(pk__in=event_pks).values_list(
        "community_area__number", flat=True)
    urls += [url("healingmap:area_detail", number) for number in sorted(set(areas)) if number]
    past = Summit.objects.filter(is_current=False).values_list("pk", flat=True)
    urls += [url("summit:detail", pk) for pk in past]  # the current one redirects to /summit/
    return [u for u in urls if u]
