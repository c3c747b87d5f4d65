"""The approved events of one public-data version as columns in memory: any filter's GeoJSON
is then selected in Python, without asking the database for 10,000 rows again.

A filtered document used to be one query per filter: at 10,000 events ~150 ms of the database
reading wide rows and 5 MB of kept features, sorting them and aggregating the totals. Here one
query per version reads every approved event's filter columns, figures and kept feature
(healingmap/feature_store.py) in the documents' order (start, then id); each process keeps the
table it last used (and the shared cache one to start from: see of_version), and every document
of that version (the unfiltered one the task worker rebuilds, and each new filter) is a
selection of its rows: the same filters as `MapFilterForm.filter()`, the same totals as `events.stats.campaign_totals`
(tests/healingmap/test_event_table.py holds the two side by side on both databases). Only the
free-text search asks the database, for the ids of the events with those words (its notion of
case-insensitive matching is the one every other view uses).

After a moderation decision the new version's table is made from the previous one: one cheap
query of every approved event's id and updated_at stamps (its own and its report's), then only
the rows that are new or changed are read (usually the one just approved: 34 ms in all at
10,000 events where reading everything took 125 ms). An area renamed or renumbered, or a new
recipe, reads everything again.

Documents are keyed on the version and the version moves with every change the public sees, so
a table is never used for a version it was not read at.
"""

import logging
import math
import secrets
import threading
import time
from array import array
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as day_start
from itertools import accumulate, chain, compress

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Case, F, FloatField, Func, IntegerField, Value, When
from django.utils import timezone
from django.utils.http import http_date

from events.models import CommunityArea, HealingEvent
from events.privacy import shown_at_area, small_count_areas_among
from healingmap import feature_store, geojson
from healingmap.filters import ALL_EDITIONS
from twh.core.moderation import Status

logger = logging.getLogger(__name__)

TABLE_SECONDS = 24 * 60 * 60
LOCK_SECONDS = 60
WAIT_SECONDS = 10.0
WAIT_STEP = 0.02
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NONE = -1  # for an integer column's NULL (ids, numbers and figures are never negative)
_UNMAPPED, _OWN, _AT_AREA = 0, 1, 2  # where a row is shown (EventTable.placement)
_ONLY_OWN = bytes.maketrans(bytes((_UNMAPPED, _OWN, _AT_AREA)), bytes((0, 1, 0)))  # placement as a mask of _OWN rows

MOST_CHANGED = 500  # beyond this many (or a quarter) changed since the previous table, read all again
_COLUMNS = ("pk", "starts_us", "edition_id", "kind", "format", "host_type", "community_area_id",
            "community_area__number", "public_longitude", "public_latitude", "participants",
            "reported_figure", "report_approved", "updated_us", "report_us", "marker_longitude",
            "marker_latitude", "kept_feature")


def _micros(moment) -> int:
    """Microseconds since 1970 (UTC), exactly: comparisons at midnight and on the minute must
    fall on the same side as the database's. PostgreSQL sends them so already (_EpochMicros)."""
    if isinstance(moment, int):
        return moment
    if isinstance(moment, str):  # SQLite's text, UTC without an offset
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _int(value) -> int:
    return _NONE if value is None else value


