"""The approved events of one public-data version as columns in memory: any filter's GeoJSON
is then selected in Python, without asking the database for 10,000 rows again.

A filtered document used to be one query per filter: at 10,000 events ~150 ms of the database
reading wide rows and 5 MB of kept features, sorting them and aggregating the totals. Here one
query per version reads every approved event's filter columns, figures and kept feature
(healingmap/feature_store.py) in the documents' order (start, then id); the table is kept in the
shared cache under that version and in each process that used it, and every document of that
version (the unfiltered one the task worker rebuilds, and each new filter) is a selection of its
rows: the same filters as `MapFilterForm.filter()`, the same totals as `events.stats.campaign_totals`
(tests/healingmap/test_event_table.py holds the two side by side on both databases). Only the
free-text search asks the database, for the ids of the events with those words (its notion of
case-insensitive matching is the one every other view uses).

Documents are keyed on the version and the version moves with every change the public sees, so
a table is never used for a version it was not read at.
"""

import logging
import math
import secrets
import time
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.http import http_date

from events.models import CommunityArea, HealingEvent
from events.privacy import shown_at_area, small_count_area_ids
from healingmap import feature_store
from twh.core.moderation import Status

logger = logging.getLogger(__name__)

TABLE_SECONDS = 24 * 60 * 60
LOCK_SECONDS = 60
WAIT_SECONDS = 10.0
WAIT_STEP = 0.02
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NONE = -1  # for an integer column's NULL (ids, numbers and figures are never negative)

_COLUMNS = ("pk", "starts_at", "edition_id", "kind", "format", "host_type", "community_area_id",
            "community_area__number", "public_longitude", "public_latitude", "participants",
            "reported_figure", "report_approved", "updated_at", "kept_feature")


def _micros(moment) -> int:
    """Microseconds since 1970 (UTC), exactly: comparisons at midnight and on the minute must
    fall on the same side as the database's."""
    if isinstance(moment, str):  # SQLite's text, UTC without an offset
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _int(value) -> int:
    return _NONE if value is None else value


def _float(value) -> float:
    return math.nan if value is None else value


