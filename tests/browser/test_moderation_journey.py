"""Submit -> a moderator approves in admin -> counted on the home page, in a real browser."""

import pytest
from django.contrib.auth.models import Group

from events.models import HealingEvent
from tests.conftest import event_form_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_then_moderator_approves_then_home_counts_it(page, django_user_model, settings):
    settings.ADMIN_REQUIRE_2FA = False  # two-factor login has its own tests
    data = event_form_data()
    page.goto("/")
    assert page.locator("[data-stat=events]").inner_text() == "0"

    page.goto("/events/submit/")
    page.fill("#id_title", "Browser journey circle")
    page.check("#id_kind_1")
    page.check("#id_format_2")
    page.fill("#id_starts_at", data["starts_at"])
    page.fill("#id_participants", "33")
    page.fill("#id_description", "A hybrid healing circle.")
    page.check("#id_host_type_0")
    page.fill("#id_host_name", "Englewood Elders")
    page.check("#id_location_basis_1")
    page.fill("#id_address", "Englewood, 63rd and Halsted")
    page.select_option("#id_community_area", label="Englewood")
    page.fill("#id_contact_name", "Pat Private")
    page.fill("#id_contact_email", "pat.private@example.net")
    page.click("button[type=submit].btn-lg")
    page.wait_for_url("**/submit/thanks/**")

    moderator = django_user_model.objects.create_user("mod", password="a-long-test-password-9", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    page.goto("/admin/")
    page.fill("#id_username", "mod")
    page.fill("#id_password", "a-long-test-password-9")
    page.click("input[type=submit]")
    page.goto("/admin/events/healingevent/?status__exact=pending")
    row = page.locator("tr", has_text="Browser journey circle")
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 item approved.")

    event = HealingEvent.objects.get(title="Browser journey circle")
    assert event.status == "approved" and event.moderated_by == moderator
    page.goto("/")
    assert page.locator("[data-stat=events]").inner_text() == "1"
    assert page.locator("[data-stat=participants]").inner_text() == "33"
    page.goto(f"/events/{event.pk}/")
    assert page.locator("h1").inner_text() == "Browser journey circle"
    assert "pat.private@example.net" not in page.content()


def test_moderator_places_a_flagged_event_on_the_admin_map(page, django_user_model, settings):
    from tests.conftest import make_event

    settings.ADMIN_REQUIRE_2FA = False
    event = make_event(status="pending", latitude=None, longitude=None, needs_location=True)
    django_user_model.objects.create_superuser("chief", password="a-long-test-password-8")
    page.goto("/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-test-password-8")
    page.click("input[type=submit]")
    page.goto(f"/admin/events/healingevent/{event.pk}/change/")
    page.wait_for_selector("#admin-location-map.leaflet-container")
    page.locator("#admin-location-map").click(position={"x": 300, "y": 200})
    latitude = page.input_value("#id_latitude")
    assert latitude and 41.6 < float(latitude) < 42.1
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/events/healingevent/")
    event.refresh_from_db()
    assert event.latitude == float(latitude) and not event.needs_location
