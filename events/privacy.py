"""Where an event may be shown publicly.

Rule (documented on /about/ and /map/data/): an individual's point is snapped to the centre of
a fixed grid cell about 500 m on a side, so the public point says "this part of the
neighbourhood", never a home. An organization's point is snapped the same way unless it chose
to publish its exact location. Snapping to a fixed grid (not a random offset) means repeated
edits never reveal more by averaging.
"""

import math
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from events.models import HealingEvent

INDIVIDUAL = HealingEvent.HostType.INDIVIDUAL

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
    if host_type == HealingEvent.HostType.ORGANIZATION and publish_exact:
        return latitude, longitude
    return snap_to_grid(latitude, longitude)


def apply_public_point(event) -> None:
    """Set `event.public_latitude/longitude` from its precise point (not saved here)."""
    if event.host_type != HealingEvent.HostType.ORGANIZATION:
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
    counts = (
        HealingEvent.objects.approved().filter(host_type=INDIVIDUAL)
        .values("community_area_id").annotate(n=Count("pk")).filter(n__lt=settings.MAP_SMALL_COUNT_K)
    )
    return {row["community_area_id"] for row in counts}


def small_count_areas_among(host_types, area_ids) -> set[int]:
    """small_count_area_ids() of every approved event's host type and area, given side by side
    (the map's event table holds them already: no second query)."""
    counts = Counter(area for host, area in zip(host_types, area_ids, strict=True) if host == INDIVIDUAL)
    return {area for area, n in counts.items() if n < settings.MAP_SMALL_COUNT_K}


def shown_at_area(*, host_type: str, area_id: int | None, small_areas: set[int]) -> bool:
    """Whether an event is shown only at its area's centre (an individual's, in a small-count area)."""
    return host_type == INDIVIDUAL and area_id in small_areas


def shown_at_area_q(small_areas: set[int]) -> Q:
    """shown_at_area() as a filter, for the outputs the database builds."""
    return Q(host_type=INDIVIDUAL, community_area_id__in=small_areas)


@dataclass(frozen=True)
class MapPoint:
    latitude: float
    longitude: float
    area_level: bool  # the area's centre, standing for a few residents' events


def map_point(event, small_areas: set[int] | None = None) -> MapPoint | None:
    """Where the public sees one approved event: its public point, or its area's centre for an
    individual's event in a small-count area; None when there is nothing to show."""
    if small_areas is None:
        small_areas = small_count_area_ids()
    if shown_at_area(host_type=event.host_type, area_id=event.community_area_id, small_areas=small_areas):
        area = event.community_area
        latitude, longitude, area_level = area.centroid_latitude, area.centroid_longitude, True
    else:
        latitude, longitude, area_level = event.public_latitude, event.public_longitude, False
    if latitude is None or longitude is None:
        return None
    return MapPoint(latitude, longitude, area_level)
