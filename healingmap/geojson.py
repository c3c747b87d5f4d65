"""Every outward format of the Healing Map, built in one place from an explicit allow-list.

GeoJSON features, CSV rows and the data behind popups all come from `public_rows()`, which
reads only the columns named in PUBLIC_COLUMNS from approved events; contact details, precise
points and moderation fields are never selected, so they cannot leak by accident.
"""

import gzip
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Case, F, Max, When
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from events.models import CommunityArea, HealingEvent
from events.privacy import small_count_area_ids
from events.publication import public_version
from events.stats import campaign_totals
from twh.moderation import Status

# The properties of an event's feature, in order. Also the CSV's columns (plus the point).
EVENT_PROPERTIES = (
    "id", "title", "kind", "format", "start", "community_area", "community_area_name",
    "host_name", "participants", "reported_participants", "reported", "virtual", "location_basis",
    "message", "url",
)
# The properties of an area-level point standing for a few individuals' events (small counts).
AREA_PROPERTIES = ("count", "community_area", "community_area_name", "url")
CSV_COLUMNS = (*EVENT_PROPERTIES, "longitude", "latitude", "location_precision")

# The only database columns public outputs read.
PUBLIC_COLUMNS = (
    "pk", "title", "kind", "format", "starts_at", "community_area_id", "host_name", "host_type",
    "participants", "location_basis", "message", "message_consent", "public_latitude",
    "public_longitude", "publish_exact_location", "reported_participants",
)
MESSAGE_EXCERPT_CHARS = 140

# Descriptions for the data dictionary (/map/data/), one per CSV column.
COLUMN_DESCRIPTIONS = {
    "id": _("The event's number on this site; its page is /events/<id>/."),
    "title": _("The title the host gave the event."),
    "kind": _("The healing activity: dialogue, collaboration, learning or connections."),
    "format": _("virtual, in_person or hybrid."),
    "start": _("Start date and time, ISO 8601 with the city's UTC offset."),
    "community_area": _("The City's community area number (1 to 77)."),
    "community_area_name": _("The community area's name."),
    "host_name": _("The host's public display name: an organization's name, or an individual's "
                   "first name or “A Chicago resident”."),
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
    "longitude": _("Longitude of the public point (WGS 84), never a precise private point."),
    "latitude": _("Latitude of the public point (WGS 84), never a precise private point."),
    "location_precision": _("exact (an organization chose to publish its point), approximate (the "
                            "centre of a ~500 m grid cell) or area (the community area's centre)."),
}


def area_choices() -> list[tuple[int, str]]:
    """(number, name) of every community area, for the filter form (cached for ten minutes)."""
    choices = cache.get("healingmap:area-choices")
    if choices is None:
        choices = list(CommunityArea.objects.order_by("number").values_list("number", "name"))
        cache.set("healingmap:area-choices", choices, 600)
    return choices


def _areas() -> dict[int, dict]:
    return {
        row["pk"]: row
        for row in CommunityArea.objects.values("pk", "number", "name", "centroid_latitude", "centroid_longitude")
    }


