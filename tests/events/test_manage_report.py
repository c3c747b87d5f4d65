"""The host's private page leads to the report-back form once it is possible, and says when it will be."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import reports
from events.models import EventReport
from events.tokens import make_manage_token
from tests.conftest import make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db


def manage_page(client, event) -> str:
    event.refresh_from_db()
    return client.get(reverse("events:manage", args=[make_manage_token(event)])).content.decode()


def test_an_asked_host_finds_the_report_form_on_the_manage_page(client):
    event = make_event(starts_at=timezone.now() - timedelta(days=2))
    reports.request_report(event=event)
    html = manage_page(client, event)
    # Read the link off the page: a signed link carries its signing second, so one made here
    # could differ from the page's by the tick of the clock.
    prefix = reverse("events:report", args=["TOKEN"]).split("TOKEN")[0]
    found = re.search(r'href="(' + re.escape(prefix) + r'[^"/]+/)"', html)
    assert found and "Report back on your event" in html
    assert reports.event_from_report_token(found.group(1)[len(prefix):-1]) == event
    assert client.get(found.group(1)).status_code == 200  # the link is the one the form accepts


def test_before_the_event_the_page_says_when_reporting_opens(client):
    event = make_event(starts_at=timezone.now() + timedelta(days=3))
    html = manage_page(client, event)
    assert "we will email you a link to report back" in html
    assert "Report back on your event" not in html
    assert reports.reporting_for_host(event)["opens_at"] == event.starts_at


def test_the_end_decides_when_there_is_one(client):
    start = timezone.now() - timedelta(hours=2)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=5))
    assert reports.reporting_for_host(event) == {"state": "later", "opens_at": event.ends_at}
    later = start + timedelta(hours=6)
    assert reports.reporting_for_host(event, now=later) == {"state": "soon"}
    assert "within the hour" in manage_page(client, make_event(starts_at=timezone.now() - timedelta(hours=3)))


def test_a_received_report_is_acknowledged_instead_of_linked(client):
    event = make_event(starts_at=timezone.now() - timedelta(days=2))
    reports.request_report(event=event)
    event.refresh_from_db()
    EventReport.objects.create(event=event, participants=12, what_happened="Talked.")
    html = manage_page(client, event)
    assert "we have your report" in html and "Report back on your event" not in html


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.WITHDRAWN])
def test_unpublished_events_say_nothing_about_reporting(client, status):
    event = make_event(status=status, starts_at=timezone.now() - timedelta(days=2))
    assert 'id="report-back"' not in manage_page(client, event)
