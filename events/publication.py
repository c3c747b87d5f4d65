"""A version number for "what the public can see", kept in the database.

Public outputs (the Healing Map's GeoJSON, CSV and counts, whole cached pages) key their caches
and ETags on it. It is one row (twh.models.PublicDataVersion) updated in the same transaction
as every moderation decision, edit, withdrawal or deletion, and read from the database by every
request that serves cached public data: so it is right with any number of workers on any number
of machines, with or without a shared cache, and a decision is in every worker's next answer.
Events never import the map: they only bump this number.
"""

import time

from django.db.models import F, Value
from django.db.models.functions import Greatest

from twh.models import PublicDataVersion

ROW = 1


def public_version() -> str:
    """The current version, one indexed single-row read (no cache in front: that is the point)."""
    version = PublicDataVersion.objects.filter(pk=ROW).values_list("version", flat=True).first()
    return str(version or 0)


def public_data_changed() -> None:
    """Call inside the transaction that changes public data, after its other writes.

    The row lock it takes orders concurrent changes, and its new number becomes visible exactly
    when their data does. The number never goes back (it is at least the current time in ms), so
    a restored or re-created row cannot reuse a number an old cache entry was stored under.
    """
    now_ms = int(time.time() * 1000)
    bumped = PublicDataVersion.objects.filter(pk=ROW).update(version=Greatest(F("version") + 1, Value(now_ms)))
    if not bumped:  # a fresh (or flushed) database: the first change creates the row
        PublicDataVersion.objects.bulk_create([PublicDataVersion(pk=ROW, version=now_ms)], ignore_conflicts=True)
        PublicDataVersion.objects.filter(pk=ROW).update(version=Greatest(F("version") + 1, Value(now_ms)))
