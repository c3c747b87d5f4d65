"""A version number for "what the public can see", kept in the database.

Public outputs (the Healing Map's GeoJSON, CSV and counts, whole cached pages) key their caches
and ETags on it. It is one row (twh.core.models.PublicDataVersion) updated in the same transaction
as every moderation decision, edit, withdrawal or deletion, and read from the database by every
request that serves cached public data: so it is right with any number of workers on any number
of machines, with or without a shared cache, and a decision is in every worker's next answer.
Events never import the map: they only bump this number.
"""

import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Greatest

from twh.core.models import PublicDataVersion

ROW = 1


@dataclass(frozen=True)
class PublicState:
    """The version row as read once: the version, and the removal floor (None before any change)."""

    version: str
    removal_floor: int | None

    def may_serve_stale(self, version: str) -> bool:
        """Whether a document built at this (older) version may still be served while a newer
        one is built: only if nothing was taken down since it was built."""
        try:
            return self.removal_floor is not None and int(version) > int(self.removal_floor)
        except (TypeError, ValueError):
            return False


def public_version() -> str:
    """The current version, one indexed single-row read (no cache in front: that is the point)."""
    return public_state().version


def public_state() -> PublicState:
    """The version and the removal floor in one read. Plain SQL: it runs on every request that
    serves cached public data, where building the ORM query cost more CPU than the round trip."""
    table = connection.ops.quote_name(PublicDataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, removal_floor FROM {table} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return PublicState(str(row[0] or 0), row[1]) if row else PublicState("0", None)


def public_data_changed(*, additive: bool = False) -> None:
    """Call inside the transaction that changes public data, after its other writes.

    The row lock it takes orders concurrent changes, and its new number becomes visible exactly
    when their data does. The number never goes back (it is at least the current time in ms), so
    a restored or re-created row cannot reuse a number an old cache entry was stored under.

    `additive=True` says the change only adds to what the public sees (an approval): caches may
    keep serving their previous documents while they rebuild. Anything else (a rejection, a
    withdrawal, an edit, a deletion) may take something down, so it also raises the removal
    floor to the version before it, in the same row and statement: nothing built before it may be
    served again, by any worker on any machine.
    """
    now_ms = int(time.time() * 1000)
    changes = {"version": Greatest(F("version") + 1, Value(now_ms))}
    if not additive:
        changes["removal_floor"] = F("version")  # SQL reads the old value on the right-hand side
    bumped = PublicDataVersion.objects.filter(pk=ROW).update(**changes)
    if not bumped:
        # A fresh (or flushed) database: the first change creates the row as it stood before,
        # version 0 with nothing ever taken down, then changes it like any other.
        PublicDataVersion.objects.bulk_create(
            [PublicDataVersion(pk=ROW, version=0, removal_floor=-1)], ignore_conflicts=True
        )
        PublicDataVersion.objects.filter(pk=ROW).update(**changes)


def may_serve_stale(version: str) -> bool:
    """PublicState.may_serve_stale, on a fresh read."""
    return public_state().may_serve_stale(version)