def _figure(value) -> int:
    return 0 if value is None else value


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
    participants: array  # 0 where none is given: they are only added up
    reported: array  # an approved report's figure, else 0
    report_approved: bytes  # 1 where the event has an approved report
    updated: array  # microseconds since 1970
    report_updated: array  # the report's, feature_store.NO_REPORT's (0) without one
    marker_longitude: array  # the point rounded for the markers document (MARKER_DECIMALS)
    marker_latitude: array
    features: bytes  # every mappable event's kept feature and a comma, one after another
    ends: array  # where each row's feature ends in `features` (it starts where the last ended)
    placement: bytes  # per row: _UNMAPPED, _OWN (at its own point) or _AT_AREA (at its area's centre)
    small_areas: frozenset
    areas: dict  # geojson.area_rows(): what a small-count area's feature shows
    areas_total: int
    version: str = ""
    recipe: str = ""  # feature_store.recipe() when the features were read
    token: str = ""
    read_all: bool = True  # read in full, not made from a previous table
    epoch: str = ""  # of the shared cache, set when kept (see of_version)

    def __len__(self) -> int:
        return len(self.pk)

    # --- Selecting

    def rows(self, form) -> list[int]:
        """The positions of the approved events matching the form's filters, in order: the
        filters of MapFilterForm.filter(), applied to these columns."""
        data = form.cleaned_data
        selected = range(len(self))
        if data.get("edition") != ALL_EDITIONS:
            edition = form.shown_edition()
            if edition is None:
                return []
            column, wanted = self.edition, edition.pk
            selected = [i for i in selected if column[i] == wanted]
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
        figure = (self.participants.__getitem__, self.reported.__getitem__, self.report_approved.__getitem__)
        participants, reported, approved = (sum(map(column, rows)) for column in figure)
        return {
            "events": len(rows),
            "participants": participants,
            "reported": reported,
            "reported_events": approved,
            "areas": len(set(map(self.area_id.__getitem__, rows))),  # every event has one (NOT NULL)
            "areas_total": self.areas_total,
        }

    # --- The documents

    def _shown(self, rows: list[int]) -> tuple[list[int], OrderedDict, str | None]:
        """Of these rows, the mappable ones shown at their own point; per small-count area (in
        order of first appearance) how many of its individuals' events stand at its centre;
        and the newest of all their updates as a Last-Modified."""
        placement, area_id, updated = self.placement, self.area_id, self.updated
        if len(rows) == len(self):  # all of them (rows are distinct positions): the table's own
            own = list(compress(range(len(self)), placement.translate(_ONLY_OWN)))
        else:
            own = [i for i in rows if placement[i] == _OWN]
        at_area = [i for i in rows if placement[i] == _AT_AREA] if self.small_areas else []
        groups: OrderedDict[int, int] = OrderedDict()
        for i in at_area:
            groups[area_id[i]] = groups.get(area_id[i], 0) + 1
        newest = max(max(map(updated.__getitem__, own), default=_NONE), max(map(updated.__getitem__, at_area), default=_NONE))
        return own, groups, http_date(newest // 1_000_000) if newest != _NONE else None

    def feature_collection(self, form) -> tuple[bytes, dict, str | None]:
        """(the FeatureCollection of the mappable events matching the filters as UTF-8 JSON, its
        totals, its Last-Modified): each event's kept feature, and after them one feature per
        small-count area standing for its individuals' events, in order of first appearance."""
        rows = self.rows(form)
        own, groups, last_modified = self._shown(rows)
        ends, features = self.ends, memoryview(self.features)
        # Each kept feature ends with its comma, so a run of consecutive rows is one slice.
        parts: list = [features[ends[a - 1] if a else 0:ends[b - 1]] for a, b in _runs(own, len(self))]
        parts.extend(geojson.dumps(feature) + b"," for feature in geojson.area_features(groups, self.areas))
        if parts:
            parts[-1] = parts[-1][:-1]  # the last comma
        counts = self.totals(rows)
        body = b"".join((b'{"type":"FeatureCollection","features":[', *parts, b'],"totals":',
                         geojson.dumps(counts), b"}"))
        return body, counts, last_modified

    def markers(self, form) -> tuple[bytes, dict, str | None]:
        """(geojson.markers() of the filters as UTF-8 JSON, its totals, its Last-Modified)."""
        rows = self.rows(form)
        own, groups, last_modified = self._shown(rows)
        virtual = HealingEvent.Format.VIRTUAL
        pk, lon, lat, kind, fmt = self.pk, self.marker_longitude, self.marker_latitude, self.kind, self.format
        counts = self.totals(rows)
        document = {
            "type": "HealingMapMarkers", "fields": geojson.MARKER_FIELDS,
            "events": [(pk[i], lon[i], lat[i], kind[i], fmt[i], 1 if fmt[i] == virtual else 0) for i in own],
            "areaFields": geojson.AREA_MARKER_FIELDS, "areas": geojson.area_markers(groups, self.areas),
            "totals": counts,
        }
        return geojson.dumps(document), counts, last_modified


class _InPostgreSQL(Func):
    """A column as PostgreSQL computes it (`template`); SQLite sends the plain column, and
    _columns() finishes it in Python."""

    def as_sqlite(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


class _EpochMicros(_InPostgreSQL):
    """A timestamp as microseconds since 1970: read as timestamps, 20,000 of them went through
    Django's time-zone loader in Python (150 ms at 10,000 events, half the read)."""

    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) * 1000000 AS bigint)"
    output_field = BigIntegerField()


