"""The public journey with the keyboard alone: share an event, open its marker on the map,
filter the list, register for the summit. No mouse clicks: every control is reached with Tab."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from events import moderation
from events.models import HealingEvent
from summit.models import Registration
from tests.conftest import area, make_event
from tests.summit.conftest import make_summit

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab until the focused element matches `selector`: proves it is reachable in order."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{selector} not reached with Tab in {limit} presses (focus is on {focused})")


def tab_to_marker_named(page, title: str, *, limit: int = 10) -> None:
    """Tab from marker to marker until one is named `title`: a marker's name (its event's title)
    is fetched when it first gets focus, so each is read once its name has arrived."""
    for _ in range(limit):
        tab_to(page, ".leaflet-marker-icon.hm-marker")
        page.wait_for_function("() => document.activeElement.dataset.named === 'true'")
        if page.evaluate("(t) => document.activeElement.getAttribute('aria-label').startsWith(t)", title):
            return
    raise AssertionError(f"no marker named {title!r} reached with Tab")


def focus_is_visible(page) -> bool:
    """The focused element has a visible outline (our :focus-visible style)."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
    )


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def test_the_public_journey_with_the_keyboard_only(page, live_server):
    # --- 1. Share an event.
    page.goto("/events/submit/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # the skip link moves focus past the navigation
    type_into(page, "#id_title", "Keyboard listening circle")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")  # the first kind: Promote Dialogue
    tab_to(page, "input[name=format]")
    page.keyboard.press("ArrowRight")  # the second format: in person
    tab_to(page, "#id_starts_at")
    day = timezone.localdate() + timedelta(days=4)
    page.keyboard.type(day.strftime("%m%d%Y"))  # Chromium's en-US date-time field: mm dd yyyy
    page.keyboard.press("ArrowRight")
    page.keyboard.type("0630P")
    type_into(page, "#id_participants", "18")
    type_into(page, "#id_description", "Neighbours listen to each other.")
    tab_to(page, "input[name=host_type]")
    page.keyboard.press("Space")  # an organization
    type_into(page, "#id_host_name", "Hyde Park Listening Club")
    tab_to(page, "input[name=location_basis]")
    page.keyboard.press("Space")
    type_into(page, "#id_address", "5801 S Ellis Ave")
    tab_to(page, "#id_community_area")
    page.keyboard.type("Hyde Park")
    type_into(page, "#id_contact_name", "Kim Private")
    type_into(page, "#id_contact_email", "kim.private@example.net")
    tab_to(page, "button[type=submit].btn-lg")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/thanks/**")
    event = HealingEvent.objects.get(title="Keyboard listening circle")
    assert event.format == "in_person" and event.host_type == "organization"
    assert event.community_area.name == "Hyde Park"

    # Staff approve it (moderation has its own browser test), and other events exist to filter out.
    staff = get_user_model().objects.create_user("staff", password="a-long-test-password-3", is_staff=True)
    assert moderation.approve(event, moderator=staff)
    make_event(title="A history walk far away", kind="learning", community_area=area(8),
               latitude=41.8995, longitude=-87.6290)

    # --- 2. On the map, reach the marker and open its popup.
    page.goto("/map/")
    page.wait_for_selector("#healing-map[data-state=ready] .leaflet-marker-icon")
    tab_to_marker_named(page, event.title)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    popup.locator(".hm-popup-title").wait_for()  # the details are fetched when it opens
    assert event.title in popup.inner_text()
    tab_to(page, ".leaflet-popup a.hm-popup-link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{event.pk}/")
    assert page.locator("h1").inner_text() == event.title

    # --- 3. Filter the list.
    page.goto("/map/list/")
    assert "A history walk far away" in page.locator("main").inner_text()
    tab_to(page, "#id_kind")
    page.keyboard.type("Promote")  # typing selects the matching option of a closed select
    assert page.input_value("#id_kind") == "dialogue"
    tab_to(page, "#map-filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**kind=dialogue**")
    listing = page.locator("main").inner_text()
    assert event.title in listing and "A history walk far away" not in listing

    # --- 4. Register for the summit.
    make_summit(capacity=10)
    page.goto("/summit/")
    tab_to(page, 'main a[href$="/summit/register/"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/summit/register/")
    type_into(page, "#id_name", "Robin Keyboard")
    type_into(page, "#id_email", "robin.keyboard@example.net")
    tab_to(page, "input[name=role]")
    page.keyboard.press("Space")
    tab_to(page, "#id_needs_captions")
    page.keyboard.press("Space")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/summit/register/done/**")
    assert "check your email" in page.locator("h1").inner_text()
    registration = Registration.objects.get(email="robin.keyboard@example.net")
    assert registration.status == Registration.Status.CONFIRMED and registration.needs_captions
