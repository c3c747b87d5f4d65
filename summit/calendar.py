"""The summit as a calendar entry: an RFC 5545 .ics, and Google Calendar and Outlook links.

The meeting link goes only into a confirmed registrant's own invitation; the public listing
and the public links never carry it.
"""

from datetime import UTC, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, Timezone, vUri

from summit.models import Registration, Summit

PRODID = "-//Together We Heal//Summit//EN"


def summit_page_url(summit: Summit) -> str:
    return settings.SITE_URL + summit.get_absolute_url()


def _uid(summit: Summit) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"summit-{summit.pk}@{host}"


def _description(summit: Summit, meeting_url: str) -> str:
    lines = [summit.description.strip(), "", summit_page_url(summit)]
    if meeting_url:
        lines[2:2] = [gettext("Join the summit:") + " " + meeting_url, ""]
    return "\n".join(lines)


def _calendar(first_date, last_date) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(Timezone.from_tzid(
        settings.TIME_ZONE, first_date=first_date - timedelta(days=366),
        last_date=last_date + timedelta(days=366),
    ))
    return calendar


def empty_ics() -> str:
    """The public listing while no summit is announced: valid, with nothing in it yet."""
    today = timezone.localdate()
    return _calendar(today, today).to_ical().decode("utf-8")


def build_ics(summit: Summit, *, registration: Registration | None = None) -> str:
    """The summit as an iCalendar file; with the meeting link only for a confirmed registrant."""
    meeting_url = ""
    if registration is not None and registration.status == Registration.Status.CONFIRMED:
        meeting_url = summit.meeting_url
    zone = timezone.get_default_timezone()
    starts, ends = timezone.localtime(summit.starts_at, zone), timezone.localtime(summit.ends_at, zone)
    calendar = _calendar(starts.date(), ends.date())
    event = Event()
    event.add("uid", _uid(summit))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", summit.title)
    event.add("description", _description(summit, meeting_url))
    event.add("url", vUri(summit_page_url(summit)))
    event.add("location", meeting_url or gettext("Online"))
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def google_calendar_url(summit: Summit, *, meeting_url: str = "") -> str:
    dates = "/".join(m.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") for m in (summit.starts_at, summit.ends_at))
    query = {
        "action": "TEMPLATE", "text": summit.title, "dates": dates,
        "details": _description(summit, meeting_url), "location": meeting_url or gettext("Online"),
        "ctz": settings.TIME_ZONE,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(summit: Summit, *, meeting_url: str = "") -> str:
    query = {
        "path": "/calendar/action/compose", "rru": "addevent", "subject": summit.title,
        "startdt": summit.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": summit.ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": _description(summit, meeting_url), "location": meeting_url or gettext("Online"),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
