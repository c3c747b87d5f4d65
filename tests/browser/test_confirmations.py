"""Withdrawing an event and cancelling a summit place ask first, without JavaScript, and offer
the way back."""

import pytest
from django.urls import reverse

from events.models import HealingEvent
from events.tokens import make_manage_token
from summit.models import Registration
from summit.tokens import make_registration_token
from tests.conftest import make_event
from tests.summit.conftest import make_summit, sign_up
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db(transaction=True)


def test_withdrawing_asks_first_and_keeping_the_event_changes_nothing(js_off_page):
    page = js_off_page
    event = make_event(status=Status.PENDING, submission_token="0b7e6a3c-5d1f-4c2b-8e9a-1f2d3c4b5a69")
    page.goto(reverse("events:manage", args=[make_manage_token(event)]))
    page.get_by_role("link", name="Withdraw my event").click()
    assert page.locator("h1").inner_text() == "Withdraw your event?"
    assert "This cannot be undone" in page.locator("main").inner_text()
    page.get_by_role("link", name="No, keep my event").click()
    assert page.locator("h1").inner_text() == "Your submission"
    assert HealingEvent.objects.get(pk=event.pk).status == Status.PENDING

    page.get_by_role("link", name="Withdraw my event").click()
    page.get_by_role("button", name="Yes, withdraw my event").click()
    assert "You withdrew this submission" in page.locator("main").inner_text()
    assert HealingEvent.objects.get(pk=event.pk).status == Status.WITHDRAWN


def test_cancelling_a_place_asks_first_and_keeping_it_changes_nothing(js_off_page):
    page = js_off_page
    person = sign_up(make_summit()).registration
    page.goto(reverse("summit:registration", args=[make_registration_token(person)]))
    page.get_by_role("link", name="Cancel my registration").click()
    assert page.locator("h1").inner_text() == "Cancel your registration?"
    page.get_by_role("link", name="No, keep my place").click()
    assert "your place is confirmed" in page.locator("#registration-status").inner_text()
    assert Registration.objects.get(pk=person.pk).status == "confirmed"

    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    assert "Your registration is cancelled" in page.locator("[role=status]").inner_text()
    assert Registration.objects.get(pk=person.pk).status == "cancelled"
