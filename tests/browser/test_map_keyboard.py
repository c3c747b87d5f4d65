"""The Healing Map by keyboard alone (issue 12, item 9): popups take focus and give it back."""

import pytest

from tests.browser.map_helpers import wait_for_map
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE_IN_POPUP = "() => !!document.activeElement.closest('.leaflet-popup')"
ACTIVE_IS_MARKER = "() => document.activeElement.classList.contains('hm-marker')"


def focus_the_marker(page):
    marker = page.locator("#healing-map .hm-marker.leaflet-marker-icon").first
    marker.focus()
    assert page.evaluate(ACTIVE_IS_MARKER)
    return marker


def test_enter_moves_focus_into_the_popup_and_its_link_is_one_or_two_tabs_away(page):
    make_event(title="Focus circle")
    page.goto("/map/")
    wait_for_map(page, 1)
    focus_the_marker(page)
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup .hm-popup-title").wait_for()
    page.wait_for_function(ACTIVE_IN_POPUP)
    assert page.evaluate("document.activeElement.textContent") == "Focus circle"
    for _ in range(2):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hm-popup-link')"):
            break
    else:
        pytest.fail(f"the popup's link is not within 2 Tabs (focus on {page.evaluate('document.activeElement.outerHTML')[:120]})")
    assert page.evaluate("document.activeElement.textContent") == "Open the event page"


def test_escape_closes_the_popup_and_returns_focus_to_the_marker(page):
    make_event(title="Escape circle")
    page.goto("/map/")
    wait_for_map(page, 1)
    focus_the_marker(page)
    page.keyboard.press("Enter")
    page.wait_for_function(ACTIVE_IN_POPUP)
    page.keyboard.press("Tab")  # on the popup's link now
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate(ACTIVE_IS_MARKER)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Escape circle")


def test_space_on_a_marker_opens_its_popup_and_never_scrolls_the_page(page):
    make_event(title="Space circle")
    page.goto("/map/")
    wait_for_map(page, 1)
    focus_the_marker(page).scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    page.keyboard.press(" ")
    page.locator(".leaflet-popup .hm-popup-title").wait_for()
    page.wait_for_function(ACTIVE_IN_POPUP)
    assert page.evaluate("window.scrollY") == before


def test_space_on_a_cluster_zooms_in_without_scrolling_and_focuses_what_it_held(page):
    for _ in range(5):
        make_event()
    page.goto("/map/")
    wait_for_map(page, 5)
    cluster = page.locator("#healing-map .hm-cluster").first
    cluster.wait_for()
    cluster.focus()
    cluster.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    page.keyboard.press(" ")
    # Five events at one point: markercluster spreads them out; focus lands on one of them.
    page.wait_for_function(ACTIVE_IS_MARKER)
    assert page.evaluate("window.scrollY") == before
    page.keyboard.press("Enter")
    page.wait_for_function(ACTIVE_IN_POPUP)