@dataclass
class EventTable:
    """One row per approved event in (start, id) order; integer NULLs are _NONE, a missing
    point is NaN, an event that is not mappable has an empty feature."""

    pk: array
    starts: array  # microseconds since 1970
    edition: array
    kind: list
    format: list
    host_type: list
    area_id: array
    area_number: array
    longitude: array
    latitude: array
    participants: array
    reported: array  # an approved report's figure, else _NONE
    report_approved: bytes  # 1 where the event has an approved report
    updated: array  # microseconds since 1970
    features: bytes  # every mappable event's kept feature, one after another
    ends: array  # where each row's feature ends in `features` (it starts where the last ended)
    small_areas: frozenset
    areas: dict  # geojson.area_rows(): what a small-count area's feature shows
    areas_total: int
    token: str = ""

    def __len__(self) -> int:
        return len(self.pk)

    # --- Selecting

    def rows(self, form) -> list[int]:
        """The positions of the approved events matching the form's filters, in order: the
        filters of MapFilterForm.filter(), applied to these columns."""
        from datetime import time as day_start
        from datetime import timedelta

        from django.utils import timezone

        from healingmap.filters import ALL_EDITIONS

        data = form.cleaned_data
        selected = range(len(self))
        if data.get("edition") != ALL_EDITIONS:
            edition = form.shown_edition()
            if edition is None:
                return []
            column = self.edition
            selected = [i for i in selected if column[i] == edition.pk]
        for name, column in (("kind", self.kind), ("format", self.format)):
            if data.get(name):
                wanted = data[name]
                selected = [i for i in selected if column[i] == wanted]
        tz = timezone.get_current_timezone()
        starts = self.starts
        if data.get("start"):
            first = _micros(datetime.combine(data["start"], day_start.min, tz))
            selected = [i for i in selected if starts[i] >= first]
        if data.get("end"):
            after = _micros(datetime.combine(data["end"] + timedelta(days=1), day_start.min, tz))
            selected = [i for i in selected if starts[i] < after]
        if data.get("area"):
            numbers, column = set(data["area"]), self.area_number
            selected = [i for i in selected if column[i] in numbers]
        if data.get("q"):
            pks, column = self._with_words(form), self.pk
            selected = [i for i in selected if column[i] in pks]
        if data.get("when"):
            now = _micros(form.now())
            if data["when"] == "upcoming":
                selected = [i for i in selected if starts[i] >= now]
            else:
                selected = [i for i in selected if starts[i] < now]
        if data.get("bbox"):
            min_lon, min_lat, max_lon, max_lat = data["bbox"]
            lon, lat = self.longitude, self.latitude  # NaN compares false, as NULL does
            selected = [i for i in selected if min_lon <= lon[i] <= max_lon and min_lat <= lat[i] <= max_lat]
        return list(selected)

    @staticmethod
    def _with_words(form) -> set[int]:
        return set(form.filter_words(HealingEvent.objects.approved()).values_list("pk", flat=True))

    def totals(self, rows: list[int]) -> dict:
        """campaign_totals() of these rows."""
        participants, reported, approved, area_id = self.participants, self.reported, self.report_approved, self.area_id
        with_report = [i for i in rows if approved[i]]
        areas = {area_id[i] for i in rows}  # every event has one (NOT NULL)
        return {
            "events": len(rows),
            "participants": sum(participants[i] for i in rows if participants[i] != _NONE),
            "reported": sum(reported[i] for i in with_report if reported[i] != _NONE),
            "reported_events": len(with_report),
            "areas": len(areas),
            "areas_total": self.areas_total,
        }

    # --- The GeoJSON

    def feature_collection(self, form) -> tuple[bytes, dict, str | None]:
        """(the FeatureCollection of the mappable events matching the filters as UTF-8 JSON, its
        totals, its Last-Modified): each event's kept feature, and after them one feature per
        small-count area standing for its individuals' events, in order of first appearance."""
        from healingmap import geojson

        rows = self.rows(form)
        ends, features, host_type, area_id = self.ends, memoryview(self.features), self.host_type, self.area_id
        small_areas = self.small_areas
        parts: list = []
        groups: OrderedDict[int, int] = OrderedDict()
        newest = _NONE
        updated = self.updated
        for i in rows:
            start = ends[i - 1] if i else 0
            if start == ends[i]:
                continue  # not mappable
            if updated[i] > newest:
                newest = updated[i]
            if shown_at_area(host_type=host_type[i], area_id=area_id[i], small_areas=small_areas):
                groups[area_id[i]] = groups.get(area_id[i], 0) + 1
            else:
                parts.append(features[start:ends[i]])
        parts.extend(geojson.dumps(feature) for feature in geojson.area_features(groups, self.areas))
        counts = self.totals(rows)
        body = b"".join((b'{"type":"FeatureCollection","features":[', b",".join(parts), b'],"totals":',
                         geojson.dumps(counts), b"}"))
        return body, counts, http_date(newest // 1_000_000) if newest != _NONE else None


def build() -> EventTable:
    """Read the table from the database, making the features that are missing or out of date."""
    from healingmap import geojson

    current = feature_store.recipe()
    approved_report = When(report__status=Status.APPROVED, then=F("report__participants"))
    events = feature_store.with_kept_text(HealingEvent.objects.approved(), current).annotate(
        reported_figure=Case(approved_report, default=None),
        report_approved=Case(When(report__status=Status.APPROVED, then=Value(1)), default=Value(0),
                             output_field=IntegerField()),
    ).order_by("starts_at", "pk")
    rows = feature_store.fetch_raw(events.values_list(*_COLUMNS))
    missing = {row[0] for row in rows if row[-1] is None and row[8] is not None and row[9] is not None}
    made = feature_store.made(sorted(missing), current) if missing else {}
    if missing:
        # One rejected or withdrawn since the read above is not made: it is simply left out.
        rows = [row for row in rows if row[-1] is not None or row[0] not in missing or row[0] in made]
    texts, ends, end = [], array("q"), 0
    for row in rows:
        text = row[-1]
        if row[8] is None or row[9] is None:
            text = b""
        elif text is None:
            text = made[row[0]]
        elif isinstance(text, str):  # SQLite
            text = text.encode()
        texts.append(text)
        end += len(text)
        ends.append(end)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_COLUMNS)
    (pk, starts, edition, kind, fmt, host_type, area_id, area_number, lon, lat, participants, reported,
     report_approved, updated, _) = columns
    return EventTable(
        pk=array("q", pk), starts=array("q", map(_micros, starts)), edition=array("q", map(_int, edition)),
        kind=list(kind), format=list(fmt), host_type=list(host_type),
        area_id=array("q", area_id), area_number=array("q", area_number),
        longitude=array("d", map(_float, lon)), latitude=array("d", map(_float, lat)),
        participants=array("q", map(_int, participants)), reported=array("q", map(_int, reported)),
        report_approved=bytes(report_approved), updated=array("q", map(_micros, updated)),
        features=b"".join(texts), ends=ends, small_areas=frozenset(small_count_area_ids()),
        areas=geojson.area_rows(), areas_total=CommunityArea.objects.count(), token=secrets.token_hex(8),
    )


# --- One table per version, built once in the whole cluster


def _key(version: str) -> str:
    return f"healingmap:table:{feature_store.recipe()}:{version}"


_here: dict[str, EventTable] = {}  # this process's table of the newest version it used


def _known(key: str) -> EventTable | None:
    """This process's table under this key, while the shared cache holds the same one (a flushed
    cache restarts the version series, which could reuse an old number), else the shared cache's."""
    table = _here.get(key)
    if table is not None and cache.get(key + ":token") == table.token:
        return table
    table = cache.get(key)
    if table is not None:
        _here.clear()
        _here[key] = table
    return table


def _keep(key: str, table: EventTable) -> EventTable:
    cache.set_many({key: table, key + ":token": table.token}, timeout=TABLE_SECONDS)
    _here.clear()
    _here[key] = table
    return table


def of_version(version: str) -> EventTable:
    """The table of this public-data version: kept, else read once (single-flight: another
    process reading it is waited for, up to WAIT_SECONDS)."""
    key = _key(version)
    table = _known(key)
    if table is not None:
        return table
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(key + ":lock", 1, timeout=LOCK_SECONDS):
        table = _known(key)
        if table is not None:
            return table
        if time.monotonic() > deadline:
            logger.warning("reading %s myself: another process held the lock for %ss", key, WAIT_SECONDS)
            return _keep(key, build())
        time.sleep(WAIT_STEP)
    try:
        return _known(key) or _keep(key, build())
    finally:
        cache.delete(key + ":lock")