class _StampMicros(_EpochMicros):
    """_EpochMicros in floating point, twice as fast as PostgreSQL's exact numeric: for the
    updated_at stamps, which are only compared with each other (always made this way) and whose
    rounding error (under 0.3 µs this century) is rounded away by the cast anyway."""

    template = "CAST(date_part('epoch', %(expressions)s) * 1000000 AS bigint)"


class _MarkerCoordinate(_InPostgreSQL):
    """A coordinate rounded to the markers' MARKER_DECIMALS (geojson.coordinate() gives the same
    float8 in Python, at 2 µs a point)."""

    template = f"round((%(expressions)s)::numeric, {geojson.MARKER_DECIMALS})::float8"
    output_field = FloatField()


def _marker_coordinates(values) -> array:
    """The markers' coordinates of one column, NaN for none: as PostgreSQL rounded them, or
    rounded here on SQLite (the backend is asked once: through Django's connection proxy it
    cost 10 µs a value, a second at 50,000 events)."""
    if connection.vendor == "postgresql":
        return array("d", map(_float, values))
    return array("d", (math.nan if value is None else geojson.coordinate(value, geojson.MARKER_DECIMALS)
                       for value in values))


def _approved_in_order():
    return HealingEvent.objects.approved().order_by("starts_at", "pk")


def _stamps():
    """(pk, updated, report updated) of every approved event, in no order (sorting them was
    half the query): what tells whether a previous table's row is still right."""
    return HealingEvent.objects.approved().order_by().annotate(
        updated_us=_StampMicros("updated_at"), report_us=_StampMicros(feature_store.report_stamp()),
    ).values_list("pk", "updated_us", "report_us")


def _read(events, current: str) -> tuple[list[tuple], list[bytes]]:
    """The _COLUMNS of these events and each one's feature and a comma (empty when it has no
    public point), making the features that are missing or out of date."""
    approved_report = When(report__status=Status.APPROVED, then=F("report__participants"))
    events = feature_store.with_kept_text(events, current).annotate(
        starts_us=_EpochMicros("starts_at"), updated_us=_StampMicros("updated_at"),
        report_us=_StampMicros(feature_store.report_stamp()),
        marker_longitude=_MarkerCoordinate("public_longitude"), marker_latitude=_MarkerCoordinate("public_latitude"),
        reported_figure=Case(approved_report, default=None),
        report_approved=Case(When(report__status=Status.APPROVED, then=Value(1)), default=Value(0),
                             output_field=IntegerField()),
    )
    rows = feature_store.fetch_raw(events.values_list(*_COLUMNS))
    missing = {row[0] for row in rows if row[-1] is None and row[8] is not None and row[9] is not None}
    made = feature_store.made(sorted(missing), current) if missing else {}
    if missing:
        # One rejected or withdrawn since the read above is not made: it is simply left out.
        rows = [row for row in rows if row[-1] is not None or row[0] not in missing or row[0] in made]
    texts = []
    for row in rows:
        text = row[-1]
        if row[8] is None or row[9] is None:
            text = b""
        elif text is None:
            text = made[row[0]]
        elif isinstance(text, str):  # SQLite
            text = text.encode()
        texts.append(text + b"," if text else text)
    return rows, texts