def public_rows(events):
    """The allowed columns of approved events, as dicts (reported figures only once approved)."""
    reported = Case(When(report__status=Status.APPROVED, then=F("report__participants")), default=None)
    return events.approved().annotate(reported_participants=reported).values(*PUBLIC_COLUMNS)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MESSAGE_EXCERPT_CHARS:
        return text
    cut = text[:MESSAGE_EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def _start(value: datetime, tz) -> str:
    return value.astimezone(tz).isoformat(timespec="minutes")


def _detail_path() -> str:
    """The event page's path with a {} for the id: reverse() once, not once per event."""
    placeholder = 987654321
    return reverse("events:detail", args=[placeholder]).replace(str(placeholder), "{}")


def event_properties(row: dict, area: dict, *, tz=None, detail_path=None) -> dict:
    """The public properties of one event, in EVENT_PROPERTIES order."""
    tz = tz or timezone.get_current_timezone()
    detail_path = detail_path or _detail_path()
    return {
        "id": row["pk"],
        "title": row["title"],
        "kind": row["kind"],
        "format": row["format"],
        "start": _start(row["starts_at"], tz),
        "community_area": area["number"],
        "community_area_name": area["name"],
        "host_name": row["host_name"],
        "participants": row["participants"],
        "reported_participants": row["reported_participants"],
        "reported": row["reported_participants"] is not None,
        "virtual": row["format"] == HealingEvent.Format.VIRTUAL,
        "location_basis": row["location_basis"],
        "message": _excerpt(row["message"]) if row["message_consent"] else "",
        "url": detail_path.format(row["pk"]),
    }


def _precision(row: dict, grouped: bool) -> str:
    if grouped:
        return "area"
    return "exact" if row["publish_exact_location"] and row["host_type"] == "organization" else "approximate"


def _area_point(area: dict) -> tuple[float, float] | None:
    if area["centroid_latitude"] is None or area["centroid_longitude"] is None:
        return None
    return area["centroid_longitude"], area["centroid_latitude"]


def _is_grouped(row: dict, small_areas: set[int]) -> bool:
    return row["host_type"] == HealingEvent.HostType.INDIVIDUAL and row["community_area_id"] in small_areas


def feature_collection(form) -> dict:
    """An RFC 7946 FeatureCollection of the approved, mappable events matching the filters."""
    events = form.filter(HealingEvent.objects.mappable()).order_by("starts_at", "pk")
    areas = _areas()
    small_areas = small_count_area_ids()
    features = []
    groups: OrderedDict[int, int] = OrderedDict()
    tz, detail_path = timezone.get_current_timezone(), _detail_path()
    for row in public_rows(events).iterator(chunk_size=2000):
        if _is_grouped(row, small_areas):
            groups[row["community_area_id"]] = groups.get(row["community_area_id"], 0) + 1
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [
                round(row["public_longitude"], 6), round(row["public_latitude"], 6)]},
            "properties": event_properties(row, areas[row["community_area_id"]], tz=tz, detail_path=detail_path),
        })
    for area_id, count in groups.items():
        area = areas[area_id]
        point = _area_point(area)
        if point is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(point[0], 6), round(point[1], 6)]},
            "properties": {
                "count": count,
                "community_area": area["number"],
                "community_area_name": area["name"],
                "url": reverse("healingmap:list") + f"?area={area['number']}",
            },
        })
    totals = campaign_totals(form.filter(HealingEvent.objects.approved()))
    return {"type": "FeatureCollection", "features": features, "totals": totals}


def csv_rows(form, *, absolute_url):
    """One list per approved event matching the filters, in CSV_COLUMNS order."""
    events = form.filter(HealingEvent.objects.approved()).order_by(*form.ordering())
    areas = _areas()
    small_areas = small_count_area_ids()
    tz, detail_path = timezone.get_current_timezone(), _detail_path()
    for row in public_rows(events).iterator(chunk_size=2000):
        area = areas[row["community_area_id"]]
        grouped = _is_grouped(row, small_areas)
        properties = event_properties(row, area, tz=tz, detail_path=detail_path)
        properties["url"] = absolute_url(properties["url"])
        if grouped:
            point = _area_point(area) or (None, None)
        else:
            point = (row["public_longitude"], row["public_latitude"])
        yield [
            *(properties[name] for name in EVENT_PROPERTIES),
            point[0], point[1],
            _precision(row, grouped) if point[0] is not None else "",
        ]


def safe_csv_cell(value) -> str:
    """A cell that spreadsheets will not run as a formula (CWE-1236)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)  # numbers stay numbers
    text = str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


# --- The cached GeoJSON document


@dataclass(frozen=True)
class Document:
    """A built GeoJSON answer. Only the gzipped bytes are kept (a tenth of the size): nearly
    every client accepts gzip, and the rare one that does not gets them decompressed."""

    gzipped: bytes
    etag: str
    last_modified: str | None

    @property
    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)


_memo: OrderedDict[str, Document] = OrderedDict()
_MEMO_SIZE = 8


def geojson_document(form) -> Document:
    """The GeoJSON for these filters, cached until what the public can see changes.

    Keyed on (public version, normalized filters): every moderation decision, edit, withdrawal
    or deletion bumps the version on commit, so the next request builds a fresh document. A small
    per-process memo in front of the shared cache saves unpickling the bytes on every request;
    it is trusted only while the shared cache still holds the same ETag under that key (a
    flushed cache restarts the version series, which could reuse an old number).
    """
    query = form.cache_query()
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    key = f"healingmap:geojson:{public_version()}:{digest}"
    document = _memo.get(key)
    if document is not None and cache.get(key + ":etag") == document.etag:
        return document
    document = cache.get(key)
    if document is None:
        document = _build_document(form)
        cache.set_many({key: document, key + ":etag": document.etag}, timeout=24 * 60 * 60)
    _memo[key] = document
    while len(_memo) > _MEMO_SIZE:
        try:
            _memo.popitem(last=False)
        except KeyError:  # another thread emptied it first
            break
    return document


def _build_document(form) -> Document:
    collection = feature_collection(form)
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
    newest = form.filter(HealingEvent.objects.mappable()).aggregate(newest=Max("updated_at"))["newest"]
    return Document(
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        etag='W/"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        last_modified=http_date(newest.timestamp()) if newest else None,
    )
