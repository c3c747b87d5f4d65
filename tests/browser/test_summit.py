"""A person registers for the summit in a real browser, then cancels with the emailed link."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.utils import timezone

from summit.models import Registration, Summit

pytestmark = pytest.mark.django_db(transaction=True)


def _summit(**overrides):
    starts_at = overrides.pop("starts_at", timezone.now() + timedelta(days=20))
    values = {"title": "Browser healing summit", "description": "Together.", "starts_at": starts_at,
              "ends_at": starts_at + timedelta(hours=3), "meeting_url": "https://meet.example.org/room-77",
              "capacity": 1, "is_current": True}
    values.update(overrides)
    return Summit.objects.create(**values)


def _register(page, name, email):
    page.goto("/summit/")
    page.get_by_role("link", name=re.compile("Register for the summit|Join the waitlist")).click()
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.check("#id_role_1")
    page.check("#id_needs_captions")
    page.check("#id_consent")
    page.click("button[type=submit].btn-lg")


def test_register_confirmation_then_cancel_with_the_emailed_link(page, live_server):
    summit = _summit()
    _register(page, "Robin Browser", "robin@example.net")
    page.wait_for_url("**/summit/register/done/**")
    assert "check your email" in page.locator("h1").inner_text()

    _register(page, "Sky Waiting", "sky@example.net")
    page.wait_for_url("**/summit/register/done/**")
    waiting = next(m for m in mail.outbox if m.to == ["sky@example.net"])
    waiting_link = re.search(r"https?://\S+/summit/registration/\S+/", waiting.body).group(0)
    page.goto(live_server.url + "/summit/registration/" + waiting_link.split("/summit/registration/")[1])
    assert "number 1 on the waitlist" in page.locator("#registration-status").inner_text()

    confirmation = next(m for m in mail.outbox if m.to == ["robin@example.net"])
    assert confirmation.attachments and "room-77" in confirmation.body
    link = re.search(r"https?://\S+/summit/registration/\S+/", confirmation.body).group(0)
    page.goto(live_server.url + "/summit/registration/" + link.split("/summit/registration/")[1])
    assert "your place is confirmed" in page.locator("#registration-status").inner_text()
    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url("**?cancelled=1")
    assert "Your registration is cancelled" in page.locator("[role=status]").inner_text()

    assert Registration.objects.get(email="robin@example.net").status == "cancelled"
    assert Registration.objects.get(email="sky@example.net").status == "confirmed"
    promoted = [m for m in mail.outbox if m.to == ["sky@example.net"]]
    assert promoted[-1].subject.startswith("A place opened")
    assert summit.registrations.confirmed().count() == 1


@pytest.mark.parametrize("zone,shown", [("Europe/Berlin", True), ("America/Chicago", False)])
def test_the_local_time_appears_only_where_it_differs(browser, live_server, zone, shown):
    starts_at = timezone.make_aware(timezone.datetime(2027, 1, 29, 10, 0))  # Chicago time
    _summit(starts_at=starts_at)
    context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id=zone)
    try:
        page = context.new_page()
        page.goto("/summit/")
        local = page.locator(".summit-local-time")
        assert local.is_visible() is shown
        if shown:
            assert "5:00" in local.inner_text() and "In your time zone" in local.inner_text()
    finally:
        context.close()


def test_on_the_demo_summit_a_participant_reflects_and_a_moderator_approves(page, django_user_model, settings):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from twh.core.roles import grant_to_moderators

    settings.ADMIN_REQUIRE_2FA = False  # two-factor login has its own tests
    # Transactional tests flush the data migrations' rows: put the summit's permissions back.
    grant_to_moderators(apps, import_module("summit.migrations.0002_moderators_group").PERMISSIONS)
    settings.CAMPAIGN_END = timezone.localdate() + timedelta(days=60)  # the demo summit is ahead
    call_command("seed_summit", stdout=StringIO())
    _register(page, "Quinn Participant", "quinn@example.net")
    page.wait_for_url("**/summit/register/done/**")

    page.goto("/summit/reflections/new/")
    page.get_by_label("What healing did you witness in your neighbourhood?").check()
    page.fill("#id_text", "Neighbours on my street finally talked about the past.")
    page.fill("#id_display_name", "Quinn")
    page.fill("#id_email", "QUINN@example.net")
    page.click("button[type=submit].btn-lg")
    page.wait_for_url("**/reflections/thanks/**")

    django_user_model.objects.create_user("summitmod", password="a-long-test-password-8", is_staff=True)
    django_user_model.objects.get(username="summitmod").groups.add(Group.objects.get(name="Moderators"))
    page.goto("/admin/")
    page.fill("#id_username", "summitmod")
    page.fill("#id_password", "a-long-test-password-8")
    page.click("input[type=submit]")
    page.goto("/admin/summit/reflection/?status__exact=pending")
    page.locator("tr", has_text="Neighbours on my street").locator("input.action-select").check()
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 item approved.")

    page.goto("/summit/reflections/")
    card = page.locator("figure", has_text="Neighbours on my street")
    assert "summit participant" in card.inner_text() and "Quinn" in card.inner_text()
    assert "quinn@example.net" not in page.content().lower()
    assert any(m.to == ["quinn@example.net"] and "published" in m.subject for m in mail.outbox)
