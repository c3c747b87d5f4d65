"""The .ics parses, keeps Chicago time on both sides of a daylight-saving change, and carries
the meeting link only in a confirmed registrant's own invitation."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from summit.calendar import build_ics, google_calendar_url, outlook_calendar_url
from tests.summit.conftest import MEETING_URL, make_summit, sign_up

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def _event(ics: str):
    calendar = Calendar.from_ical(ics)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return calendar, events[0]


@pytest.mark.parametrize("local_start,utc_start", [
    (datetime(2027, 3, 12, 18, 0), datetime(2027, 3, 13, 0, 0)),   # CST, UTC-6, before 14 March
    (datetime(2027, 3, 15, 18, 0), datetime(2027, 3, 15, 23, 0)),   # CDT, UTC-5, after
    (datetime(2027, 1, 29, 10, 0), datetime(2027, 1, 29, 16, 0)),
])
def test_ics_has_the_right_times_on_both_sides_of_daylight_saving(local_start, utc_start):
    summit = make_summit(starts_at=local_start.replace(tzinfo=CHICAGO))
    calendar, event = _event(build_ics(summit))
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert event["dtstart"].params["TZID"] == "America/Chicago"
    assert start.astimezone(UTC).replace(tzinfo=None) == utc_start
    assert (end - start).total_seconds() == 3 * 3600
    assert start.strftime("%H:%M") == local_start.strftime("%H:%M")  # wall-clock time kept
    timezones = [c for c in calendar.walk() if c.name == "VTIMEZONE"]
    assert [str(tz["tzid"]) for tz in timezones] == ["America/Chicago"]
    kinds = {c.name for c in timezones[0].subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    # What a calendar app does: resolve the TZID through the VTIMEZONE we sent.
    zone = timezones[0].to_tz()
    naive = datetime.strptime(event["dtstart"].to_ical().decode(), "%Y%m%dT%H%M%S")
    assert naive.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None) == utc_start


def test_ics_has_the_fields_rfc_5545_requires_and_a_link_back(summit):
    calendar, event = _event(build_ics(summit))
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    for field in ("uid", "dtstamp", "dtstart", "dtend", "summary", "description", "url"):
        assert field in event, field
    assert str(event["summary"]) == summit.title
    assert str(event["url"]).endswith("/summit/")
    assert str(event["uid"]).startswith(f"summit-{summit.pk}@")


def test_the_meeting_link_is_only_in_a_confirmed_registrants_invitation():
    summit = make_summit(capacity=1)
    confirmed = sign_up(summit).registration
    waiting = sign_up(summit).registration
    assert MEETING_URL in build_ics(summit, registration=confirmed).replace("\r\n ", "")
    assert MEETING_URL not in build_ics(summit, registration=waiting).replace("\r\n ", "")
    assert MEETING_URL not in build_ics(summit).replace("\r\n ", "")


def test_google_and_outlook_links_carry_the_times_in_utc(summit):
    summit.starts_at = datetime(2027, 1, 29, 10, 0, tzinfo=CHICAGO)
    summit.ends_at = datetime(2027, 1, 29, 13, 0, tzinfo=CHICAGO)
    google = parse_qs(urlsplit(google_calendar_url(summit)).query)
    assert google["dates"] == ["20270129T160000Z/20270129T190000Z"]
    assert google["text"] == [summit.title] and google["ctz"] == ["America/Chicago"]
    outlook = parse_qs(urlsplit(outlook_calendar_url(summit)).query)
    assert outlook["startdt"] == ["2027-01-29T16:00:00Z"] and outlook["enddt"] == ["2027-01-29T19:00:00Z"]
    assert MEETING_URL not in google_calendar_url(summit) + outlook_calendar_url(summit)
    assert MEETING_URL in parse_qs(urlsplit(google_calendar_url(summit, meeting_url=MEETING_URL)).query)["location"]