def _columns(rows: list[tuple]) -> dict:
    """EventTable's row columns from _read()'s rows."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_COLUMNS)
    (pk, starts, edition, kind, fmt, host_type, area_id, area_number, lon, lat, participants, reported,
     report_approved, updated, report_updated, marker_lon, marker_lat, _) = columns
    return {
        "pk": array("q", pk), "starts": array("q", map(_micros, starts)), "edition": array("q", map(_int, edition)),
        "kind": list(kind), "format": list(fmt), "host_type": list(host_type),
        "area_id": array("q", area_id), "area_number": array("q", area_number),
        "longitude": array("d", map(_float, lon)), "latitude": array("d", map(_float, lat)),
        "participants": array("q", map(_figure, participants)), "reported": array("q", map(_figure, reported)),
        "report_approved": bytes(report_approved), "updated": array("q", map(_micros, updated)),
        "report_updated": array("q", map(_micros, report_updated)),
        "marker_longitude": _marker_coordinates(marker_lon), "marker_latitude": _marker_coordinates(marker_lat),
    }


def _table(columns: dict, texts: list, areas: dict, version: str, current: str, ends: array | None = None,
           read_all: bool = True) -> EventTable:
    """The table of these columns and features (`ends` given when `texts` are not one per row)."""
    if ends is None:
        ends = array("q", accumulate(map(len, texts)))
    host_type, area_id = columns["host_type"], columns["area_id"]
    small_areas = frozenset(small_count_areas_among(host_type, area_id))
    starts = chain((0,), ends)  # where each row's feature starts (one more: the end of the last)
    placement = bytearray(_OWN if end != start else _UNMAPPED for start, end in zip(starts, ends, strict=False))
    if small_areas:
        for i, (host, area) in enumerate(zip(host_type, area_id, strict=True)):
            if placement[i] and shown_at_area(host_type=host, area_id=area, small_areas=small_areas):
                placement[i] = _AT_AREA
    return EventTable(**columns, features=b"".join(texts), ends=ends, placement=bytes(placement),
                      small_areas=small_areas, areas=areas,
                      areas_total=CommunityArea.objects.count(), version=version, recipe=current,
                      token=secrets.token_hex(8), read_all=read_all)


def build(previous: EventTable | None = None, version: str = "") -> EventTable:
    """Read the table from the database. Given a previous table (of any earlier version), only
    the events that are new or changed since are read: the rest are its rows, still right while
    the event's and its report's updated_at and the areas' names and numbers are unchanged."""
    current, areas = feature_store.recipe(), geojson.area_rows()
    if previous is None or previous.recipe != current or previous.areas != areas:
        rows, texts = _read(_approved_in_order(), current)
        return _table(_columns(rows), texts, areas, version, current)
    return _updated(previous, areas, version)


