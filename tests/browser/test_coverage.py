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
