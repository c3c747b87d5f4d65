"""Point-in-polygon on edges, holes and multipolygons; geometry checks, display and centres."""

import math

import pytest
import shapely
from shapely.geometry import shape

from events.geometry import (
    AreaIndex,
    GeometryError,
    display_geometry,
    inside_centre,
    polygon_from_geojson,
)


def ring(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


def multipolygon(*polygons):
    return {"type": "MultiPolygon", "coordinates": [p["coordinates"] for p in polygons]}


@pytest.fixture
def index():
    """1 and 2 share the edge x=1; 3 has a hole (4..6) in which 4 is an island; 5 has two parts."""
    return AreaIndex([
        (2, shape(polygon(ring(1, 0, 2, 1)))),
        (1, shape(polygon(ring(0, 0, 1, 1)))),
        (3, shape(polygon(ring(3, 3, 7, 7), ring(4, 4, 6, 6)))),
        (4, shape(polygon(ring(4.5, 4.5, 5.5, 5.5)))),
        (5, shape(multipolygon(polygon(ring(10, 0, 11, 1)), polygon(ring(20, 0, 21, 1))))),
    ])


@pytest.mark.parametrize("point,expected", [
    ((0.5, 0.5), 1),
    ((1.5, 0.5), 2),
    ((0.0, 0.5), 1),    # on the outer edge: in the area
    ((0.0, 0.0), 1),    # on a corner
    ((1.0, 0.5), 1),    # on the edge 1 and 2 share: the lower number, whatever the order
    ((1.0, 1.0), 1),    # the corner they share
    ((2.0, 0.5), 2),    # 2's outer edge
    ((3.5, 3.5), 3),    # in the ring around the hole
    ((4.2, 5.0), None),  # in the hole, outside the island: in no area
    ((4.0, 5.0), 3),    # on the hole's edge: still the area's boundary
    ((5.0, 5.0), 4),    # on the island inside the hole
    ((10.5, 0.5), 5),   # first part of the multipolygon
    ((20.5, 0.5), 5),   # second part
    ((15.0, 0.5), None),  # between the parts
    ((-5.0, -5.0), None),  # outside every area
    ((0.5, 1.0000001), None),  # just past the top edge
])
def test_point_lookup(index, point, expected):
    assert index.locate(*point) == expected
    assert index.locate_many([point[0]], [point[1]]) == [expected]


def test_many_points_agree_with_one_at_a_time(index):
    points = [(x / 4, y / 4) for x in range(-4, 90) for y in range(-4, 32)]
    many = index.locate_many([p[0] for p in points], [p[1] for p in points])
    assert many == [index.locate(*p) for p in points]
    assert {1, 2, 3, 4, 5, None} == set(many)


def test_not_a_number_is_in_no_area(index):
    assert index.locate(math.nan, 0.5) is None


@pytest.mark.parametrize("geometry,message", [
    ({"type": "Point", "coordinates": [0, 0]}, "Point, not a Polygon"),
    ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "LineString"),
    (None, "missing"),
    ({"type": "Polygon", "coordinates": "nope"}, "malformed"),
    ({"type": "Polygon", "coordinates": []}, "empty"),
    (polygon(ring(1_150_000, 1_900_000, 1_160_000, 1_910_000)), "projected"),
    (polygon([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]), "not valid: Self-intersection"),
])
def test_unusable_geometries_are_refused_with_the_reason(geometry, message):
    with pytest.raises(GeometryError, match=message):
        polygon_from_geojson(geometry)


def test_an_invalid_polygon_is_repaired_only_when_asked():
    bowtie = polygon([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]])
    repaired = polygon_from_geojson(bowtie, repair=True)
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert repaired.area == pytest.approx(2.0)


def test_centre_of_a_convex_area_is_its_centroid():
    assert inside_centre(shape(polygon(ring(0, 0, 2, 4)))) == (2.0, 1.0)


def test_centre_of_a_concave_area_is_inside_it():
    # A U shape: its centroid is in the gap between the arms.
    u_shape = shape(polygon([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]))
    assert not u_shape.contains(u_shape.centroid)
    latitude, longitude = inside_centre(u_shape)
    assert u_shape.contains(shapely.Point(longitude, latitude))


def test_display_outline_is_lighter_valid_and_close():
    circle = shapely.Point(-87.65, 41.85).buffer(0.02, quad_segs=256)
    display = display_geometry(circle)
    simple = shape(display)
    assert display["type"] == "Polygon"
    assert simple.is_valid
    assert len(shapely.get_coordinates(simple)) < len(shapely.get_coordinates(circle)) / 4
    assert simple.hausdorff_distance(circle) < 0.0005
    assert all(round(c, 5) == c for c in display["coordinates"][0][0])


def test_display_outline_keeps_holes_and_parts():
    holed = shape(polygon(ring(0, 0, 1, 1), ring(0.4, 0.4, 0.6, 0.6)))
    assert len(display_geometry(holed)["coordinates"]) == 2
    parts = shape(multipolygon(polygon(ring(0, 0, 1, 1)), polygon(ring(2, 0, 3, 1))))
    assert len(display_geometry(parts)["coordinates"]) == 2
