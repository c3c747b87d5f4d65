"""Following events: the iCalendar feed and the Atom/RSS feeds, with the map's filters."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.conftest import area, make_event, make_message
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def calendar(client, query=""):
    response = client.get(reverse("calendar_feed") + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content), response.content.decode()


def summaries(cal) -> set[str]:
    return {str(c["summary"]) for c in cal.walk("VEVENT")}


def test_the_calendar_lists_upcoming_approved_events_only(client):
    make_event(title="Soon", ends_at=timezone.now() + timedelta(days=3, hours=2))
    make_event(title="Over", starts_at=timezone.now() - timedelta(days=1))
    make_event(title="Pending", status=Status.PENDING)
    cal, text = calendar(client)
    assert summaries(cal) == {"Soon"}
    assert cal.walk("VTIMEZONE") and str(cal.walk("VTIMEZONE")[0]["tzid"]) == "America/Chicago"
    entry = cal.walk("VEVENT")[0]
    assert entry["dtstart"].dt.tzinfo is not None and entry["uid"] and entry["dtstamp"]
    assert "DTSTART;TZID=America/Chicago:" in text
    assert str(cal["version"]) == "2.0" and cal["prodid"]


def test_the_calendar_never_carries_contact_details_or_an_individuals_address(client):
    event = make_event(host_type="individual", host_name="Maria", format="in_person",
                       address="1 Hidden Lane", contact_email="secret@example.net")
    _cal, text = calendar(client)
    assert "Hidden Lane" not in text and "secret@example.net" not in text
    assert event.contact_name not in text and event.contact_phone not in text


def test_the_calendar_respects_the_filters(client):
    make_event(title="Dialogue in Loop", kind="dialogue", community_area=area(32))
    make_event(title="Learning in Hyde Park", kind="learning", community_area=area(41))
    assert summaries(calendar(client, "?area=41")[0]) == {"Learning in Hyde Park"}
    assert summaries(calendar(client, "?kind=dialogue")[0]) == {"Dialogue in Loop"}
    assert client.get(reverse("calendar_feed") + "?area=nope").status_code == 400


def test_one_event_as_a_calendar_file_and_links(client):
    event = make_event(title="Story night")
    response = client.get(reverse("events:ics", args=[event.pk]))
    cal = Calendar.from_ical(response.content)
    assert summaries(cal) == {"Story night"}
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Add this event to my calendar" in page
    assert "https://calendar.google.com/calendar/render?" in page and "outlook.live.com" in page
    pending = make_event(status=Status.PENDING)
    assert client.get(reverse("events:ics", args=[pending.pk])).status_code == 404


def test_an_xss_title_is_inert_in_the_calendar(client):
    make_event(title=XSS)
    cal, _text = calendar(client)
    assert summaries(cal) == {XSS}  # plain text in a text format: nothing runs it


def atom(client, query=""):
    response = client.get(reverse("atom_feed") + query)
    assert response.status_code == 200 and "atom+xml" in response["Content-Type"]
    ElementTree.fromstring(response.content)  # well-formed XML
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed, response.content.decode()


def test_the_atom_feed_has_new_events_and_messages(client):
    make_event(title="Fresh circle", moderated_at=timezone.now())
    make_message(text="We heal together", display_name="Ana", moderated_at=timezone.now())
    make_event(title="Pending one", status=Status.PENDING)
    make_message(text="Not yet", status=Status.PENDING)
    feed, _ = atom(client)
    titles = [e.title for e in feed.entries]
    assert "Fresh circle" in titles and "A message of healing from Ana" in titles
    assert "Pending one" not in titles and all("Not yet" not in e.get("summary", "") for e in feed.entries)
    rss = feedparser.parse(client.get(reverse("rss_feed")).content)
    assert not rss.bozo and {e.title for e in rss.entries} == set(titles)


def test_the_atom_feed_respects_the_filters(client):
    make_event(title="In Loop", community_area=area(32), kind="dialogue")
    make_event(title="In Hyde Park", community_area=area(41), kind="learning")
    make_message(text="From Hyde Park", community_area=area(41))
    feed, _ = atom(client, "?area=41")
    assert {e.title for e in feed.entries if "message" not in e.title} == {"In Hyde Park"}
    assert [e.summary for e in feed.entries if "message" in e.title] == ["From Hyde Park"]
    feed, _ = atom(client, "?kind=dialogue")
    assert [e.title for e in feed.entries] == ["In Loop"]  # messages have no kind
    assert client.get(reverse("atom_feed") + "?kind=bogus").status_code == 400


def test_an_xss_title_is_inert_in_the_feeds(client):
    make_event(title=XSS, description=XSS)
    for name in ("atom_feed", "rss_feed"):
        body = client.get(reverse(name)).content.decode()
        ElementTree.fromstring(body)
        assert "<script>" not in body and "<img" not in body
        assert "&lt;script&gt;" in body


def test_the_feeds_are_linked_from_pages(client):
    make_event()
    for url in ("/", reverse("healingmap:map"), reverse("healingmap:event_list"), reverse("healingmap:area_detail", args=[32])):
        body = client.get(url).content.decode()
        assert 'rel="alternate" type="application/atom+xml"' in body, url
        assert 'type="text/calendar"' in body, url
    assert 'href="/events/calendar.ics?area=32"' in client.get(reverse("healingmap:area_detail", args=[32])).content.decode()
    assert 'href="/events/feed.atom?kind=dialogue"' in client.get(reverse("healingmap:map") + "?kind=dialogue").content.decode()
