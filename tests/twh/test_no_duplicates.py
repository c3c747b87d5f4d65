"""No duplicates after an outage (issue 10, item 7): the 503 page tells the truth about what
was saved, and a retry of the same content, even from a fresh form, is the same submission."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from events.models import HealingEvent, HealingMessage
from summit.models import Reflection
from tests.conftest import event_form_data
from twh.core.antispam import make_form_token


def _connection_drops(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db(transaction=True)
def test_after_a_commit_the_503_says_received_and_a_fresh_retry_is_the_same_event(
    client, monkeypatch, reference_data
):
    with monkeypatch.context() as patch:
        patch.setattr("events.views.redirect", _connection_drops)  # the row is committed by now
        failed = client.post(reverse("events:submit"), event_form_data())
    assert failed.status_code == 503
    page = failed.content.decode()
    assert "Received: no need to send it again" in page and "try again" not in page.lower()
    retry = client.post(reverse("events:submit"), event_form_data())  # a fresh form and token
    event = HealingEvent.objects.get()
    assert retry.status_code == 302 and retry.url == reverse("events:thanks", args=[event.submission_token])


@pytest.mark.django_db(transaction=True)
def test_before_a_commit_the_503_says_try_again_and_the_retry_is_stored_once(
    client, monkeypatch, reference_data
):
    with monkeypatch.context() as patch:
        patch.setattr("events.services._queue_submission_emails", _connection_drops)
        failed = client.post(reverse("events:submit"), event_form_data())
    assert failed.status_code == 503 and "Please try again in a moment" in failed.content.decode()
    assert not HealingEvent.objects.exists()
    assert client.post(reverse("events:submit"), event_form_data()).status_code == 302
    assert HealingEvent.objects.count() == 1


@pytest.mark.django_db
def test_the_same_message_from_a_fresh_form_is_one_message(client):
    data = {"text": "We heal together.", "display_name": "Ana", "email": "ana@example.net"}
    first = client.post(reverse("events:new_message"), {**data, "form_token": make_form_token()})
    again = client.post(reverse("events:new_message"), {**data, "form_token": make_form_token()})
    assert first.url == again.url and HealingMessage.objects.count() == 1
    other = client.post(reverse("events:new_message"), {**data, "text": "Another one.",
                                                         "form_token": make_form_token()})
    assert other.url != first.url and HealingMessage.objects.count() == 2


@pytest.mark.django_db
def test_the_same_reflection_from_a_fresh_form_is_one_reflection(client):
    from tests.summit.conftest import make_summit

    make_summit()
    data = {"prompt": "progress", "text": "We grew.", "display_name": "", "email": ""}
    first = client.post(reverse("summit:new_reflection"), {**data, "form_token": make_form_token()})
    again = client.post(reverse("summit:new_reflection"), {**data, "form_token": make_form_token()})
    assert first.status_code == 302 and first.url == again.url and Reflection.objects.count() == 1


@pytest.mark.django_db
def test_the_same_content_later_or_from_someone_else_is_a_new_event(client, settings):
    client.post(reverse("events:submit"), event_form_data())
    client.post(reverse("events:submit"), event_form_data(contact_email="someone.else@example.net"))
    assert HealingEvent.objects.count() == 2
    HealingEvent.objects.update(
        submitted_at=timezone.now() - timedelta(minutes=settings.DUPLICATE_WINDOW_MINUTES + 1))
    client.post(reverse("events:submit"), event_form_data())
    assert HealingEvent.objects.count() == 3
