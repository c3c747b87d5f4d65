"""Where an event may be shown publicly.

Rule (documented on /about/ and /map/data/): an individual's point is snapped to the centre of
a fixed grid cell about 500 m on a side, so the public point says "this part of the
neighbourhood", never a home. An organization's point is snapped the same way unless it chose
to publish its exact location. Snapping to a fixed grid (not a random offset) means repeated
edits never reveal more by averaging.
"""

import math

# About 500 m: a degree of latitude is ~111 km; at Chicago's latitude (41.8°) a degree of
# longitude is ~83 km.
GRID_LAT_DEGREES = 0.0045
GRID_LON_DEGREES = 0.006


def snap_to_grid(latitude: float, longitude: float) -> tuple[float, float]:
    """The centre of the ~500 m grid cell that holds the point, rounded to 5 decimals."""
    lat = (math.floor(latitude / GRID_LAT_DEGREES) + 0.5) * GRID_LAT_DEGREES
    lon = (math.floor(longitude / GRID_LON_DEGREES) + 0.5) * GRID_LON_DEGREES
    return round(lat, 5), round(lon, 5)


def public_point(
    *, latitude: float | None, longitude: float | None, host_type: str, publish_exact: bool
) -> tuple[float | None, float | None]:
    """The point the public may see for a precise point, following the rule above."""
    if latitude is None or longitude is None:
        return None, None
    if host_type == "organization" and publish_exact:
        return latitude, longitude
    return snap_to_grid(latitude, longitude)


def apply_public_point(event) -> None:
    """Set `event.public_latitude/longitude` from its precise point (not saved here)."""
    if event.host_type != "organization":
        event.publish_exact_location = False
    event.public_latitude, event.public_longitude = public_point(
        latitude=event.latitude,
        longitude=event.longitude,
        host_type=event.host_type,
        publish_exact=event.publish_exact_location,
    )


def small_count_area_ids() -> set[int]:
    """Areas with fewer than k approved individual-hosted events (k = MAP_SMALL_COUNT_K).

    Their individual-hosted events are shown only at the area's centre, on the map and on each
    event's page alike. Counted over every approved event, not a filtered subset, so an event's
    public point is the same in every view and no filter can single a person out.
    """
    from django.conf import settings
    from django.db.models import Count

    from events.models import HealingEvent

    counts = (
        HealingEvent.objects.approved().filter(host_type=HealingEvent.HostType.INDIVIDUAL)
        .values("community_area_id").annotate(n=Count("pk")).filter(n__lt=settings.MAP_SMALL_COUNT_K)
    )
    return {row["community_area_id"] for row in counts}
