"""Every outward format of the Healing Map, built in one place from an explicit allow-list.

GeoJSON features, the map's compact markers, CSV rows and the data behind popups all come from
`public_values()`, which reads only the columns named in ROW_COLUMNS from approved events;
contact details, precise points and moderation fields are never selected, so they cannot leak
by accident (the map's own documents select from healingmap/event_table.py, whose columns
are public ones too, and its features are made here). Rows are plain tuples and the start time is read as the database's text, so a
build of 10,000 events parses no datetime twice and makes no model instance or dict per row.
"""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import orjson
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    F,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import CommunityArea, HealingEvent
from events.privacy import shown_at_area, small_count_area_ids
from events.stats import RATE_DECIMALS, campaign_totals
from twh.core.area_words import with_area_word
from twh.core.moderation import Status
from twh.core.publication import public_version

# The properties of an event's feature, in order. Also the CSV's columns (plus the point).
EVENT_PROPERTIES = (
    "id", "title", "kind", "format", "start", "community_area", "community_area_name",
    "host_name", "participants", "reported_participants", "reported", "virtual", "location_basis",
    "message", "url", "lang",
)
# The properties of an area-level point standing for a few individuals' events (small counts).
AREA_PROPERTIES = ("count", "community_area", "community_area_name", "url")
CSV_COLUMNS = (*EVENT_PROPERTIES, "longitude", "latitude", "location_precision")
# One compact marker: what the map needs to draw it; the popup's details are fetched on open.
MARKER_FIELDS = ("id", "longitude", "latitude", "kind", "format", "virtual")
AREA_MARKER_FIELDS = ("longitude", "latitude", "count", "community_area", "community_area_name")

# The properties of a community area's feature on the coverage map, and with residents loaded
# the rates beside them (events per 10,000 residents, participants per 1,000).
COVERAGE_PROPERTIES = ("number", "name", "events", "participants", "reported", "latest", "url", "empty", "class")
COVERAGE_RATE_PROPERTIES = ("population", "population_year", "events_per_10000", "participants_per_1000")

# The only database columns public outputs read (the message only where the host agreed).
PUBLIC_COLUMNS = (
    "pk", "title", "kind", "format", "starts_at", "community_area_id", "host_name", "host_type",
    "participants", "location_basis", "message", "public_longitude", "public_latitude",
    "publish_exact_location", "language",
)
# The same, as selected: the start as text and the message blanked without consent, in SQL.
ROW_COLUMNS = (
    "pk", "title", "kind", "format", "start_text", "community_area_id", "host_name", "host_type",
    "participants", "location_basis", "consented_message", "public_longitude", "public_latitude",
    "publish_exact_location", "language", "reported_participants",
)
(PK, TITLE, KIND, FORMAT, START, AREA, HOST_NAME, HOST_TYPE, PARTICIPANTS, BASIS, MESSAGE, LON, LAT,
 EXACT, LANG, REPORTED) = range(len(ROW_COLUMNS))
MESSAGE_EXCERPT_CHARS = 140
COORDINATE_DECIMALS = 6
MARKER_DECIMALS = 5  # about 1 m: enough to draw a marker, and a lighter document for phones

