"""Neighbourhood coverage: which community areas have had an approved healing event.

/map/coverage/ is a choropleth of approved events (or participants) per area, drawn from the
areas' display outlines, with areas that have none hatched (a pattern, not colour alone) and
an invitation to host one; the same figures are a sortable table, which is all the page shows
when no boundaries are loaded. /map/areas/<number>/ is one area's page.

Only approved events count, read through `approved()`; nothing here is private.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, F, Max
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.models import CommunityArea, HealingEvent, HealingMessage
from events.stats import PARTICIPANT_FIGURES, campaign_totals
from twh.area_words import area_label

METRICS = ("events", "participants")
# ?sort= values: a column, optionally with "-" for descending.
SORT_COLUMNS = ("area", "number", "events", "participants", "latest")
CLASS_COUNT = 4
AREA_EVENTS_PAGE_SIZE = 20
AREA_MESSAGES_SHOWN = 12
NEWEST = F("moderated_at").desc(nulls_last=True)


@dataclass
class AreaFigures:
    number: int
    name: str
    events: int
    participants: int
    reported: int
    reported_events: int
    latest: datetime | None
    display_boundary: dict | None
    pk: int

    @property
    def empty(self) -> bool:
        return self.events == 0

    @property
    def url(self) -> str:
        return reverse("healingmap:area", args=[self.number])


def area_figures() -> list[AreaFigures]:
    """Every community area with its approved events, participants and latest event date."""
    per_area = {
        row["community_area"]: row
        for row in HealingEvent.objects.approved().values("community_area").annotate(
            n=Count("id"), latest=Max("starts_at"), **PARTICIPANT_FIGURES).order_by()
    }
    return [
        AreaFigures(
            number=area.number, name=area.name, pk=area.pk,
            events=per_area.get(area.pk, {}).get("n", 0),
            participants=per_area.get(area.pk, {}).get("participants") or 0,
            reported=per_area.get(area.pk, {}).get("reported") or 0,
            reported_events=per_area.get(area.pk, {}).get("reported_events") or 0,
            latest=per_area.get(area.pk, {}).get("latest"),
            display_boundary=area.display_boundary,
        )
        for area in CommunityArea.objects.order_by("number")
    ]


def sort_areas(areas: list[AreaFigures], sort: str) -> list[AreaFigures]:
    """Sorted by a `?sort=` value (validated by the caller); ties by name."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    by_name = sorted(areas, key=lambda a: a.name.casefold())
    if column == "area":
        return list(reversed(by_name)) if descending else by_name
    if column == "latest":
        def key(a):
            return a.latest.timestamp() if a.latest else float("-inf")
    else:
        def key(a):
            return getattr(a, column)
    return sorted(by_name, key=key, reverse=descending)


def classify(values: list[int]) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Class 0 for zero, 1..4 by quartiles of the non-zero values; and the legend's ranges.

    Returns (a class per value, [(class, low, high), ...]) with no empty or repeated class.
    """
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return [0] * len(values), []
    # Upper bounds of each class, from the quartiles of the areas that have events.
    bounds = []
    for i in range(1, CLASS_COUNT + 1):
        bound = positive[min(len(positive) - 1, max(0, round(len(positive) * i / CLASS_COUNT) - 1))]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    bounds[-1] = positive[-1]
    # Classes run from 1 to 4 whatever their number, so the darkest colour is always the most.
    offset = CLASS_COUNT - len(bounds)

    def class_of(value):
        if value <= 0:
            return 0
        return offset + next(i for i, bound in enumerate(bounds, start=1) if value <= bound)

    legend, low = [], 1
    for i, bound in enumerate(bounds, start=1):
        legend.append((offset + i, low, bound))
        low = bound + 1
    return [class_of(v) for v in values], legend


def coverage_geojson(areas: list[AreaFigures], classes: dict[str, list[int]]) -> dict:
    """The areas' display outlines with their public figures (RFC 7946, [lon, lat])."""
    features = []
    for i, area in enumerate(areas):
        if not area.display_boundary:
            continue
        features.append({
            "type": "Feature",
            "geometry": area.display_boundary,
            "properties": {
                "number": area.number, "name": area.name, "events": area.events,
                "participants": area.participants, "reported": area.reported,
                "latest": timezone.localtime(area.latest).date().isoformat() if area.latest else None,
                "url": area.url, "empty": area.empty,
                "class": {metric: classes[metric][i] for metric in METRICS},
            },
        })
    return {"type": "FeatureCollection", "features": features}


