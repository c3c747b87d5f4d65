"""Values every template can use: the campaign's name and dates, whether sharing is open, and
the map's tiles."""

from django.conf import settings

from twh.campaign import sharing_window


def site(request):
    return {
        "campaign_name": settings.CAMPAIGN_NAME,
        "campaign_city": settings.CAMPAIGN_CITY,
        "campaign_start": settings.CAMPAIGN_START,
        "campaign_end": settings.CAMPAIGN_END,
        "sharing": sharing_window(),
        "site_url": settings.SITE_URL,
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }
