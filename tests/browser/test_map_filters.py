"""The Healing Map's filters by keyboard (issue 12, item 10): arrow keys on a select apply the
filter without adding a history entry per step."""

import re

import pytest

from tests.browser.map_helpers import wait_for_map
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_arrow_presses_on_the_kind_filter_add_one_history_entry(page):
    make_event(kind="dialogue", title="Talk")
    make_event(kind="connections", title="Potluck")
    page.goto("/map/")
    wait_for_map(page, 2)
    before = page.evaluate("history.length")
    page.locator("#id_kind").focus()
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    # All activities → Dialogue → Collaboration → Learning → Connections
    page.wait_for_url(re.compile(r"/map/\?kind=connections$"))
    wait_for_map(page, 1)
    assert page.evaluate("history.length") == before + 1
    assert page.locator("#healing-map .hm-marker.hm-kind-connections").count() == 1
    assert page.locator("[data-stat=events]").inner_text() == "1"
    assert page.evaluate("document.activeElement.id") == "id_kind"

    page.go_back()  # one step back is where the presses began
    page.wait_for_url(re.compile(r"/map/$"))
    wait_for_map(page, 2)
    assert page.locator("#id_kind").input_value() == ""


def test_a_second_visit_to_the_control_adds_its_own_history_entry(page):
    make_event(kind="dialogue")
    make_event(kind="learning")
    page.goto("/map/")
    wait_for_map(page, 2)
    before = page.evaluate("history.length")
    page.locator("#id_kind").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_url(re.compile(r"kind=dialogue"))
    page.locator("#id_q").focus()
    page.locator("#id_kind").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_url(re.compile(r"kind=learning"))
    wait_for_map(page, 1)
    assert page.evaluate("history.length") == before + 2