# Descriptions for the data dictionary (/map/data/), one per CSV column.
COLUMN_DESCRIPTIONS = {
    "id": _("The event's number on this site; its page is /events/<id>/."),
    "title": _("The title the host gave the event."),
    "kind": _("The healing activity: dialogue, collaboration, learning or connections."),
    "format": _("virtual, in_person or hybrid."),
    "start": _("Start date and time, ISO 8601 with the city's UTC offset."),
    "community_area": with_area_word(_("The number of the %(area)s.")),
    "community_area_name": with_area_word(_("The name of the %(area)s.")),
    "host_name": lazy(lambda: gettext("The host's public display name: an organization's name, or an "
                                      "individual's first name or “%(default)s”.")
                      % {"default": HealingEvent.INDIVIDUAL_DEFAULT_NAME}, str)(),
    "participants": _("The host's estimate of how many people took part or will take part."),
    "reported_participants": _("How many people took part, as the host reported after the event "
                               "in a report staff approved; empty until then."),
    "reported": _("true once an approved report from the host gives the reported figure."),
    "virtual": _("true when the event happens online only; it is then mapped at the host's "
                 "location or at its ideal in-person location (see location_basis)."),
    "location_basis": _("host: the point is the host's location; ideal: where it would ideally "
                        "be held in person."),
    "message": _("The first words of the host's message of healing, only when they agreed to "
                 "publish it; otherwise empty."),
    "url": _("The event's public page (a path on this site in GeoJSON, a full address in CSV)."),
    "lang": _("The language of the site when the host shared the event (en, es, pl, zh-hans, ar "
              "or hi): the title and message are usually written in it."),
    "longitude": _("Longitude of the public point (WGS 84), never a precise private point."),
    "latitude": _("Latitude of the public point (WGS 84), never a precise private point."),
    "location_precision": with_area_word(_("exact (an organization chose to publish its point), approximate (the "
                            "centre of a ~500 m grid cell) or area (the centre of its %(area)s).")),
}


def area_choices() -> list[tuple[int, str]]:
    """(number, name) of every community area, for the filter form (cached for ten minutes)."""
    # Keyed by the public-data version, which load_areas moves: a reload is offered at once.
    key = f"healingmap:area-choices:{public_version()}"
    choices = cache.get(key)
    if choices is None:
        choices = list(CommunityArea.objects.order_by("number").values_list("number", "name"))
        cache.set(key, choices, 600)
    return choices


def area_rows() -> dict[int, dict]:
    return {
        row["pk"]: row
        # Retired areas too: their past events are still mapped at their centres.
        for row in CommunityArea.all_objects.values("pk", "number", "name", "centroid_latitude",
                                                    "centroid_longitude")
    }


def _public_rows(events):
    return events.approved().annotate(
        start_text=Cast("starts_at", CharField()),
        consented_message=Case(When(message_consent=True, then=F("message")), default=Value(""),
                               output_field=TextField()),
        reported_participants=Case(When(report__status=Status.APPROVED, then=F("report__participants")),
                                   default=None),
    )


def public_values(events):
    """The allowed columns of approved events, as tuples in ROW_COLUMNS order (reported figures
    only once staff approved the report)."""
    return _public_rows(events).values_list(*ROW_COLUMNS)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MESSAGE_EXCERPT_CHARS:
        return text
    cut = text[:MESSAGE_EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


class _Starts:
    """ISO 8601 local start times from the database's UTC text, each distinct value once."""

    def __init__(self, tz=None):
        self.tz = tz or timezone.get_current_timezone()
        self.seen: dict = {}

    def __call__(self, raw) -> str:
        text = self.seen.get(raw)
        if text is None:
            moment = raw if isinstance(raw, datetime) else datetime.fromisoformat(raw)
            if moment.tzinfo is None:  # SQLite stores UTC without an offset
                moment = moment.replace(tzinfo=UTC)
            text = self.seen[raw] = moment.astimezone(self.tz).isoformat(timespec="minutes")
        return text


def _detail_path() -> str:
    """The event page's path with a {} for the id: reverse() once, not once per event."""
    placeholder = 987654321
    return reverse("events:detail", args=[placeholder]).replace(str(placeholder), "{}")


def _properties(row: tuple, area: dict, start: str, detail_path: str) -> dict:
    return {
        "id": row[PK],
        "title": row[TITLE],
        "kind": row[KIND],
        "format": row[FORMAT],
        "start": start,
        "community_area": area["number"],
        "community_area_name": area["name"],
        "host_name": row[HOST_NAME],
        "participants": row[PARTICIPANTS],
        "reported_participants": row[REPORTED],
        "reported": row[REPORTED] is not None,
        "virtual": row[FORMAT] == HealingEvent.Format.VIRTUAL,
        "location_basis": row[BASIS],
        "message": _excerpt(row[MESSAGE]) if row[MESSAGE] else "",
        "url": detail_path.format(row[PK]),
        "lang": row[LANG],
    }


def event_properties(event_id: int) -> dict | None:
    """The public properties of one approved, mappable event (a popup's details), or None.

    None too for an individual's event in a small-count area: on the map it is only part of
    its area's point, so its details are not offered from the map either.
    """
    row = public_values(HealingEvent.objects.mappable().filter(pk=event_id)).first()
    if row is None:
        return None
    if _is_grouped(row, small_count_area_ids()):
        return None
    area = area_rows()[row[AREA]]
    return _properties(row, area, _Starts()(row[START]), _detail_path())


def _precision(row: tuple, grouped: bool) -> str:
    if grouped:
        return "area"
    return "exact" if row[EXACT] and row[HOST_TYPE] == "organization" else "approximate"


def _area_point(area: dict) -> tuple[float, float] | None:
    if area["centroid_latitude"] is None or area["centroid_longitude"] is None:
        return None
    return area["centroid_longitude"], area["centroid_latitude"]


def _is_grouped(row: tuple, small_areas: set[int]) -> bool:
    return shown_at_area(host_type=row[HOST_TYPE], area_id=row[AREA], small_areas=small_areas)


def totals(form) -> dict:
    """The campaign figures of the approved events matching the filters (mapped or not)."""
    return campaign_totals(form.filter(HealingEvent.objects.approved()))


def _point_feature(longitude: float, latitude: float, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [
            coordinate(longitude, COORDINATE_DECIMALS), coordinate(latitude, COORDINATE_DECIMALS)]},
        "properties": properties,
    }


