"""The city's extent and the maps' first view: from settings when given, else from the areas.

CITY_BBOX bounds geocoding and the pins and addresses accepted; MAP_CENTER and MAP_ZOOM are the
maps' first view. Either left empty is derived from the loaded areas (their boundaries, else
their centre points), so a new city needs no coordinates in its settings.
"""

from __future__ import annotations

import shapely
from django.conf import settings
from django.db.models import Max, Min

from events.geometry import current_area_index

# Around the areas' extent, the maps' pan limit leaves this share of its size on every side.
VIEW_MARGIN = 0.25


def areas_extent() -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of the current areas, or None without any."""
    index = current_area_index()  # cached per process, rebuilt when boundaries change
    if index is not None and len(index):
        return tuple(float(v) for v in shapely.total_bounds(index.geometries))
    from events.models import CommunityArea

    box = CommunityArea.objects.filter(centroid_latitude__isnull=False, centroid_longitude__isnull=False).aggregate(
        min_lon=Min("centroid_longitude"), min_lat=Min("centroid_latitude"),
        max_lon=Max("centroid_longitude"), max_lat=Max("centroid_latitude"),
    )
    if box["min_lon"] is None:
        return None
    return box["min_lon"], box["min_lat"], box["max_lon"], box["max_lat"]


def city_bbox() -> tuple[float, float, float, float] | None:
    """settings.CITY_BBOX, else the areas' extent; None when neither is known."""
    return tuple(settings.CITY_BBOX) if settings.CITY_BBOX else areas_extent()


def in_city_extent(latitude: float, longitude: float) -> bool:
    """Whether a point is inside the city's box (anywhere, while the city has no extent yet)."""
    bbox = city_bbox()
    if bbox is None:
        return True
    min_lon, min_lat, max_lon, max_lat = bbox
    return min_lat <= latitude <= max_lat and min_lon <= longitude <= max_lon


def map_centre() -> tuple[float, float] | None:
    """(latitude, longitude) the maps start at: MAP_CENTER, else the middle of the city's box."""
    if settings.MAP_CENTER:
        return tuple(settings.MAP_CENTER)
    bbox = city_bbox()
    if bbox is None:
        return None
    return (bbox[1] + bbox[3]) / 2, (bbox[0] + bbox[2]) / 2


def map_view() -> dict:
    """django-leaflet settings overrides for the maps' first view.

    With MAP_CENTER set, nothing to override (LEAFLET_CONFIG has it). Otherwise the maps fit the
    city's box, with a margin to pan in (leaflet_map's SPATIAL_EXTENT, fitted when there is no
    centre or zoom).
    """
    if settings.MAP_CENTER:
        return {}
    bbox = city_bbox()
    if bbox is None:
        return {}
    min_lon, min_lat, max_lon, max_lat = bbox
    dx, dy = (max_lon - min_lon) * VIEW_MARGIN, (max_lat - min_lat) * VIEW_MARGIN
    return {
        "DEFAULT_CENTER": None,
        "DEFAULT_ZOOM": None,
        "SPATIAL_EXTENT": (min_lon - dx, min_lat - dy, max_lon + dx, max_lat + dy),
    }
