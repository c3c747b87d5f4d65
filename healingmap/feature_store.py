"""Each approved event's GeoJSON feature kept as UTF-8 JSON, made again only when it changed.

A map document of 10,000 events used to be 10,000 features made from their columns on every
build, and every moderation decision starts a build. Here the version's event table
(healingmap/event_table.py) reads the kept ones in the documents' order, with one comparison per event telling whether its text is still right (the
event's and its report's updated_at, its area's number and name, the recipe); only the events
that changed since (usually the one just approved) are made again, in Python, and kept. Every
write that changes what an event shows moves its updated_at (every save() does); a plain
queryset update() of its public columns must set updated_at too.

The features are made in one place, `healingmap.geojson.event_features`, from its allow-list;
this module only keeps them. Whether an individual's event is shown at its area's centre is
decided per build (it depends on the other events), so a kept feature never depends on it.
"""

import hashlib
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from psycopg.adapt import Loader

from events.models import HealingEvent
from healingmap.models import EventFeature

# Stands for "no report" in EventFeature.report_updated_at, so the comparison needs no NULL case.
NO_REPORT = datetime(1970, 1, 1, tzinfo=UTC)
# Bump when a feature's shape changes: every kept feature is then made again on the next build.
SCHEMA = 1
BATCH = 2000  # events read per query to make their features
ROWS_PER_INSERT = 100  # 700 parameters: under SQLite's oldest limit (999)


def recipe() -> str:
    """What every feature also depends on besides its own rows: when this changes, none is kept."""
    from healingmap import geojson

    parts = (SCHEMA, str(timezone.get_current_timezone()), geojson._detail_path(),
             geojson.MESSAGE_EXCERPT_CHARS, geojson.COORDINATE_DECIMALS)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def report_stamp() -> Coalesce:
    """An event's report's updated_at, NO_REPORT without one: what EventFeature.report_updated_at keeps."""
    return Coalesce(F("report__updated_at"), Value(NO_REPORT))


def _still_right(current: str) -> Q:
    return Q(
        map_feature__recipe=current,
        map_feature__event_updated_at=F("updated_at"),
        map_feature__report_updated_at=report_stamp(),
        map_feature__area_number=F("community_area__number"),
        map_feature__area_name=F("community_area__name"),
    )


def with_kept_text(events, current: str):
    """These events annotated with `kept_feature`: their kept text while it is still right for
    them, else None (to be made again)."""
    return events.annotate(kept_feature=Case(When(_still_right(current), then=F("map_feature__feature")),
                                             default=Value(None), output_field=TextField()))


class _RawText(Loader):
    """PostgreSQL text as its UTF-8 bytes: 50,000 features are joined as they came, without
    being decoded to str and encoded back."""

    def load(self, data) -> bytes:
        return bytes(data)


def fetch_raw(values) -> list[tuple]:
    """A values_list's rows through the plain cursor (no per-row work by the ORM), its text
    columns as bytes on PostgreSQL (varchar ones stay str)."""
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.cursor.adapters.register_loader("text", _RawText)  # this cursor only
        cursor.execute(sql, params)
        return cursor.fetchall()


def made(event_ids: list[int], current: str | None = None) -> dict[int, bytes]:
    """Make and keep the features of these approved, mappable events; {event id: UTF-8 JSON}."""
    from healingmap import geojson

    current = current or recipe()
    texts: dict[int, bytes] = {}
    for start in range(0, len(event_ids), BATCH):
        kept = []
        for pk, feature, stamp in geojson.event_features(HealingEvent.objects.filter(pk__in=event_ids[start:start + BATCH])):
            texts[pk] = feature
            kept.append((pk, current, *stamp, feature.decode()))
        _keep(kept)
    return texts


_COLUMNS = ("event_id", "recipe", "event_updated_at", "report_updated_at", "area_number", "area_name", "feature")


def _keep(rows: list[tuple]) -> None:
    """Insert or replace these EventFeature rows (_COLUMNS order), a hundred per statement, in one
    transaction. Plain SQL rather than bulk_create(update_conflicts=True): on PostgreSQL, Django
    5.2 sends the texts as arrays, whose escaping of JSON's quotes took 40 % of the time. The same
    SQL runs on PostgreSQL and SQLite."""
    if not rows:
        return
    ops, quote = connection.ops, connection.ops.quote_name
    columns = ", ".join(quote(c) for c in _COLUMNS)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in _COLUMNS[1:])
    one_row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with transaction.atomic(), connection.cursor() as cursor:  # one commit, not one per statement
        for start in range(0, len(rows), ROWS_PER_INSERT):
            batch = rows[start:start + ROWS_PER_INSERT]
            cursor.execute(
                f"INSERT INTO {quote(EventFeature._meta.db_table)} ({columns}) VALUES {', '.join([one_row] * len(batch))}"
                f" ON CONFLICT ({quote('event_id')}) DO UPDATE SET {updates}",
                [value for pk, current, event_at, report_at, number, name, feature in batch
                 for value in (pk, current, ops.adapt_datetimefield_value(event_at),
                               ops.adapt_datetimefield_value(report_at), number, name, feature)])


def keep_all() -> tuple[int, int]:
    """Make every approved, mappable event's feature that is missing or out of date, ahead of the
    first build that would otherwise make them (after a deploy that changed the recipe, or an
    area reload that renamed many areas). Returns (made, already right)."""
    current = recipe()
    events = HealingEvent.objects.mappable().annotate(
        right=Case(When(_still_right(current), then=Value(True)), default=Value(False)))
    right = events.filter(right=True).count()
    stale = sorted(events.filter(right=False).values_list("pk", flat=True))
    made(stale, current)
    return len(stale), right
