"""Neighbourhood coverage: which community areas have had an approved healing event.

/map/coverage/ is a choropleth of approved events (or participants) per area, drawn from the
areas' display outlines, with areas that have none hatched (a pattern, not colour alone) and
an invitation to host one; the same figures are a sortable table, which is all the page shows
when no boundaries are loaded (or without JavaScript). The page fetches its map data from
/map/coverage.geojson, built by healingmap/geojson.py. Once residents are loaded
(`manage.py load_population`) the map and table also show events per 10,000 residents and
participants per 1,000, beside the counts. /map/areas/<number>/ is one area's page.

Only approved events count, read through events.stats (the one per-area aggregate, shared with
the staff dashboard); nothing here is private. Every figure is an area's, never a point, so the
small-count rule (events/privacy.py), which decides where an individual's event is drawn, has
nothing to hide here; an area's page lists its events as the list page does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.models import CommunityArea, HealingEvent
from events.stats import (
    EVENTS_PER_RESIDENTS,
    PARTICIPANTS_PER_RESIDENTS,
    RATE_DECIMALS,
    AreaFigures,
    approved_messages,
    area_figures,
    campaign_totals,
)
from healingmap import geojson
from healingmap.filters import MapFilterForm
from twh.core.area_words import area_label

METRICS = ("events", "participants")
# How the map colours the areas: by the counts, or by the counts per resident (when loaded).
MEASURES = ("count", "rate")
# ?sort= values: a column, optionally with "-" for descending.
SORT_COLUMNS = ("area", "number", "events", "participants", "latest",
                "population", "events_rate", "participants_rate")
RATE_COLUMNS = ("population", "events_rate", "participants_rate")
CLASS_COUNT = 4
AREA_EVENTS_PAGE_SIZE = 20
AREA_MESSAGES_SHOWN = 12
# A rate is classed and shown in tenths; an area with events is never put below one tenth.
RATE_STEPS = 10 ** RATE_DECIMALS


@dataclass
class Coverage:
    """Every area's figures, the map's class of each for each legend, and the legends."""

    areas: list[AreaFigures]
    classes: dict[str, list[int | None]]
    legends: dict[str, list[tuple]]
    has_map: bool
    has_rates: bool


def legend_key(metric: str, measure: str) -> str:
    return metric if measure == "count" else f"{metric}_rate"


def coverage_figures(events=None) -> Coverage:
    """The figures behind the page and its GeoJSON (one aggregate query and the areas: read
    fresh each time, so an outline or resident count changed in the admin shows at once).

    `events`: the approved events counted (one campaign edition's, see `edition_events`)."""
    if events is None:
        events = HealingEvent.objects.approved()
    areas = area_figures(events, outlines=True)
    has_rates = any(a.population for a in areas)
    classes, legends = {}, {}
    for metric in METRICS:
        classes[metric], legends[metric] = classify([getattr(a, metric) for a in areas])
    if has_rates:
        for metric in METRICS:
            name = f"{metric}_rate"
            classes[name], legends[name] = classify_rates(
                [getattr(a, name) for a in areas], [getattr(a, metric) for a in areas])
    return Coverage(areas=areas, classes=classes, legends=legends, has_rates=has_rates,
                    has_map=any(a.display_boundary for a in areas))


def sort_areas(areas: list[AreaFigures], sort: str) -> list[AreaFigures]:
    """Sorted by a `?sort=` value (validated by the caller); ties by name; unknown rates last
    whichever the direction."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    by_name = sorted(areas, key=lambda a: a.name.casefold())
    if column == "area":
        return list(reversed(by_name)) if descending else by_name
    if column == "latest":
        def key(a):
            return a.latest.timestamp() if a.latest else float("-inf")
    elif column in RATE_COLUMNS:
        known = [a for a in by_name if getattr(a, column) is not None]
        unknown = [a for a in by_name if getattr(a, column) is None]
        return sorted(known, key=lambda a: getattr(a, column), reverse=descending) + unknown
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


def rate_steps(rate: float | None, count: int) -> int | None:
    """A rate in whole tenths, as shown: None unknown, 0 without events, at least 1 with some."""
    if rate is None:
        return None
    if count == 0:
        return 0
    return max(1, round(rate * RATE_STEPS))


def classify_rates(rates: list[float | None], counts: list[int]) -> tuple[list[int | None], list[tuple]]:
    """classify() over the rates as shown (tenths); None for an area whose residents are unknown.
    The legend's ranges are rates (low, high) to one decimal place."""
    steps = [rate_steps(rate, count) for rate, count in zip(rates, counts, strict=True)]
    known, legend = classify([s for s in steps if s is not None])
    classes, known_iter = [], iter(known)
    for s in steps:
        classes.append(None if s is None else next(known_iter))
    return classes, [(level, low / RATE_STEPS, high / RATE_STEPS) for level, low, high in legend]


def rate_text(rate: float | None, count: int) -> str:
    """A rate for people, in the page's language: "11.7", "< 0.1" for a small non-zero one, "" unknown."""
    steps = rate_steps(rate, count)
    if steps is None:
        return ""
    if count and round(rate, RATE_DECIMALS) == 0:
        return "< " + number_format(1 / RATE_STEPS, decimal_pos=RATE_DECIMALS)
    return number_format(round(rate, RATE_DECIMALS), decimal_pos=RATE_DECIMALS)  # it cuts, not rounds


def _bad_request(message: str):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@dataclass
class Row:
    """One table row: the area's figures and its rates as text for the page's language."""

    area: AreaFigures
    events_rate: str
    participants_rate: str
    population: str

    def __getattr__(self, name):
        return getattr(self.area, name)


def edition_events(request):
    """The approved events of the edition asked for (`?edition=`: empty for the current one, a
    slug, or "all"), with the shared map filters' form; or the form, when the value is unknown."""
    form = MapFilterForm({"edition": request.GET.get("edition", "")})
    if not form.is_valid():
        return None, form
    return form.filter_edition(HealingEvent.objects.approved()), form


@require_safe
def coverage(request):
    events, edition_form = edition_events(request)
    if events is None:
        return _bad_request(edition_form.errors["edition"][0])
    edition = edition_form.cleaned_data["edition"]
    sort = request.GET.get("sort", "area")
    metric = request.GET.get("metric", "events")
    measure = request.GET.get("measure", "count")
    if sort.removeprefix("-") not in SORT_COLUMNS:
        return _bad_request(_("Unknown sort: use one of %(columns)s, with “-” for descending.")
                            % {"columns": ", ".join(SORT_COLUMNS)})
    if metric not in METRICS:
        return _bad_request(_("Unknown metric: use events or participants."))
    if measure not in MEASURES:
        return _bad_request(_("Unknown measure: use count or rate."))
    figures = coverage_figures(events)
    areas = figures.areas
    if not figures.has_rates:
        measure = "count"  # nothing to divide by: the page is the counts alone
    reached = sum(1 for a in areas if not a.empty)
    rows = [Row(a, rate_text(a.events_rate, a.events), rate_text(a.participants_rate, a.participants),
                number_format(a.population, force_grouping=True) if a.population else "")
            for a in sort_areas(areas, sort)]
    context = {
        "areas": rows,
        "sort": sort,
        "metric": metric,
        "measure": measure,
        "legend_shown": legend_key(metric, measure),
        "has_map": figures.has_map,
        "has_rates": figures.has_rates,
        "data_url": reverse("healingmap:coverage_geojson") + (f"?edition={edition}" if edition else ""),
        "edition_form": edition_form,
        "edition": edition,
        "legends": figures.legends,
        "reached": reached,
        "areas_total": len(areas),
        "empty_count": len(areas) - reached,
        "totals": campaign_totals(events),
        "columns": _columns(sort, metric, measure, figures.has_rates, edition),
        "method": _method(areas) if figures.has_rates else None,
        "labels": {
            "events": _("approved events"), "participants": _("participants (hosts' estimates)"),
            "latest": _("latest event"), "empty": _("No approved event yet."),
            "host": _("Host one here"), "open": _("Open the area's page"),
            "failed": _("The map could not be loaded; the table below has the same figures."),
            "decimal": get_format("DECIMAL_SEPARATOR"),
            "submitUrl": reverse("events:submit"),
        },
    }
    if figures.has_rates:
        context["labels"].update({
            "eventsRate": _("per 10,000 residents"), "participantsRate": _("per 1,000 residents"),
            "noPopulation": _("No resident figure"),
        })
    return render(request, "healingmap/coverage.html", context)


def _method(areas: list[AreaFigures]) -> dict:
    """What the page says about its rates: where the resident counts come from, and gaps."""
    sources = sorted({(a.population_source, a.population_year) for a in areas if a.population},
                     key=lambda s: (s[1] or 0, s[0]))
    return {
        "sources": [{"source": source, "year": year} for source, year in sources],
        "missing": [a.name for a in areas if not a.population],
        "events_per": number_format(EVENTS_PER_RESIDENTS, force_grouping=True),
        "participants_per": number_format(PARTICIPANTS_PER_RESIDENTS, force_grouping=True),
        "smallest": rate_text(0.01, 1),
    }


@require_safe
def coverage_geojson(request):
    """The coverage map's data: the areas' outlines with their public figures (healingmap/geojson.py)."""
    events, edition_form = edition_events(request)
    if events is None:
        return _bad_request(edition_form.errors["edition"][0])
    figures = coverage_figures(events)
    collection = geojson.coverage_collection(
        figures.areas, figures.classes, area_url=_area_path(), with_rates=figures.has_rates)
    response = JsonResponse(collection, content_type="application/geo+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


def _area_path() -> str:
    """An area page's path with a {} for its number: reverse() once, not once per area."""
    placeholder = 987654321
    return reverse("healingmap:area_detail", args=[placeholder]).replace(str(placeholder), "{}")


def _columns(sort: str, metric: str, measure: str, has_rates: bool, edition: str = "") -> list[dict]:
    """Table headers with the link that sorts by each (descending first for numbers)."""
    labels = {"number": _("No."), "area": area_label(), "events": _("Approved events"),
              "participants": _("Participants (hosts' estimates)"), "latest": _("Latest event"),
              "population": _("Residents"), "events_rate": _("Events per 10,000 residents"),
              "participants_rate": _("Participants per 1,000 residents")}
    order = ["number", "area", "events"]
    if has_rates:
        order += ["events_rate"]
    order += ["participants"]
    if has_rates:
        order += ["participants_rate", "population"]
    order += ["latest"]
    base = reverse("healingmap:coverage")
    extra = f"&measure={measure}" if has_rates and measure != "count" else ""
    if edition:
        extra += f"&edition={edition}"
    columns = []
    for column in order:
        current = sort.lstrip("-") == column
        descending_first = column not in ("number", "area")
        if current:
            next_sort = column if sort.startswith("-") else f"-{column}"
            state = "descending" if sort.startswith("-") else "ascending"
        else:
            next_sort = f"-{column}" if descending_first else column
            state = "none"
        columns.append({"key": column, "label": labels[column], "state": state,
                        "url": f"{base}?sort={next_sort}&metric={metric}{extra}#coverage-table"})
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
    return render(request, "healingmap/area_detail.html", context)


def _area_messages(area: CommunityArea) -> dict:
    """Approved messages of healing from the area: ambassadors' and events' (with consent)."""
    messages = approved_messages(area=area)
    return {"latest": list(messages[:AREA_MESSAGES_SHOWN]), "count": messages.count()}


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
