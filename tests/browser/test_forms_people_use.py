"""The public forms as a person uses them: a pin map you can see and click, focus that lands
on the error summary, summary links that reach their field, and a honeypot nobody meets."""

import pytest
from django.urls import reverse

from events.tokens import make_manage_token
from tests.conftest import make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db(transaction=True)


def _pin_map_is_visible_and_clickable(page):
    page.wait_for_selector("#pin-map.leaflet-container")
    page.locator("#pin-map").scroll_into_view_if_needed()
    box = page.locator("#pin-map").bounding_box()
    assert box["height"] >= 250, box
    assert box["width"] >= 250, box
    # Click well away from the centre: a 2 px map would not be there at all.
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.25)
    assert page.locator("#pin-status").inner_text().startswith("Pin placed")
    assert page.input_value("#id_latitude") and page.input_value("#id_longitude")


@pytest.mark.parametrize("width", [375, 1280])
def test_pin_map_on_the_submission_form_is_tall_and_a_click_sets_the_point(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(reverse("events:submit"))
    _pin_map_is_visible_and_clickable(page)


def test_pin_map_on_the_private_edit_page_is_tall_and_a_click_sets_the_point(page):
    event = make_event(status=Status.PENDING, submission_token="7f0c3d6e-3c1a-4a59-9c1e-0d1f6f1b2a11")
    page.goto(reverse("events:manage", args=[make_manage_token(event)]))
    _pin_map_is_visible_and_clickable(page)


def _open_form(page, name):
    if name in ("register", "reflection"):
        from tests.summit.conftest import make_summit

        make_summit()
    page.goto(reverse(FORMS[name]))


FORMS = {
    "event": "events:submit",
    "message": "events:new_message",
    "register": "summit:register",
    "reflection": "summit:new_reflection",
}
# A radio group that is required on each form, whose summary link once pointed to "#".
RADIO_GROUPS = {"event": ["id_kind_0", "id_format_0", "id_host_type_0", "id_location_basis_0"],
                "message": [], "register": ["id_role_0"], "reflection": ["id_prompt_0"]}


@pytest.mark.parametrize("name", FORMS)
def test_a_failed_submit_moves_focus_to_the_error_summary(page, name):
    _open_form(page, name)
    page.locator("form.twh-form button[type=submit]").click()
    page.wait_for_selector("#form-problem")
    # The summary is in the page before its deferred script has run: wait for the focus to
    # land (a summary that is never focused fails here after the timeout).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'form-problem'",
                           timeout=10_000)
    assert page.title().startswith("Error:")


@pytest.mark.parametrize("name", FORMS)
def test_each_summary_link_moves_focus_to_the_first_control_of_its_field(page, name):
    # Bootstrap scrolls smoothly unless motion is reduced: a link's scrollIntoView() would still
    # be moving the page when the next link is clicked, and the click could land beside it.
    page.emulate_media(reduced_motion="reduce")
    _open_form(page, name)
    page.locator("form.twh-form button[type=submit]").click()
    from playwright.sync_api import expect

    # form-errors.js focuses the summary when it runs: until then a link is a plain anchor, which
    # scrolls to a radio button without focusing it.
    expect(page.locator("#form-problem")).to_be_focused()
    links = page.locator("#form-problem a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and "#" not in hrefs
    for radio in RADIO_GROUPS[name]:
        assert f"#{radio}" in hrefs
    for index, href in enumerate(hrefs):
        page.locator("#form-problem").focus()
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == href[1:], href
        assert page.locator(href).is_visible()


@pytest.mark.parametrize("name", FORMS)
def test_summary_links_reach_their_field_without_javascript(js_off_page, name):
    page = js_off_page
    _open_form(page, name)
    page.locator("form.twh-form button[type=submit]").click()
    first = page.locator("#form-problem a").first
    href = first.get_attribute("href")
    first.click()
    assert page.evaluate("document.activeElement.id") == href[1:]


@pytest.mark.parametrize("name", FORMS)
def test_the_honeypot_is_not_in_the_accessibility_tree(page, name):
    _open_form(page, name)
    assert page.locator("#id_homepage").count() == 1  # still there, for robots
    assert page.get_by_role("textbox", name="Leave this field empty").count() == 0
    assert "Leave this field empty" not in page.locator("body").aria_snapshot()
    page.locator("#id_title, #id_text, #id_name").first.focus()
    for _ in range(60):  # nor can the keyboard reach it
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") != "id_homepage"


@pytest.mark.parametrize("name", FORMS)
def test_no_arabic_form_scrolls_sideways_on_a_phone(page, live_server, name):
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.set_viewport_size({"width": 375, "height": 740})
    _open_form(page, name)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    # The first screen shows the page's heading, not a blank stretch.
    assert page.locator("h1").first.bounding_box()["x"] >= 0
