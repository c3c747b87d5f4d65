"""The coverage map in a real browser: areas drawn, empty ones hatched, the table by keyboard."""

import pytest

from events.models import CommunityArea
from tests.conftest import area, make_event

pytestmark = pytest.mark.django_db(transaction=True)


def square(x0, y0, size=0.02):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size],
                                                 [x0, y0 + size], [x0, y0]]]}


def load_grid_of_areas():
    for i, community_area in enumerate(CommunityArea.objects.order_by("number")):
        outline = square(-87.9 + 0.03 * (i % 12), 41.65 + 0.03 * (i // 12))
        community_area.boundary = community_area.display_boundary = outline
        community_area.save()


def test_coverage_map_renders_and_its_table_is_reachable_by_keyboard(page):
    load_grid_of_areas()
    make_event(community_area=area(32), participants=40)
    make_event(community_area=area(41), participants=5)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/map/coverage/")
    page.wait_for_selector("#coverage-map[data-ready=true]")
    paths = page.locator("#coverage-map path.leaflet-interactive")
    assert paths.count() == 77
    fills = page.eval_on_selector_all("#coverage-map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))")
    assert fills.count("url(#coverage-hatch)") == 75  # hatched: a pattern, not colour alone
    assert len(set(fills) - {"url(#coverage-hatch)"}) >= 1
    # The metric toggle swaps the legend without a reload.
    assert page.locator(".coverage-legend[data-metric=participants]").is_hidden()
    page.locator("#metric-participants").check()
    assert page.locator(".coverage-legend[data-metric=participants]").is_visible()
    assert page.locator(".coverage-legend[data-metric=events]").is_hidden()

    # Keyboard: Tab to the skip link, follow it, and the next Tab lands in the table.
    page.locator("#skip-coverage-map").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#coverage-table')")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Enter")  # the first heading sorts by number
    page.wait_for_url("**sort=number**")
    assert page.locator("#coverage-table tbody tr").first.locator("td").first.inner_text() == "1"
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]


def test_the_table_works_without_javascript(js_off_page):
    make_event(community_area=area(32))
    js_off_page.goto("/map/coverage/?sort=-events")
    first_row = js_off_page.locator("#coverage-table tbody tr").first
    assert "Loop" in first_row.inner_text()


def load_residents():
    CommunityArea.objects.update(population=50000, population_year=2020, population_source="U.S. Census")
    CommunityArea.objects.filter(number=37).update(population=2567)
    CommunityArea.objects.filter(number=32).update(population=None)


def test_the_map_fetches_its_data_and_the_rate_toggle_switches_the_legend_by_keyboard(page):
    load_grid_of_areas()
    load_residents()
    make_event(community_area=area(37), participants=40)
    make_event(community_area=area(41), participants=5)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "coverage.geojson" in request.url else None)
    page.goto("/map/coverage/")
    page.wait_for_selector("#coverage-map[data-ready=true]")
    assert len(fetched) == 1 and page.locator("#coverage-data").count() == 0
    assert page.locator("#coverage-map path.leaflet-interactive").count() == 77
    events_legend = page.locator(".coverage-legend[data-metric=events]")
    rate_legend = page.locator(".coverage-legend[data-metric=events_rate]")
    assert events_legend.is_visible() and rate_legend.is_hidden()

    # Keyboard: focus the "Counts" radio, an arrow key moves to "Rates per resident".
    page.locator("#measure-count").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "measure-rate"
    assert page.locator("#measure-rate").is_checked()
    assert rate_legend.is_visible() and events_legend.is_hidden()
    assert "per 10,000 residents" in rate_legend.inner_text()
    fills = page.eval_on_selector_all("#coverage-map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))")
    assert fills.count("#d9d9d9") == 1  # the Loop: no resident figure, grey in the rate view
    assert fills.count("url(#coverage-hatch)") == 74
    # Participants per resident, then back to counts.
    page.locator("#metric-participants").check()
    assert page.locator(".coverage-legend[data-metric=participants_rate]").is_visible()
    page.locator("#measure-count").check()
    assert page.locator(".coverage-legend[data-metric=participants]").is_visible()
    assert page.locator(".coverage-legend:visible").count() == 1


def test_the_table_shows_rates_without_javascript(js_off_page):
    load_residents()
    make_event(community_area=area(37))
    js_off_page.goto("/map/coverage/?sort=-events_rate")
    first_row = js_off_page.locator("#coverage-table tbody tr").first
    assert "Fuller Park" in first_row.inner_text() and "3.9" in first_row.inner_text()
    assert js_off_page.locator("#coverage-method").is_visible()
