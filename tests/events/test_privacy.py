"""Privacy snapping: an individual's point is never public at full precision."""

import math

import pytest

from events.privacy import GRID_LAT_DEGREES, GRID_LON_DEGREES, public_point, snap_to_grid


def test_snapping_moves_the_point_to_its_cell_centre_within_half_a_cell():
    lat, lon = 41.881234, -87.629876
    snapped = snap_to_grid(lat, lon)
    assert snapped != (lat, lon)
    assert abs(snapped[0] - lat) <= GRID_LAT_DEGREES / 2 + 1e-9
    assert abs(snapped[1] - lon) <= GRID_LON_DEGREES / 2 + 1e-9


def test_two_homes_in_one_cell_share_one_public_point():
    cell_lat = math.floor(41.8810 / GRID_LAT_DEGREES) * GRID_LAT_DEGREES
    a = snap_to_grid(cell_lat + 0.0001, -87.6301)
    b = snap_to_grid(cell_lat + GRID_LAT_DEGREES - 0.0001, -87.6301)
    assert a == b


def test_cell_is_about_500_metres():
    metres_lat = GRID_LAT_DEGREES * 111_000
    metres_lon = GRID_LON_DEGREES * 111_000 * math.cos(math.radians(41.85))
    assert 450 <= metres_lat <= 550 and 450 <= metres_lon <= 550


@pytest.mark.parametrize("host_type,exact,expect_exact", [
    ("individual", True, False),
    ("individual", False, False),
    ("organization", False, False),
    ("organization", True, True),
])
def test_only_organizations_that_ask_get_an_exact_point(host_type, exact, expect_exact):
    point = public_point(latitude=41.881234, longitude=-87.629876, host_type=host_type, publish_exact=exact)
    assert (point == (41.881234, -87.629876)) is expect_exact


def test_no_precise_point_means_no_public_point():
    assert public_point(latitude=None, longitude=None, host_type="organization", publish_exact=True) == (None, None)


@pytest.mark.django_db
def test_map_point_puts_a_residents_event_in_a_small_count_area_at_the_area_centre(settings):
    from events.models import HealingEvent
    from events.privacy import map_point
    from tests.conftest import make_event

    settings.MAP_SMALL_COUNT_K = 3
    resident = make_event(host_type=HealingEvent.HostType.INDIVIDUAL)
    organization = make_event()
    area = resident.community_area

    point = map_point(resident)
    assert (point.latitude, point.longitude, point.area_level) == (
        area.centroid_latitude, area.centroid_longitude, True)
    point = map_point(organization)
    assert (point.latitude, point.longitude, point.area_level) == (
        organization.public_latitude, organization.public_longitude, False)

    settings.MAP_SMALL_COUNT_K = 1  # one resident's event is no longer a small count
    assert map_point(resident).area_level is False


@pytest.mark.django_db
def test_map_point_is_none_without_a_point_to_show():
    from events.privacy import map_point
    from tests.conftest import make_event

    event = make_event(latitude=None, longitude=None)
    assert map_point(event) is None
