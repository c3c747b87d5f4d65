"""Neighbourhood geometry: GeoJSON polygons checked, simplified for display, and point lookup.

Point-in-polygon uses shapely 2 (GEOS): the polygons go into an STRtree and a point belongs to
an area when the area *covers* it, so a point exactly on an area's outer edge is in that area,
a point in a hole is not, and a point in any part of a MultiPolygon is. A point on a border
shared by two areas is given to the lower area number, so the answer never depends on order.

The lookup index is built once per process and rebuilt only when the loaded boundaries change
(see `boundaries_version`), so no request pays for building it. The version itself (a cache
read and a database query) is checked at most every VERSION_RECHECK_SECONDS per process, so a
lookup costs only the point-in-polygon test; a load in this process clears the index at once.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

POLYGONAL_TYPES = ("Polygon", "MultiPolygon")
# Degrees (about 25 m at Chicago's latitude): enough to halve a detailed outline for drawing
# without moving any border further than a street's width.
DISPLAY_TOLERANCE = 0.0002
DISPLAY_DECIMALS = 5  # ~1 m: more digits only make the page heavier
CENTROID_DECIMALS = 6
VERSION_KEY = "events:boundaries-version"
# How long a process trusts the boundaries' version it last read before reading it again: a
# load in another process (`manage.py load_areas`) reaches every app server within this time.
VERSION_RECHECK_SECONDS = 10.0


class GeometryError(ValueError):
    """A GeoJSON geometry that cannot be used as a neighbourhood boundary."""


def polygon_from_geojson(geometry: object, *, repair: bool = False) -> BaseGeometry:
    """A valid shapely Polygon or MultiPolygon from a GeoJSON geometry object, or GeometryError.

    Coordinates must be WGS84 longitude/latitude (RFC 7946); a projected file (feet or metres)
    is refused with a message saying so. An invalid polygon (a self-intersection, say) is refused
    unless `repair` is set, in which case GEOS's make_valid keeps its polygonal parts.
    """
    if not isinstance(geometry, dict):
        raise GeometryError("the geometry is missing or not an object")
    kind = geometry.get("type")
    if kind not in POLYGONAL_TYPES:
        raise GeometryError(f"the geometry is a {kind or 'nothing'}, not a Polygon or MultiPolygon")
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise GeometryError(f"the {kind}'s coordinates are malformed ({exc})") from exc
    if geom.is_empty:
        raise GeometryError(f"the {kind} is empty")
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise GeometryError("the coordinates include a value that is not a number")
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise GeometryError(
            "the coordinates are not longitude/latitude in degrees (is the file projected? "
            "export it as WGS84, EPSG:4326)"
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        if not repair:
            raise GeometryError(f"the {kind} is not valid: {reason} (use --repair to fix it)")
        geom = _polygonal_part(shapely.make_valid(geom))
        if geom.is_empty:
            raise GeometryError(f"the {kind} is not valid ({reason}) and cannot be repaired")
    return geom


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type in POLYGONAL_TYPES:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in POLYGONAL_TYPES]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def display_geometry(geom: BaseGeometry, tolerance: float = DISPLAY_TOLERANCE) -> dict:
    """A lighter GeoJSON geometry for drawing: simplified, topology kept, coordinates rounded.

    Falls back to the unsimplified outline if simplifying would empty or break it (tiny areas).
    """
    simple = shapely.set_precision(geom.simplify(tolerance, preserve_topology=True), 10**-DISPLAY_DECIMALS)
    if simple.is_empty or not simple.is_valid or simple.geom_type not in POLYGONAL_TYPES:
        simple = geom
    return _rounded(mapping(simple), DISPLAY_DECIMALS)


def _rounded(geojson: dict, decimals: int) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(c), decimals) for c in value]
            return [walk(v) for v in value]
        return value

    return {"type": geojson["type"], "coordinates": walk(geojson["coordinates"])}


def inside_centre(geom: BaseGeometry) -> tuple[float, float]:
    """(latitude, longitude) of the area's centroid, or of a point surely inside it.

    The centroid of a concave area (a crescent, or O'Hare's separate parts) can fall outside
    it; then GEOS's representative point, which is always inside, is used instead, so a point
    mapped "at the area's centre" is always in the area.
    """
    point = geom.centroid
    if not geom.contains(point):
        point = geom.representative_point()
    return round(point.y, CENTROID_DECIMALS), round(point.x, CENTROID_DECIMALS)


def full_geometry(geom: BaseGeometry) -> dict:
    """The GeoJSON geometry to store, as loaded (or repaired)."""
    return _rounded(mapping(geom), 7)


class AreaIndex:
    """Polygons keyed by a value (an area's number or id), with fast point lookup."""

    def __init__(self, areas: Iterable[tuple[object, BaseGeometry]]):
        # Lower keys first so that `min` over candidate positions gives the lower key on a
        # shared border.
        pairs = sorted(areas, key=lambda pair: pair[0])
        self.keys = [key for key, _ in pairs]
        self.geometries = np.array([geom for _, geom in pairs], dtype=object)
        for geom in self.geometries:
            shapely.prepare(geom)
        self.tree = shapely.STRtree(self.geometries)

    def __len__(self) -> int:
        return len(self.keys)

    def locate(self, longitude: float, latitude: float):
        """The key of the area that covers the point, or None."""
        if not (math.isfinite(longitude) and math.isfinite(latitude)):
            return None
        point = shapely.Point(longitude, latitude)
        for position in sorted(self.tree.query(point)):  # boxes that hold it, then the exact test
            if self.geometries[position].covers(point):
                return self.keys[int(position)]
        return None

    def locate_many(self, longitudes: Sequence[float], latitudes: Sequence[float]) -> list:
        """Keys (or None) for many points at once: one vectorised GEOS query for all of them."""
        points = shapely.points(np.asarray(longitudes, dtype=float), np.asarray(latitudes, dtype=float))
        result: list = [None] * len(points)
        if len(points) == 0 or not len(self):
            return result
        # Candidate pairs by bounding box, then one vectorised exact test on prepared polygons.
        point_idx, area_idx = self.tree.query(points)
        hit = shapely.covers(self.geometries[area_idx], points[point_idx])
        point_idx, area_idx = point_idx[hit], area_idx[hit]
        # Visit hits from the highest area position down so the lowest one is written last.
        order = np.lexsort((-area_idx, point_idx))
        for p, a in zip(point_idx[order], area_idx[order], strict=True):
            result[int(p)] = self.keys[int(a)]
        return result


# --- The index of the loaded community areas, cached in this process.

_lock = threading.Lock()
# (version, index, monotonic time the version was last read)
_cached: tuple[object, AreaIndex | None, float] | None = None


def boundaries_version() -> tuple:
    """What identifies the loaded boundaries: a cache token and a database fingerprint.

    `load_areas` bumps the token (seen at once by every server sharing a Redis cache) and
    stores each area's centroid computed from its polygon, so the (id, centroid) list read from
    the database also changes with the polygons, for servers whose cache is their own memory.
    """
    from django.core.cache import cache

    from events.models import CommunityArea

    token = cache.get(VERSION_KEY)
    if token is None:
        token = time.time_ns()
        cache.add(VERSION_KEY, token, timeout=None)
        token = cache.get(VERSION_KEY, token)
    rows = tuple(
        CommunityArea.objects.filter(boundary__isnull=False)
        .order_by("pk").values_list("pk", "centroid_latitude", "centroid_longitude")
    )
    return (token, rows) if rows else ()


def boundaries_changed() -> None:
    """Call when boundaries were written: every process rebuilds its index on next use."""
    from django.core.cache import cache

    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    clear_area_index()


def build_area_index() -> AreaIndex | None:
    """An index of every community area with a boundary, keyed by the area's id."""
    from events.models import CommunityArea

    rows = CommunityArea.objects.filter(boundary__isnull=False).values_list("pk", "boundary")
    areas = []
    for pk, boundary in rows:
        try:
            areas.append((pk, polygon_from_geojson(boundary, repair=True)))
        except GeometryError:
            continue  # stored by hand in admin and broken: that area is just not indexed
    return AreaIndex(areas) if areas else None


def current_area_index() -> AreaIndex | None:
    """The cached index of the loaded boundaries, rebuilt when they change; None without any.

    With no boundaries loaded nothing is trusted for long: the first load must be seen at once.
    """
    global _cached
    cached = _cached
    now = time.monotonic()
    if cached is not None and cached[1] is not None and now - cached[2] < VERSION_RECHECK_SECONDS:
        return cached[1]
    version = boundaries_version()
    if cached is not None and cached[0] == version:
        _cached = (version, cached[1], now)
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
        index = build_area_index() if version else None
        _cached = (version, index, now)
        return index


def area_for_point(latitude: float | None, longitude: float | None) -> int | None:
    """The id of the community area whose boundary covers the point, or None.

    None when there is no point, no boundaries are loaded, or the point is outside every area:
    callers then keep the area the submitter chose.
    """
    if latitude is None or longitude is None:
        return None
    index = current_area_index()
    return index.locate(float(longitude), float(latitude)) if index else None


def clear_area_index() -> None:
    global _cached
    with _lock:
        _cached = None
