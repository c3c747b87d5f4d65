"""The whole campaign in one browser session: a resident shares an event, staff approve it, it is on
the map and the list, an ambassador shares a message, a person registers for the summit and is
emailed, reflects, staff approve the reflection, and it is on the wall."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from events.models import HealingEvent, HealingMessage
from summit.models import Reflection, Registration, Summit
from tests.browser.map_helpers import wait_for_map, wait_until_settled
from tests.conftest import event_form_data
from twh.core.roles import grant_to_moderators

pytestmark = pytest.mark.django_db(transaction=True)


def approve_in_admin(page, changelist: str, row_text: str) -> None:
    page.goto(f"{changelist}?status__exact=pending")
    page.locator("tr", has_text=row_text).locator("input.action-select").check()
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 item approved.")


def test_the_whole_campaign_journey(page, live_server, django_user_model, settings):
    settings.ADMIN_REQUIRE_2FA = False  # two-factor login has its own tests
    # The flush after transactional tests removes the summit app's grants to Moderators too.
    grant_to_moderators(apps, import_module("summit.migrations.0002_moderators_group").PERMISSIONS)
    starts_at = timezone.now() + timedelta(days=20)
    Summit.objects.create(title="Healing summit 2027", description="We reflect on the year together.",
                          starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
                          meeting_url="https://meet.example.org/journey-room", capacity=100, is_current=True)

    # 1. A resident shares an event.
    page.goto("/")
    page.get_by_role("link", name="Share your event").click()
    page.fill("#id_title", "Englewood story circle")
    page.check("#id_kind_0")
    page.check("#id_format_1")
    page.fill("#id_starts_at", event_form_data()["starts_at"])
    page.fill("#id_participants", "40")
    page.fill("#id_description", "Elders and young people trade stories of the neighbourhood.")
    page.check("#id_host_type_0")
    page.fill("#id_host_name", "Englewood Story Club")
    page.check("#id_location_basis_0")
    page.fill("#id_address", "Englewood, 63rd and Halsted")
    page.select_option("#id_community_area", label="Englewood")
    page.fill("#id_contact_name", "Dana Private")
    page.fill("#id_contact_email", "dana.private@example.net")
    page.click("button[type=submit].btn-lg")
    page.wait_for_url("**/submit/thanks/**")
    assert any(m.to == ["dana.private@example.net"] for m in mail.outbox)

    # 2. Staff log in to admin and approve it.
    moderator = django_user_model.objects.create_user("journeymod", password="a-long-test-password-7", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    page.goto("/admin/")
    page.fill("#id_username", "journeymod")
    page.fill("#id_password", "a-long-test-password-7")
    page.click("input[type=submit]")
    approve_in_admin(page, "/admin/events/healingevent/", "Englewood story circle")
    event = HealingEvent.objects.get(title="Englewood story circle")
    assert event.status == "approved"

    # 3. It is on the map, its popup works, and it is in the list.
    page.goto("/map/")
    wait_for_map(page, 1)
    # A marker carries only its kind and format until its details are fetched on first open.
    page.locator("#healing-map .hm-marker").click()
    popup = page.locator(".leaflet-popup")
    popup.locator(".hm-popup-title").wait_for()
    assert event.title in popup.inner_text() and "Englewood Story Club" in popup.inner_text()
    assert "dana.private" not in popup.inner_text()
    wait_until_settled(page)
    with page.expect_navigation(url=f"**/events/{event.pk}/"):
        popup.locator("a.hm-popup-link").click()
    page.goto("/map/list/")
    assert event.title in page.locator("main").inner_text()

    # 4. An ambassador shares a message of healing; staff approve it; it is on the messages wall.
    page.goto("/events/messages/new/")
    page.fill("#id_text", "May every block in Englewood feel heard.")
    page.fill("#id_display_name", "Jo")
    page.click("form.twh-form button[type=submit]")
    page.wait_for_url("**/messages/thanks/**")
    approve_in_admin(page, "/admin/events/healingmessage/", "May every block")
    assert HealingMessage.objects.get(display_name="Jo").status == "approved"
    page.goto("/map/messages/")
    assert "May every block in Englewood feel heard." in page.locator("main").inner_text()

    # 5. A person registers for the summit and gets the confirmation email.
    page.goto("/summit/")
    page.get_by_role("link", name="Register for the summit").click()
    page.fill("#id_name", "Lee Participant")
    page.fill("#id_email", "lee.participant@example.net")
    page.check("#id_role_1")
    page.check("#id_consent")
    page.click("button[type=submit].btn-lg")
    page.wait_for_url("**/summit/register/done/**")
    assert "check your email" in page.locator("h1").inner_text()
    assert Registration.objects.get(email="lee.participant@example.net").status == "confirmed"
    confirmation = next(m for m in mail.outbox if m.to == ["lee.participant@example.net"])
    assert confirmation.subject.startswith("You are registered")
    assert "journey-room" in confirmation.body and confirmation.attachments  # link and calendar file
    assert re.search(r"/summit/registration/\S+/", confirmation.body)

    # 6. They post a reflection; staff approve it; it is on the wall.
    page.goto("/summit/reflections/new/")
    page.get_by_label("The progress we made").check()
    page.fill("#id_text", "This winter my block learned each other's names.")
    page.fill("#id_display_name", "Lee")
    page.fill("#id_email", "lee.participant@example.net")
    page.click("button[type=submit].btn-lg")
    page.wait_for_url("**/reflections/thanks/**")
    approve_in_admin(page, "/admin/summit/reflection/", "my block learned")
    assert Reflection.objects.get(display_name="Lee").status == "approved"
    page.goto("/summit/reflections/")
    card = page.locator("figure", has_text="my block learned each other's names")
    assert "Lee" in card.inner_text() and "summit participant" in card.inner_text()
    assert "lee.participant@example.net" not in page.content()
