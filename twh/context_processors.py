"""Values every template can use: the campaign's name, city and area word, the current edition's
dates and whether sharing is open, the map's tiles, and how to reach the Office."""

from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from twh.core.area_words import AreaWord
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
        "area_word": AreaWord(),
        "areas_count": SimpleLazyObject(_areas_count),
        "health_department": settings.HEALTH_DEPARTMENT,
        "current_edition": edition,
        "campaign_start": SimpleLazyObject(lambda: edition.starts_on),
        "campaign_end": SimpleLazyObject(lambda: edition.ends_on),
        "sharing": SimpleLazyObject(lambda: edition.sharing_window()),
        "site_url": settings.SITE_URL,
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "office": office(),
        # Read only by the pages with a map, and then once per render.
        "map_view": SimpleLazyObject(_map_view),
        "map_centre": SimpleLazyObject(_map_centre),
        "support_resources": settings.SUPPORT_RESOURCES,
    }


def office() -> dict:
    """The Office's contact details, for pages and (through queue_email's templates) emails."""
    return {
        "name": settings.OFFICE_NAME,
        "email": settings.OFFICE_EMAIL,
        "phone": settings.OFFICE_PHONE,
        "phone_link": "".join(ch for ch in settings.OFFICE_PHONE if ch.isdigit() or ch == "+"),
        "address": settings.OFFICE_ADDRESS,
    }


def _map_view() -> dict:
    from events.city import map_view

    return map_view()


def _map_centre() -> tuple:
    from events.city import map_centre

    return map_centre() or ()


def _areas_count() -> int:
    from events.models import CommunityArea

    return CommunityArea.objects.count()  # current areas only
