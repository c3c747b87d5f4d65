"""Values every template can use: the campaign's name, the current edition's dates and whether
sharing is open, the map's tiles, and how to reach the Office."""

from django.conf import settings

from twh.core.editions import Edition


def site(request):
    edition = Edition.objects.current()
    return {
        "campaign_name": settings.CAMPAIGN_NAME,
        "campaign_city": settings.CAMPAIGN_CITY,
        "current_edition": edition,
        "campaign_start": edition.starts_on,
        "campaign_end": edition.ends_on,
        "sharing": edition.sharing_window(),
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
