"""A version number for "what the public can see", bumped whenever it may have changed.

Public outputs (the Healing Map's GeoJSON, CSV and counts) key their caches and ETags on it,
so a moderation decision or an edit is visible at once on every app server sharing the cache.
Events never import the map: they only bump this number.
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "events:public-version"


def public_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh or flushed cache starts a new series that cannot collide with an old one.
        version = int(time.time() * 1000)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): start a new series
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


def public_data_changed() -> None:
    """Call inside the transaction that changes public data; the bump happens on commit."""
    transaction.on_commit(_bump)