def event_features(events):
    """(id, feature as UTF-8 JSON, what it was made from: the event's and its report's
    updated_at, its area's number and name) for each approved, mappable event: the only place
    an event's feature is made (healingmap/feature_store.py keeps them)."""
    from healingmap.feature_store import report_stamp

    rows = _public_rows(events.mappable()).annotate(report_stamp=report_stamp()).values_list(
        *ROW_COLUMNS, "updated_at", "report_stamp", "community_area__number", "community_area__name")
    areas, starts, detail_path = area_rows(), _Starts(), _detail_path()
    for row in rows.iterator(chunk_size=1000):
        properties = _properties(row, areas[row[AREA]], starts(row[START]), detail_path)
        yield row[PK], orjson.dumps(_point_feature(row[LON], row[LAT], properties)), row[len(ROW_COLUMNS):]


def area_features(groups: dict[int, int], areas: dict[int, dict]) -> list[dict]:
    """One feature per small-count area (AREA_PROPERTIES), at its centre."""
    list_path = reverse("healingmap:event_list")
    features = []
    for area_id, count in groups.items():
        area = areas[area_id]
        point = _area_point(area)
        if point is None:
            continue
        features.append(_point_feature(*point, {
            "count": count,
            "community_area": area["number"],
            "community_area_name": area["name"],
            "url": list_path + f"?area={area['number']}",
        }))
    return features


def coordinate(value: float, decimals: int) -> float:
    """A coordinate rounded as PostgreSQL's `round(x::numeric, d)::float8` does (the outputs the
    database builds): from its 15 significant digits, halves away from zero. Python's round()
    works on the exact binary value instead and differs on about one point in twenty at 5
    decimals, so the two paths would not give the same documents."""
    return float(Decimal(f"{value:.15g}").quantize(_STEPS[decimals], rounding=ROUND_HALF_UP))


_STEPS = {d: Decimal(1).scaleb(-d) for d in range(10)}


def feature_collection_json(form) -> tuple[bytes, dict]:
    """(an RFC 7946 FeatureCollection of the approved, mappable events matching the filters as
    UTF-8 JSON, its totals), read from the database now (healingmap/event_table.py; the map's
    documents select from the table of their version instead). The events' features are the kept
    texts (feature_store); a small-count area's individuals are one feature at its centre
    (AREA_PROPERTIES), after them."""
    from healingmap import event_table

    body, counts, _ = event_table.build().feature_collection(form)
    return body, counts


