"""A version number for "what the public can see", bumped whenever it may have changed.

Public outputs (the Healing Map's GeoJSON, CSV and counts) key their caches and ETags on it,
so a moderation decision or an edit is visible at once on every app server sharing the cache.
Events never import the map: they only bump this number.
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "events:public-version"
# The last version current when something was taken down (see may_serve_stale).
REMOVAL_KEY = "events:public-removal-version"


def public_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh or flushed cache starts a new series that cannot collide with an old one.
        version = int(time.time() * 1000)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
        # Documents of this series may be served stale, nothing from an older one.
        cache.add(REMOVAL_KEY, int(version) - 1, timeout=None)
    return str(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): start a new series
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


def _bump_after_removal() -> None:
    # Recorded before the bump, so no reader can see the new version with the old floor.
    cache.set(REMOVAL_KEY, public_version(), timeout=None)
    _bump()


def public_data_changed(*, additive: bool = False) -> None:
    """Call inside the transaction that changes public data; the bump happens on commit.

    `additive=True` says the change only adds to what the public sees (an approval): caches may
    keep serving their previous documents while they rebuild. Anything else (a rejection, a
    withdrawal, an edit, a deletion) may take something down, so nothing built before it may
    be served any more.
    """
    transaction.on_commit(_bump if additive else _bump_after_removal)


def may_serve_stale(version: str) -> bool:
    """Whether a document built at this (older) version may still be served while a newer one
    is built: only if nothing was taken down since. A fresh or flushed cache trusts nothing
    older than the current version."""
    floor = cache.get(REMOVAL_KEY)
    if floor is None:
        cache.add(REMOVAL_KEY, public_version(), timeout=None)
        floor = cache.get(REMOVAL_KEY)
    try:
        return floor is not None and int(version) > int(floor)
    except (TypeError, ValueError):
        return False
