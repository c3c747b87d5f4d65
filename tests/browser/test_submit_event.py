"""A resident shares an event in a real browser: keyboard only, and with JavaScript off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import HealingEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _start_text():
    return (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")


def test_resident_submits_with_the_keyboard_only(page):
    page.goto("/events/submit/")
    page.keyboard.press("Tab")  # the skip link is the first stop
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.locator("#id_title").focus()
    page.keyboard.type("Keyboard story circle")
    page.keyboard.press("Tab")  # to the activity kinds: arrow keys choose within a radio group
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # format: in person
    page.locator("#id_starts_at").focus()
    day = timezone.localdate() + timedelta(days=4)
    page.keyboard.type(day.strftime("%m%d%Y"))  # Chromium's en-US date-time field: mm dd yyyy
    page.keyboard.press("ArrowRight")
    page.keyboard.type("0630P")
    page.locator("#id_participants").focus()
    page.keyboard.type("18")
    page.locator("#id_description").focus()
    page.keyboard.type("We listened to each other.")
    page.locator("#id_host_type_1").focus()
    page.keyboard.press("Space")
    page.locator("#id_host_name").focus()
    page.keyboard.type("Hyde Park Friends")
    page.locator("#id_location_basis_1").focus()
    page.keyboard.press("Space")
    page.locator("#id_address").focus()
    page.keyboard.type("5801 S Ellis Ave")
    page.locator("#id_community_area").focus()
    page.keyboard.type("Hyde Park")
    page.locator("#id_contact_name").focus()
    page.keyboard.type("Kim Private")
    page.keyboard.press("Tab")
    page.keyboard.type("kim.private@example.net")
    page.locator("button[type=submit].btn-lg").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/thanks/**")
    assert "Thank you for sharing" in page.locator("h1").inner_text()
    event = HealingEvent.objects.get(title="Keyboard story circle")
    assert event.format == "in_person"
    assert event.community_area.name == "Hyde Park"
    assert event.status == "pending"
    assert event.latitude is not None and not event.needs_location
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day:%Y-%m-%d} 18:30"


def test_form_works_with_javascript_off(js_off_page):
    page = js_off_page
    page.goto("/events/submit/")
    assert not page.locator("#pin-map").is_visible()
    page.fill("#id_title", "No-script potluck")
    page.check("#id_kind_3")
    page.check("#id_format_0")
    page.fill("#id_starts_at", _start_text())
    page.fill("#id_participants", "12")
    page.fill("#id_description", "Food and friendship.")
    page.check("#id_host_type_1")
    page.check("#id_location_basis_0")
    page.fill("#id_address", "Unknown place unavailable")
    page.select_option("#id_community_area", label="Englewood")
    page.fill("#id_contact_name", "Lee Private")
    page.fill("#id_contact_email", "not-an-email")
    page.click("button[type=submit].btn-lg")
    # The server answers with the errors and everything typed kept.
    assert page.locator("#form-problem").is_visible()
    assert page.input_value("#id_title") == "No-script potluck"
    page.fill("#id_contact_email", "lee.private@example.net")
    page.click("button[type=submit].btn-lg")
    page.wait_for_url("**/submit/thanks/**")
    event = HealingEvent.objects.get(title="No-script potluck")
    assert event.needs_location and event.host_name == "A Chicago resident"


def test_a_pin_placed_on_the_map_is_used_and_nothing_breaks_the_csp(page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error"
            and "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/events/submit/")
    page.wait_for_selector("#pin-map.leaflet-container")
    page.locator("#pin-map").click()  # scrolls the map into view and clicks its centre
    assert page.locator("#pin-status").inner_text().startswith("Pin placed")
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert 41.6 < latitude < 42.1 and -88.0 < longitude < -87.5
    page.fill("#id_title", "Pinned gathering")
    page.check("#id_kind_2")
    page.check("#id_format_1")
    page.fill("#id_starts_at", _start_text())
    page.fill("#id_participants", "9")
    page.fill("#id_description", "Placed by pin.")
    page.check("#id_host_type_1")
    page.check("#id_location_basis_1")
    page.select_option("#id_community_area", label="Loop")
    page.fill("#id_contact_name", "Ada Private")
    page.fill("#id_contact_email", "ada.private@example.net")
    page.click("button[type=submit].btn-lg")
    page.wait_for_url("**/submit/thanks/**")
    event = HealingEvent.objects.get(title="Pinned gathering")
    assert (round(event.latitude, 5), round(event.longitude, 5)) == (round(latitude, 5), round(longitude, 5))
    assert problems == []
