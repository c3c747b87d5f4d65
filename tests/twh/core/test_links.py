"""Signed private links: one mechanism, and the links already in people's inboxes keep working."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.test import override_settings
from django.utils import timezone

from events.models import HealingEvent
from events.reports import REPORT_LINK
from events.tokens import MANAGE_LINK
from summit.models import Registration, Summit
from summit.tokens import REGISTRATION_LINK
from tests.conftest import make_event
from twh.core.links import SignedLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    start = timezone.now() + timedelta(days=30)
    summit = Summit.objects.create(title="Summit", description="d", starts_at=start,
                                   ends_at=start + timedelta(hours=3), capacity=5)
    return Registration.objects.create(summit=summit, status="confirmed", name="A",
                                       email="a@example.net", role="partner")


def test_links_made_before_the_shared_module_still_open_their_rows(registration):
    # A signed link carries its signing second: all of them are signed within one frozen second,
    # or the comparison below would depend on the clock ticking between two calls.
    with mock.patch("django.core.signing.time.time", return_value=1_800_000_000.0):
        _links_made_before_still_open(registration)


def _links_made_before_still_open(registration):
    event = make_event(submission_token=uuid.uuid4())
    old_manage = signing.dumps({"event": event.pk, "token": str(event.submission_token)},
                               salt="events.manage-link")
    old_registration = signing.dumps({"r": registration.pk, "k": str(registration.manage_key)},
                                     salt="summit.registration-link")
    assert MANAGE_LINK.find(old_manage, HealingEvent.objects.all()) == event
    assert REGISTRATION_LINK.find(old_registration, Registration.objects.all()) == registration
    # and the links made now are the very same strings
    assert MANAGE_LINK.make(event) == old_manage
    assert REGISTRATION_LINK.make(registration) == old_registration


def test_a_report_link_made_the_old_way_still_opens_the_event():
    event = make_event()
    HealingEvent.objects.filter(pk=event.pk).update(report_requested_at=timezone.now())
    event.refresh_from_db()
    old = signing.dumps({"event": event.pk, "requested": event.report_requested_at.isoformat()},
                        salt="events.report-link")
    assert REPORT_LINK.make(event) == old
    assert REPORT_LINK.find(old, HealingEvent.objects.approved()) == event


def test_forged_stale_other_salt_and_expired_links_find_nothing(registration):
    event = make_event(submission_token=uuid.uuid4())
    rows = HealingEvent.objects.all()
    token = MANAGE_LINK.make(event)
    assert MANAGE_LINK.find(token + "x", rows) is None
    assert MANAGE_LINK.find(REGISTRATION_LINK.make(registration), rows) is None  # another salt
    wrong_secret = signing.dumps({"event": event.pk, "token": str(uuid.uuid4())}, salt="events.manage-link")
    assert MANAGE_LINK.find(wrong_secret, rows) is None
    malformed = signing.dumps({"event": "not a number", "token": ""}, salt="events.manage-link")
    assert MANAGE_LINK.find(malformed, rows) is None
    with pytest.raises(signing.BadSignature):
        MANAGE_LINK.read(malformed)
    with override_settings(MANAGE_LINK_MAX_AGE_DAYS=-1):  # every link is older than that
        assert MANAGE_LINK.find(token, rows) is None
    assert MANAGE_LINK.find(token, rows.exclude(pk=event.pk)) is None  # not in what the view may open
    assert MANAGE_LINK.find(token, rows) == event


def test_a_link_is_a_full_address_for_an_email(settings, registration):
    settings.SITE_URL = "https://healing.example.org"
    link = SignedLink(salt="test", id_key="r", secret_key="k", secret=lambda r: str(r.manage_key),
                      max_age_days_setting="SUMMIT_LINK_MAX_AGE_DAYS", url_name="summit:registration")
    url = link.url(registration)
    assert url.startswith("https://healing.example.org/") and url.rstrip("/").endswith(link.make(registration))
