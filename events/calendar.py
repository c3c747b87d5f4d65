"""Healing events as calendar entries: RFC 5545 iCalendar (one event or a feed of many), and
"add to Google Calendar / Outlook" links. Public fields only: never an individual's address."""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, Timezone, vUri

from events.models import HealingEvent

PRODID = "-//Together We Heal//Healing events//EN"
# An event given without an end is shown as lasting this long.
DEFAULT_LENGTH = timedelta(hours=2)


def event_url(event: HealingEvent) -> str:
    return settings.SITE_URL + event.get_absolute_url()


def _ends(event: HealingEvent):
    return event.ends_at or event.starts_at + DEFAULT_LENGTH


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def _location(event: HealingEvent) -> str:
    if event.format == HealingEvent.Format.VIRTUAL:
        return gettext("Online")
    if event.host_type == HealingEvent.HostType.ORGANIZATION and event.publish_exact_location and event.address:
        return f"{event.address}, {event.community_area.name}"
    return event.community_area.name  # an individual's address is private


def _description(event: HealingEvent) -> str:
    lines = [event.description.strip(), "", gettext("Hosted by %(name)s") % {"name": event.host_name}]
    if event.rsvp_url:
        lines.append(gettext("Join or RSVP:") + " " + event.rsvp_url)
    lines += ["", event_url(event)]
    return "\n".join(lines)


def _calendar(first_date, last_date, *, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(Timezone.from_tzid(
        settings.TIME_ZONE, first_date=first_date - timedelta(days=366), last_date=last_date + timedelta(days=366),
    ))
    return calendar


def _vevent(event: HealingEvent, zone, stamp) -> Event:
    entry = Event()
    entry.add("uid", f"event-{event.pk}@{_host()}")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", timezone.localtime(event.starts_at, zone))
    entry.add("dtend", timezone.localtime(_ends(event), zone))
    entry.add("summary", event.title)
    entry.add("description", _description(event))
    entry.add("location", _location(event))
    entry.add("url", vUri(event_url(event)))
    entry.add("categories", [str(event.get_kind_display())])
    return entry


def build_ics(events, *, name: str = "") -> str:
    """An iCalendar document of these events (public fields only), with the city's time zone."""
    events = list(events)
    zone = timezone.get_default_timezone()
    today = timezone.localdate()
    first = min([timezone.localtime(e.starts_at, zone).date() for e in events] or [today])
    last = max([timezone.localtime(_ends(e), zone).date() for e in events] or [today])
    calendar = _calendar(first, last, name=name)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_vevent(event, zone, stamp))
    return calendar.to_ical().decode("utf-8")


def _utc(moment, pattern: str) -> str:
    return moment.astimezone(UTC).strftime(pattern)


def google_calendar_url(event: HealingEvent) -> str:
    pattern = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE", "text": event.title,
        "dates": f"{_utc(event.starts_at, pattern)}/{_utc(_ends(event), pattern)}",
        "details": _description(event), "location": _location(event), "ctz": settings.TIME_ZONE,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(event: HealingEvent) -> str:
    pattern = "%Y-%m-%dT%H:%M:%SZ"
    query = {
        "path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
        "startdt": _utc(event.starts_at, pattern), "enddt": _utc(_ends(event), pattern),
        "body": _description(event), "location": _location(event),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
