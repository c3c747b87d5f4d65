"""Every public page and output, by URL name, for the hostile-input, privacy and header tests.

Names that do not resolve yet (an app still being built) are left out, and the tests that
need them say so by skipping; `missing()` lists them.
"""

from django.urls import NoReverseMatch, reverse

# Public pages that take no arguments.
PAGES = [
    "home", "about", "privacy", "accessibility",
    "events:submit", "events:new_message",
    "healingmap:map", "healingmap:messages", "healingmap:list", "healingmap:data",
    "healingmap:embed",
    "summit:index", "summit:register", "summit:reflections", "summit:new_reflection",
]
# Machine-readable public outputs.
DATA = ["healingmap:geojson", "healingmap:csv", "summit:calendar"]
# The endpoints whose query parameters are fuzzed.
FILTERED = ["healingmap:geojson", "healingmap:csv", "healingmap:list",
            "healingmap:map", "healingmap:messages", "healingmap:embed", "summit:reflections"]


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
    """Every public URL, including each given approved event's page."""
    urls = [url(name) for name in existing(PAGES + DATA)]
    urls += [reverse("events:detail", args=[pk]) for pk in event_pks]
    return urls