def markers(form) -> dict:
    """The map's compact document: per event only what drawing its marker needs (MARKER_FIELDS),
    per small-count area its point and count (AREA_MARKER_FIELDS); a popup fetches the rest.
    Read from the database: the site serves the same document selected from the version's event
    table (EventTable.markers), and the tests hold the two equal."""
    events = form.filter(HealingEvent.objects.mappable()).order_by("starts_at", "pk")
    rows = events.values_list("pk", "public_longitude", "public_latitude", "kind", "format",
                              "host_type", "community_area_id")
    small_areas = small_count_area_ids()
    virtual = HealingEvent.Format.VIRTUAL
    points, groups = [], {}
    for pk, lon, lat, kind, fmt, host_type, area_id in rows.iterator(chunk_size=5000):
        if shown_at_area(host_type=host_type, area_id=area_id, small_areas=small_areas):
            groups[area_id] = groups.get(area_id, 0) + 1
            continue
        points.append((pk, coordinate(lon, MARKER_DECIMALS), coordinate(lat, MARKER_DECIMALS), kind, fmt,
                       1 if fmt == virtual else 0))
    return {"type": "HealingMapMarkers", "fields": MARKER_FIELDS, "events": points,
            "areaFields": AREA_MARKER_FIELDS, "areas": area_markers(groups), "totals": totals(form)}


def area_markers(groups: dict[int, int], areas: dict | None = None) -> list[tuple]:
    """One row per small-count area (AREA_MARKER_FIELDS), in area order; `areas` as area_rows()."""
    if areas is None:
        areas = area_rows() if groups else {}
    area_points = []
    for area_id, count in sorted(groups.items()):
        point = _area_point(areas[area_id])
        if point is not None:
            area_points.append((coordinate(point[0], MARKER_DECIMALS), coordinate(point[1], MARKER_DECIMALS),
                                count, areas[area_id]["number"], areas[area_id]["name"]))
    return area_points


def csv_rows(form, *, absolute_url):
    """One list per approved event matching the filters, in CSV_COLUMNS order."""
    events = form.filter(HealingEvent.objects.approved()).order_by(*form.ordering())
    areas = area_rows()
    small_areas = small_count_area_ids()
    starts, detail_path = _Starts(), _detail_path()
    for row in public_values(events).iterator(chunk_size=5000):
        area = areas[row[AREA]]
        grouped = _is_grouped(row, small_areas)
        properties = _properties(row, area, starts(row[START]), detail_path)
        properties["url"] = absolute_url(properties["url"])
        if grouped:
            point = _area_point(area) or (None, None)
        else:
            point = (row[LON], row[LAT])
        yield [
            *(properties[name] for name in EVENT_PROPERTIES),
            point[0], point[1],
            _precision(row, grouped) if point[0] is not None else "",
        ]


def coverage_collection(areas, classes: dict[str, list], *, area_url: str, with_rates: bool) -> dict:
    """The coverage map's FeatureCollection: each area's display outline with its public figures
    (COVERAGE_PROPERTIES, plus COVERAGE_RATE_PROPERTIES once residents are loaded) and its colour
    class for each legend. `areas` are events.stats.AreaFigures; `area_url` has a {} for the number."""
    features = []
    for i, area in enumerate(areas):
        if not area.display_boundary:
            continue
        properties = {
            "number": area.number,
            "name": area.name,
            "events": area.events,
            "participants": area.participants,
            "reported": area.reported,
            "latest": timezone.localtime(area.latest).date().isoformat() if area.latest else None,
            "url": area_url.format(area.number),
            "empty": area.empty,
            "class": {name: values[i] for name, values in classes.items()},
        }
        if with_rates:
            properties.update({
                "population": area.population,
                "population_year": area.population_year if area.population else None,
                "events_per_10000": _rounded(area.events_rate),
                "participants_per_1000": _rounded(area.participants_rate),
            })
        assert tuple(properties) == COVERAGE_PROPERTIES + (COVERAGE_RATE_PROPERTIES if with_rates else ())
        features.append({"type": "Feature", "geometry": area.display_boundary, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, RATE_DECIMALS)


def dumps(document: dict) -> bytes:
    """Compact UTF-8 JSON (orjson: a tenth of the time of json.dumps at 10,000 features)."""
    return orjson.dumps(document)