def _updated(previous: EventTable, areas: dict, version: str) -> EventTable:
    stamps = feature_store.fetch_raw(_stamps())
    if stamps and not isinstance(stamps[0][1], int):  # SQLite's text
        stamps = [(pk, _micros(updated), _micros(report)) for pk, updated, report in stamps]
    now = set(stamps)
    then = list(zip(previous.pk, previous.updated, previous.report_updated, strict=True))
    # The previous rows still right, in their (start, id) order; the rest is read again.
    order = [i for i, stamp in enumerate(then) if stamp in now]
    changed = {pk for pk, _, _ in now.difference(then)}
    if len(changed) > max(MOST_CHANGED, len(stamps) // 4):
        return build(None, version)
    rows, texts = (_read(HealingEvent.objects.approved().filter(pk__in=changed), previous.recipe)
                   if changed else ([], []))
    # An event rejected or withdrawn between the two reads is not among them: left out.
    added = _columns(rows)
    n, starts, ids = len(previous), previous.starts + added["starts"], previous.pk + added["pk"]
    for i in range(n, n + len(rows)):
        order.insert(bisect_left(order, (starts[i], ids[i]), key=lambda k: (starts[k], ids[k])), i)
    runs = _runs(order, n)
    columns = {}
    for name, value in added.items():
        combined = getattr(previous, name) + value
        parts = [combined[a:b] for a, b in runs]
        if isinstance(value, array):
            columns[name] = array(value.typecode, b"".join(part.tobytes() for part in parts))
        elif isinstance(value, bytes):
            columns[name] = b"".join(parts)
        else:
            columns[name] = [item for part in parts for item in part]
    ends, features = previous.ends, memoryview(previous.features)
    pieces = [features[ends[a - 1] if a else 0:ends[b - 1]] if a < n else b"".join(texts[a - n:b - n])
              for a, b in runs]
    return _table(columns, pieces, areas, version, previous.recipe, ends=_ends(order, previous, texts), read_all=False)


def _runs(order: list[int], n: int) -> list[tuple[int, int]]:
    """`order` as ranges of consecutive positions, none crossing n (where the new rows start):
    a table with one event added is three slices of each column, not 10,000 items."""
    runs, start, last = [], None, None
    for i in order:
        if start is None:
            start = i
        elif i != last + 1 or i == n:
            runs.append((start, last + 1))
            start = i
        last = i
    if start is not None:
        runs.append((start, last + 1))
    return runs


def _ends(order: list[int], previous: EventTable, texts: list) -> array:
    n, ends = len(previous), previous.ends
    lengths = [(ends[i] - (ends[i - 1] if i else 0)) if i < n else len(texts[i - n]) for i in order]
    return array("q", accumulate(lengths))


# --- One table per version in each process, and a shared one to start from
#
# Each process keeps the table it last used and makes the next version's from it: a decision
# costs it the stamps query and the changed rows. The shared cache holds one table for processes
# that have none, or an older one: written after a full read and otherwise at most every
# SHARE_SECONDS. (Writing it at every decision, 30 MB at 50,000 events, was ~60 ms of the
# builder's time and held Redis, which every request waits on, for as long.) A flushed cache
# starts a new epoch, and tables made in an earlier one are not trusted: the version series can
# restart with other data (a fresh or restored database).

SHARE_SECONDS = 10 * 60
_EPOCH_KEY = "healingmap:table-epoch"
_LAYOUT = 2  # of EventTable: a table pickled by a release with other fields is never read

_here: dict[str, EventTable] = {}  # this process's table, the one it last used
_making = threading.Lock()  # one table made at a time in this process


def _key() -> str:
    return f"healingmap:table:{_LAYOUT}:{feature_store.recipe()}"


def _epoch() -> str:
    epoch = cache.get(_EPOCH_KEY)
    if epoch is None:
        cache.add(_EPOCH_KEY, secrets.token_hex(8), timeout=None)
        epoch = cache.get(_EPOCH_KEY, "")
    return epoch


def _newer(version: str, than: str) -> bool:
    try:
        return int(version) > int(than)
    except ValueError:
        return version != than


def _mine(key: str, epoch: str) -> EventTable | None:
    table = _here.get(key)
    return table if table is not None and table.epoch == epoch else None


def _shared_stamp(key: str) -> tuple | None:
    """(version, token, when written) of the shared table."""
    stamp = cache.get(key + ":stamp")
    return stamp if isinstance(stamp, tuple) and len(stamp) == 3 else None


def _shared(key: str, epoch: str, newer_than: EventTable | None = None) -> EventTable | None:
    """The shared cache's table, if it is of this epoch (and newer than the one given)."""
    stamp = _shared_stamp(key)
    if stamp is None or (newer_than is not None and not _newer(stamp[0], newer_than.version)):
        return None
    table = cache.get(key)
    if table is None or table.epoch != epoch or (table.version, table.token) != stamp[:2]:
        return None
    return table


def _kept(key: str, epoch: str, table: EventTable) -> EventTable:
    """The table, now this process's; written to the shared cache too after a full read, or
    when the shared one is older than SHARE_SECONDS (and this one newer)."""
    table.epoch = epoch
    stamp = _shared_stamp(key)
    if table.read_all or stamp is None or (time.time() - stamp[2] >= SHARE_SECONDS and _newer(table.version, stamp[0])):
        cache.set_many({key: table, key + ":stamp": (table.version, table.token, time.time())}, timeout=TABLE_SECONDS)
    _here.clear()
    _here[key] = table
    return table


def _first(key: str, epoch: str, version: str) -> EventTable:
    """For a process with no table: the shared one, else read in full once in the whole cluster
    (another process reading it is waited for, up to WAIT_SECONDS)."""
    lock = f"{key}:{epoch}:lock"
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(lock, 1, timeout=LOCK_SECONDS):
        table = _shared(key, epoch)
        if table is not None:
            return table
        if time.monotonic() > deadline:
            logger.warning("reading %s myself: another process held the lock for %ss", lock, WAIT_SECONDS)
            return _kept(key, epoch, build(None, version))
        time.sleep(WAIT_STEP)
    try:
        return _shared(key, epoch) or _kept(key, epoch, build(None, version))
    finally:
        cache.delete(lock)


def of_version(version: str) -> EventTable:
    """The table of this public-data version: this process's, else made from the newest one this
    process or the shared cache holds, else read once in the whole cluster."""
    key, epoch = _key(), _epoch()
    table = _mine(key, epoch)
    if table is not None and table.version == version:
        return table
    with _making:
        table = _mine(key, epoch)
        if table is not None and table.version == version:
            return table
        table = _shared(key, epoch, newer_than=table) or table or _first(key, epoch, version)
        if table.version != version:
            table = _kept(key, epoch, build(table, version))
        elif _here.get(key) is not table:
            _here.clear()
            _here[key] = table
        return table
