"""The Healing Map on a 375 px phone (issue 12, item 12): the map is in the first screen and the
folded filters still open and work from the keyboard."""

import re

import pytest

from tests.browser.map_helpers import wait_for_map
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 667},
                                  locale="en-US", has_touch=True)
    context.route("https://**/*", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def test_a_phone_shows_the_map_in_its_first_screen(phone):
    make_event(title="Phone circle")
    phone.goto("/map/")
    wait_for_map(phone, 1)
    top = phone.evaluate("document.getElementById('healing-map').getBoundingClientRect().top")
    height = phone.evaluate("window.innerHeight")
    # Not just its top edge: a good part of the map is in view before any scrolling.
    assert top < height - 150, f"the map starts {top}px down a {height}px screen"
    assert phone.locator("#id_kind").is_hidden()  # folded away


def test_a_phone_opens_the_filters_and_uses_them_by_keyboard(phone):
    make_event(title="Talk", kind="dialogue")
    make_event(title="Lesson", kind="learning")
    phone.goto("/map/")
    wait_for_map(phone, 2)
    summary = phone.locator("#map-filters-panel > summary")
    for _ in range(30):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        pytest.fail("Tab never reached the filters' summary")
    assert summary.inner_text() == "Filter the events"
    phone.keyboard.press("Enter")
    assert phone.locator("#id_kind").is_visible()
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "id_kind"
    for _ in range(20):  # each date field costs several Tab stops
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.id") == "id_q":
            break
    else:
        pytest.fail("Tab never reached the search field")
    phone.keyboard.type("Lesson")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/map/\?q=Lesson$"))
    wait_for_map(phone, 1)
    assert phone.locator("[data-stat=events]").inner_text() == "1"


def test_a_wide_screen_shows_the_filters_open(page):
    make_event()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/map/")
    wait_for_map(page, 1)
    assert page.locator("#id_kind").is_visible()
