"""Campaign figures for public pages: events, participants and areas reached.

Participant counts are honest about what they are: `participants` is the sum of hosts'
estimates (made before the event), `reported` the sum of what hosts reported afterwards in
approved reports, over `reported_events` events. Every page and the staff dashboard read them
through PARTICIPANT_FIGURES / participant_figures(), so they agree everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Count, F, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from events.models import CommunityArea, HealingEvent, HealingMessage
from twh.core.moderation import Status

_REPORTED = Q(report__status=Status.APPROVED)

# The aggregates behind every participant figure, for .aggregate() or per-group .annotate().
PARTICIPANT_FIGURES = {
    "participants": Coalesce(Sum("participants"), 0),
    "reported": Coalesce(Sum("report__participants", filter=_REPORTED), 0),
    "reported_events": Count("report", filter=_REPORTED),
}


def participant_figures(events) -> dict:
    """{participants (hosts' estimates), reported, reported_events} over approved events."""
    return events.aggregate(**PARTICIPANT_FIGURES)


def participant_sentence(totals: dict) -> str:
    """The one honest participant figure, in the active language: "about 10,200 taking part
    (hosts' estimates); 7,900 reported after 160 events" (the second half once there are reports)."""
    estimated = totals.get("participants") or 0
    reports = totals.get("reported_events") or 0
    sentence = ngettext(
        "about %(n)s taking part (hosts' estimates)", "about %(n)s taking part (hosts' estimates)", estimated,
    ) % {"n": number_format(estimated, force_grouping=True)}
    if not reports:
        return sentence
    reported = ngettext(
        "%(reported)s reported after %(events)s event", "%(reported)s reported after %(events)s events", reports,
    ) % {"reported": number_format(totals.get("reported") or 0, force_grouping=True),
         "events": number_format(reports, force_grouping=True)}
    # Translators: joins the estimated and the reported halves of the participant figure.
    return gettext("%(estimated)s; %(reported)s") % {"estimated": sentence, "reported": reported}


def campaign_totals(events) -> dict:
    """Counts over an events QuerySet that the caller has already limited to approved ones."""
    figures = events.aggregate(
        events=Count("id"), areas=Count("community_area", distinct=True), **PARTICIPANT_FIGURES,
    )
    return {
        "events": figures["events"],
        "participants": figures["participants"],
        "reported": figures["reported"],
        "reported_events": figures["reported_events"],
        "areas": figures["areas"],
        "areas_total": CommunityArea.objects.count(),
    }


# Per-resident rates: events per 10,000 residents, participants (hosts' estimates) per 1,000.
EVENTS_PER_RESIDENTS = 10_000
PARTICIPANTS_PER_RESIDENTS = 1_000
RATE_DECIMALS = 1


def per_residents(count: int, population: int | None, per: int) -> float | None:
    """`count` per `per` residents, unrounded; None when the area's residents are unknown (or 0)."""
    if not population:
        return None
    return count * per / population


@dataclass
class AreaFigures:
    """One community area's approved events and participants, and its residents if loaded."""

    pk: int
    number: int
    name: str
    events: int
    participants: int
    reported: int
    reported_events: int
    latest: datetime | None
    population: int | None
    population_year: int | None
    population_source: str
    display_boundary: dict | None

    @property
    def empty(self) -> bool:
        return self.events == 0

    @property
    def events_rate(self) -> float | None:
        """Approved events per 10,000 residents (unrounded)."""
        return per_residents(self.events, self.population, EVENTS_PER_RESIDENTS)

    @property
    def participants_rate(self) -> float | None:
        """Participants (hosts' estimates) per 1,000 residents (unrounded)."""
        return per_residents(self.participants, self.population, PARTICIPANTS_PER_RESIDENTS)


def area_figures(events, *, outlines: bool = False) -> list[AreaFigures]:
    """Every community area (by number) with its figures over `events`, an approved-events
    QuerySet the caller has limited (dates, filters): the one per-area aggregate that the
    coverage page and the staff dashboard both read. `outlines` also reads display boundaries."""
    per_area = {
        row["community_area"]: row
        for row in events.values("community_area").annotate(
            n=Count("id"), latest=Max("starts_at"), **PARTICIPANT_FIGURES).order_by()
    }
    columns = ["pk", "number", "name", "population", "population_year", "population_source"]
    if outlines:
        columns.append("display_boundary")
    figures = []
    for area in CommunityArea.objects.order_by("number").values(*columns):
        row = per_area.get(area["pk"], {})
        figures.append(AreaFigures(
            pk=area["pk"], number=area["number"], name=area["name"],
            events=row.get("n", 0), participants=row.get("participants") or 0,
            reported=row.get("reported") or 0, reported_events=row.get("reported_events") or 0,
            latest=row.get("latest"), population=area["population"],
            population_year=area["population_year"], population_source=area["population_source"],
            display_boundary=area.get("display_boundary"),
        ))
    return figures


# Every column is an annotation on both sides, so the UNION lines them up by name and order.
MESSAGE_FIELDS = ("body", "who", "area_name", "at", "origin", "ident", "lang")


def approved_messages(*, area: CommunityArea | None = None):
    """Approved messages of healing from events (with consent) and from ambassadors: one
    queryset over both sources, newest first, that a Paginator can count and slice; only
    those from `area` when one is given (an area's page)."""
    in_area = Q(community_area=area) if area is not None else Q()
    from_events = (
        HealingEvent.objects.approved().filter(in_area, message_consent=True).exclude(message="")
        .annotate(body=F("message"), who=F("host_name"), area_name=F("community_area__name"),
                  at=Coalesce("moderated_at", "submitted_at"),
                  origin=Value("event", output_field=CharField()), ident=F("pk"), lang=F("language"))
        .values(*MESSAGE_FIELDS).order_by()
    )
    from_ambassadors = (
        HealingMessage.objects.approved().filter(in_area)
        .annotate(body=F("text"), who=F("display_name"), area_name=F("community_area__name"),
                  at=Coalesce("moderated_at", "submitted_at"),
                  origin=Value("ambassador", output_field=CharField()), ident=F("pk"), lang=F("language"))
        .values(*MESSAGE_FIELDS).order_by()
    )
    return from_events.union(from_ambassadors, all=True).order_by("-at", "origin", "-ident")


def home_figures() -> dict:
    """The home page's totals and latest messages, cached until public data changes.

    Keyed on the public-data version, so a moderation decision shows at once, while a busy
    launch day reads the figures from the cache instead of aggregating every event per view.
    """
    from django.core.cache import cache

    from twh.core.publication import public_version

    key = f"events:home-figures:{public_version()}"
    figures = cache.get(key)
    if figures is None:
        figures = {
            "totals": campaign_totals(HealingEvent.objects.approved()),
            "latest_messages": list(approved_messages()[:6]),
        }
        cache.set(key, figures, timeout=60 * 60)
    return figures
