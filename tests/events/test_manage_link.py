"""The submitter's private link: view, edit while pending, withdraw; forged or expired refused."""

import re

import pytest
from django.core import mail, signing
from django.test import override_settings

from events.models import HealingEvent
from events.tokens import SALT, make_manage_token
from tests.conftest import event_form_data
from twh.core.antispam import make_form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/events/submit/", event_form_data())
    link = re.search(r"https?://\S+/events/manage/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    return HealingEvent.objects.get(), path


def test_the_emailed_link_shows_the_submission(client, submitted):
    event, path = submitted
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert event.title in html and "Pending review" in html
    assert "Correct your submission" in html


def test_a_pending_submission_can_be_edited(client, submitted):
    event, path = submitted
    response = client.post(path, event_form_data(title="A better title", form_token=make_form_token()))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "A better title"


def test_an_approved_submission_can_no_longer_be_edited(client, submitted):
    event, path = submitted
    HealingEvent.objects.filter(pk=event.pk).update(status="approved")
    client.post(path, event_form_data(title="Sneaky change", form_token=make_form_token()))
    event.refresh_from_db()
    assert event.title != "Sneaky change"
    assert "Correct your submission" not in client.get(path).content.decode()


def test_withdraw_takes_it_off_the_queue(client, submitted):
    event, path = submitted
    response = client.post(path + "withdraw/")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "withdrawn"


def test_withdraw_asks_for_confirmation_first_and_offers_the_way_back(client, submitted):
    event, path = submitted
    manage = client.get(path).content.decode()
    assert f'href="{path}withdraw/"' in manage  # a link to the question, not a one-click form
    assert f'action="{path}withdraw/"' not in manage
    response = client.get(path + "withdraw/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Withdraw your event?" in html and "This cannot be undone" in html
    assert f'action="{path}withdraw/"' in html and "Yes, withdraw my event" in html
    assert f'href="{path}"' in html and "No, keep my event" in html
    event.refresh_from_db()
    assert event.status == "pending"


def test_a_forged_token_is_refused(client, submitted):
    event, _ = submitted
    forged = signing.dumps({"event": event.pk, "token": str(event.submission_token)}, salt="wrong-salt")
    response = client.get(f"/events/manage/{forged}/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert client.post(f"/events/manage/{forged}/withdraw/").status_code == 404
    event.refresh_from_db()
    assert event.status == "pending"


def test_a_token_for_another_event_with_a_wrong_secret_is_refused(client, submitted):
    event, _ = submitted
    other = signing.dumps({"event": event.pk, "token": "not-the-submission-token"}, salt=SALT)
    assert client.get(f"/events/manage/{other}/").status_code == 404


def test_an_expired_token_is_refused(client, submitted):
    event, _ = submitted
    token = make_manage_token(event)
    with override_settings(MANAGE_LINK_MAX_AGE_DAYS=-1):
        assert client.get(f"/events/manage/{token}/").status_code == 404
