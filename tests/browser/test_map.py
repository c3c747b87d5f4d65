"""The Healing Map in chromium: markers, popups, keyboard, filters in the URL, list without JS."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.map_helpers import wait_until_settled
from tests.conftest import area, make_event

pytestmark = pytest.mark.django_db(transaction=True)

XSS = "<img src=x onerror=alert(1)>"


def wait_for_map(page, markers: int | None = None):
    page.wait_for_selector("#healing-map[data-state=ready]")
    if markers is not None:
        page.wait_for_function(
            "n => document.getElementById('healing-map').dataset.markers === String(n)", arg=markers
        )


def fail_on_dialog(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_click_a_marker_then_the_popup_link_opens_the_event_page(page):
    event = make_event(title="Garden of repair", host_name="Community Garden Network",
                       message="Grow together", participants=35)
    page.goto("/map/")
    wait_for_map(page, 1)
    page.locator("#healing-map .hm-marker.hm-kind-dialogue").click()
    popup = page.locator(".leaflet-popup .hm-popup")
    popup.wait_for()
    assert popup.locator(".hm-popup-title").inner_text() == "Garden of repair"
    text = popup.inner_text()
    assert "Community Garden Network" in text and "Promote Dialogue" in text
    assert "Grow together" in text and "35" in text
    wait_until_settled(page)
    with page.expect_navigation(url=f"**{event.get_absolute_url()}"):
        popup.get_by_role("link", name="Open the event page").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Garden of repair"
    page.wait_for_selector("#event-map .hm-marker")


def test_a_title_with_markup_stays_text_in_popup_and_list(page):
    make_event(title=XSS)
    dialogs = fail_on_dialog(page)
    page.goto("/map/")
    wait_for_map(page, 1)
    page.locator("#healing-map .hm-marker").first.click()
    title = page.locator(".leaflet-popup .hm-popup-title")
    title.wait_for()
    assert title.inner_text() == XSS
    assert page.locator(".leaflet-popup img").count() == 0
    # The compact markers document carries no title: the marker is labelled by kind and format.
    assert "Promote Dialogue · Virtual" in page.locator("#healing-map .hm-marker").first.get_attribute("title")
    page.goto("/map/list/")
    assert page.locator(".event-list h2 a").inner_text() == XSS
    assert page.locator(".event-list img").count() == 0
    assert dialogs == []


def test_keyboard_reaches_a_marker_and_enter_opens_its_popup(page):
    make_event(title="Keyboard circle")
    page.goto("/map/")
    wait_for_map(page, 1)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hm-marker')"):
            break
    else:
        pytest.fail("Tab never reached a marker")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "button"
    # The label names kind and format at once, and the title as soon as the details arrive.
    page.wait_for_function("() => document.activeElement.getAttribute('aria-label').includes('Keyboard circle')")
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup .hm-popup-title").wait_for()
    assert page.locator(".leaflet-popup .hm-popup-title").inner_text() == "Keyboard circle"


def test_cluster_labels_are_read_as_a_number_of_events(page):
    for _ in range(12):
        make_event()
    page.goto("/map/")
    wait_for_map(page)
    cluster = page.locator(".hm-cluster").first
    cluster.wait_for()
    assert cluster.inner_text().strip().startswith("12")
    assert cluster.locator(".visually-hidden").inner_text() == "12 events"


def test_filters_update_the_url_and_the_map_and_back_restores_them(page):
    make_event(kind="dialogue", title="Talk")
    make_event(kind="learning", title="Lesson", community_area=area(3), latitude=41.9664, longitude=-87.6563)
    page.goto("/map/")
    wait_for_map(page, 2)
    assert page.locator("[data-stat=events]").inner_text() == "2"
    page.select_option("#id_kind", "learning")
    page.wait_for_url(re.compile(r"/map/\?kind=learning$"))
    wait_for_map(page, 1)
    assert page.locator("[data-stat=events]").inner_text() == "1"
    assert page.locator("#healing-map .hm-marker.hm-kind-learning").count() == 1
    assert page.locator("#healing-map .hm-marker.hm-kind-dialogue").count() == 0
    assert page.locator("#skip-map").get_attribute("href") == "/map/list/?kind=learning"

    page.fill("#id_q", "nothing-matches-this")
    page.locator("#map-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=nothing-matches-this"))
    wait_for_map(page, 0)
    assert page.locator("[data-stat=events]").inner_text() == "0"

    page.go_back()
    page.wait_for_url(re.compile(r"/map/\?kind=learning$"))
    wait_for_map(page, 1)
    assert page.locator("#id_q").input_value() == ""
    page.go_back()
    page.wait_for_url(re.compile(r"/map/$"))
    wait_for_map(page, 2)
    assert page.locator("#id_kind").input_value() == ""


def test_the_map_still_works_when_tiles_cannot_load(page):
    """The page fixture aborts every https request, tiles included."""
    make_event(title="Offline circle")
    page.goto("/map/")
    wait_for_map(page, 1)
    assert page.locator("#map-status").inner_text() == "1 event on the map."


def test_the_list_and_its_filters_work_with_javascript_off(js_off_page):
    page = js_off_page
    soon = timezone.now() + timedelta(days=2)
    make_event(kind="learning", title="History walk", starts_at=soon)
    make_event(kind="dialogue", title="Story circle", starts_at=soon + timedelta(days=1))
    page.goto("/map/")
    page.get_by_role("link", name="Skip the map: list of these events").click()
    page.wait_for_url("**/map/list/")
    assert page.locator(".event-list h2").all_inner_texts() == ["History walk", "Story circle"]
    page.select_option("#id_kind", "dialogue")
    page.locator("#map-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/map/list/\?.*kind=dialogue"))
    assert page.locator(".event-list h2").all_inner_texts() == ["Story circle"]
    page.locator(".event-list h2 a").click()
    assert page.locator("h1").inner_text() == "Story circle"


def test_the_markers_document_is_asked_for_once_by_the_pages_head(page):
    # The head's preload starts the download while the page parses; the map's own fetch of the
    # same URL must be answered by it, not ask the server a second time.
    make_event(kind="dialogue")
    make_event(kind="learning")
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/map/markers.json" in request.url else None)
    page.goto("/map/?kind=dialogue")
    wait_for_map(page, 1)
    preload = page.locator('link[rel=preload][as=fetch]')
    assert preload.get_attribute("href") == page.locator("#healing-map").get_attribute("data-markers-url")
    assert preload.get_attribute("href").endswith("/map/markers.json?kind=dialogue")
    assert len(asked) == 1, asked
