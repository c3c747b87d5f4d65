"""The Healing Map when its background tiles cannot load (issue 12, item 14): the community
areas are outlined instead, and a status message says so."""

import base64

import pytest

from tests.browser.map_helpers import wait_for_map
from tests.browser.test_coverage import load_grid_of_areas
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=")
NOTICE = "#map-tiles-notice"


def test_without_tiles_the_areas_are_outlined_and_the_notice_is_announced(page):
    """The page fixture aborts every https request, tiles included."""
    load_grid_of_areas()
    make_event(title="Offline circle")
    page.goto("/map/")
    wait_for_map(page, 1)
    page.wait_for_selector("#healing-map[data-outlines='77']")
    assert page.locator("#healing-map .leaflet-overlay-pane path").count() == 77
    notice = page.locator(NOTICE)
    assert notice.inner_text() == "The background map could not load: the community areas are outlined instead."
    assert notice.is_visible() and notice.get_attribute("role") == "status"
    assert page.locator("#healing-map .hm-marker").count() == 1  # the markers stay on top


def test_without_tiles_or_outlines_the_notice_still_says_so(page):
    make_event()
    page.goto("/map/")
    wait_for_map(page, 1)
    page.wait_for_function("() => document.querySelector('#map-tiles-notice').textContent !== ''")
    assert page.locator(NOTICE).inner_text() == "The background map could not load."
    assert page.locator("#healing-map .leaflet-overlay-pane path").count() == 0


def test_when_tiles_load_there_is_no_notice_and_no_outlines(page):
    load_grid_of_areas()
    make_event()
    page.route("https://**/*", lambda route: route.fulfill(status=200, content_type="image/png", body=PNG))
    page.goto("/map/")
    wait_for_map(page, 1)
    page.wait_for_function("() => document.querySelectorAll('#healing-map .leaflet-tile-loaded').length > 0")
    page.wait_for_load_state("networkidle")
    assert page.locator(NOTICE).inner_text() == ""
    assert page.locator(NOTICE).bounding_box()["height"] == 0
    assert page.get_attribute("#healing-map", "data-tiles") is None