def _bad_request(message: str):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@require_safe
def coverage(request):
    sort = request.GET.get("sort", "area")
    metric = request.GET.get("metric", "events")
    if sort.removeprefix("-") not in SORT_COLUMNS:
        return _bad_request(_("Unknown sort: use one of %(columns)s, with “-” for descending.")
                            % {"columns": ", ".join(SORT_COLUMNS)})
    if metric not in METRICS:
        return _bad_request(_("Unknown metric: use events or participants."))
    areas = area_figures()
    classes, legends = {}, {}
    for name in METRICS:
        classes[name], legends[name] = classify([getattr(a, name) for a in areas])
    geojson = coverage_geojson(areas, classes)
    has_map = bool(geojson["features"])
    reached = sum(1 for a in areas if not a.empty)
    context = {
        "areas": sort_areas(areas, sort),
        "sort": sort,
        "metric": metric,
        "has_map": has_map,
        "geojson": geojson if has_map else None,
        "legends": legends,
        "reached": reached,
        "areas_total": len(areas),
        "empty_count": len(areas) - reached,
        "totals": campaign_totals(HealingEvent.objects.approved()),
        "columns": _columns(sort, metric),
        "labels": {
            "events": _("approved events"), "participants": _("participants (hosts' estimates)"),
            "latest": _("latest event"), "empty": _("No approved event yet."),
            "host": _("Host one here"), "open": _("Open the area's page"),
            "submitUrl": reverse("events:submit"),
        },
    }
    return render(request, "healingmap/coverage.html", context)


def _columns(sort: str, metric: str) -> list[dict]:
    """Table headers with the link that sorts by each (descending first for numbers)."""
    labels = {"number": _("No."), "area": area_label(), "events": _("Approved events"),
              "participants": _("Participants (hosts' estimates)"), "latest": _("Latest event")}
    base = reverse("healingmap:coverage")
    columns = []
    for column in ("number", "area", "events", "participants", "latest"):
        current = sort.lstrip("-") == column
        descending_first = column in ("events", "participants", "latest")
        if current:
            next_sort = column if sort.startswith("-") else f"-{column}"
            state = "descending" if sort.startswith("-") else "ascending"
        else:
            next_sort = f"-{column}" if descending_first else column
            state = "none"
        columns.append({"key": column, "label": labels[column], "state": state,
                        "url": f"{base}?sort={next_sort}&metric={metric}#coverage-table"})
    return columns


@require_safe
def area_detail(request, number: int):
    area = get_object_or_404(CommunityArea, number=number)
    raw_page = request.GET.get("page", "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        return _bad_request(_("The page must be a whole number from 1."))
    events = (HealingEvent.objects.approved().in_area(area).order_by("-starts_at", "-pk")
              .only("title", "kind", "format", "starts_at", "host_name", "participants", "language"))
    totals = campaign_totals(events)
    try:
        page = Paginator(events, AREA_EVENTS_PAGE_SIZE).page(int(raw_page))
    except EmptyPage:
        raise Http404(_("No such page.")) from None
    messages = _area_messages(area)
    context = {
        "area": area,
        "page": page,
        "feed_query": f"?area={area.number}",
        "event_count": totals["events"],
        "participants": totals["participants"],
        "totals": totals,
        "area_messages": messages["latest"],
        "message_count": messages["count"],
    }
    return render(request, "healingmap/area.html", context)


def _area_messages(area: CommunityArea) -> dict:
    """Approved messages of healing from the area: ambassadors' and events' (with consent)."""
    from_events = HealingEvent.objects.approved().in_area(area).filter(message_consent=True).exclude(message="")
    from_ambassadors = HealingMessage.objects.approved().filter(community_area=area)
    latest = [
        {"text": e.message, "name": e.host_name, "at": e.moderated_at or e.submitted_at, "lang": e.language}
        for e in from_events.order_by(NEWEST, "-pk")[:AREA_MESSAGES_SHOWN]
    ] + [
        {"text": m.text, "name": m.shown_name, "at": m.moderated_at or m.submitted_at, "lang": m.language}
        for m in from_ambassadors.order_by(NEWEST, "-pk")[:AREA_MESSAGES_SHOWN]
    ]
    latest.sort(key=lambda m: m["at"], reverse=True)
    return {"latest": latest[:AREA_MESSAGES_SHOWN], "count": from_events.count() + from_ambassadors.count()}


@require_safe
def area_outlines(request):
    """The community areas' display outlines alone (no figures): the Healing Map draws them as
    its base layer when the background tiles cannot load."""
    features = [
        {"type": "Feature", "geometry": outline, "properties": {"number": number, "name": name}}
        for number, name, outline in CommunityArea.objects.filter(display_boundary__isnull=False)
        .order_by("number").values_list("number", "name", "display_boundary")
        if outline
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features},
                            content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
