"""Values every template can use: the campaign's name, the current edition's dates and whether
sharing is open, the map's tiles, and how to reach the Office."""

from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from twh.core.editions import Edition, first_edition_values


def _current_edition() -> Edition:
    try:
        return Edition.objects.current()
    except DatabaseError:  # the 503 page, with the database gone: the settings' first edition
        values = first_edition_values()
        values.pop("slug")
        return Edition(**values)


def site(request):
    # Lazy: read once per page, and only by a page that shows the dates or the sharing links.
    edition = SimpleLazyObject(_current_edition)
    return {
        "campaign_name": settings.CAMPAIGN_NAME,
        "campaign_city": settings.CAMPAIGN_CITY,
        "current_edition": edition,
        "campaign_start": SimpleLazyObject(lambda: edition.starts_on),
        "campaign_end": SimpleLazyObject(lambda: edition.ends_on),
        "sharing": SimpleLazyObject(lambda: edition.sharing_window()),
        "site_url": settings.SITE_URL,
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "office": office(),
        "support_resources": settings.SUPPORT_RESOURCES,
    }


def office() -> dict:
    """The Office's contact details, for pages and (through queue_email's templates) emails."""
    return {
        "email": settings.OFFICE_EMAIL,
        "phone": settings.OFFICE_PHONE,
        "phone_link": "".join(ch for ch in settings.OFFICE_PHONE if ch.isdigit() or ch == "+"),
        "address": settings.OFFICE_ADDRESS,
    }
