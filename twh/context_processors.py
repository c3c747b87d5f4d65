"""Values every template can use: the campaign's name, city, area word and dates, whether sharing is open, the
map's tiles, and how to reach the Office."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from twh.core.area_words import AreaWord
from twh.core.campaign import sharing_window


def site(request):
    return {
        "campaign_name": settings.CAMPAIGN_NAME,
        "campaign_city": settings.CAMPAIGN_CITY,
        "area_word": AreaWord(),
        "areas_count": SimpleLazyObject(_areas_count),
        "health_department": settings.HEALTH_DEPARTMENT,
        "campaign_start": settings.CAMPAIGN_START,
        "campaign_end": settings.CAMPAIGN_END,
        "sharing": sharing_window(),
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
