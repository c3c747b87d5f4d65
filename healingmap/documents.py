"""The Healing Map's public documents (GeoJSON, compact markers, CSV), cached per version.

Each document is keyed on (kind, normalized filters, public-data version) and kept gzipped.
Three rules keep a busy city map fast without ever showing what was taken down:

- **single-flight**: one process builds a given document (a cache `add()` lock); the others
  wait for it a moment instead of building it again;
- **stale while rebuilding**: after a change that only *adds* to what the public sees (an
  approval), the previous version's document keeps being served while the task worker rebuilds
  it, once (healingmap/tasks.py), so no visitor waits on it;
- **removals at once**: after a rejection, withdrawal, edit or deletion, no document older than
  that change is served (`twh.core.publication.PublicState.may_serve_stale`); the first request builds the
  new one (single-flight) and everybody gets it.
"""

import gzip
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from isal import igzip, isal_zlib

from healingmap import event_table, geojson
from twh.core.csv import SafeWriter
from twh.core.publication import PublicState, public_state, public_version

logger = logging.getLogger(__name__)

KINDS = ("geojson", "markers", "csv")
DOCUMENT_SECONDS = 24 * 60 * 60
LOCK_SECONDS = 60  # a builder that died frees its lock after this
WAIT_SECONDS = 10.0  # how long a request waits for another process's build before building itself
WAIT_STEP = 0.02
# The open-data documents are big (6 MB of GeoJSON at 10,000 events) and gzipped by ISA-L
# (python-isal): its level 1 takes 9 ms where zlib's level 3 took 59 ms, for 1 % fewer bytes.
# The map's own document is what phones load, so it keeps zlib's tighter level 6 (80 KB where
# ISA-L makes 110 KB at 10,000 events; 19 ms, built by the task worker).
GZIP_LEVEL = 1
MARKERS_GZIP_LEVEL = 6


@dataclass(frozen=True)
class Document:
    """A built answer. Only the gzipped bytes are kept (a tenth of the size): nearly every
    client accepts gzip, and the rare one that does not gets them decompressed."""

    gzipped: bytes
    etag: str
    last_modified: str | None
    version: str = ""
    totals: dict = field(default_factory=dict)

    @property
    def body(self) -> bytes:
        return igzip.decompress(self.gzipped)


def _gzip(body: bytes) -> bytes:
    return igzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _etag(digest: str) -> str:
    return 'W/"' + digest[:32] + '"'


def _table(version: str | None) -> event_table.EventTable:
    """The table of this version (healingmap/event_table.py), made once for all its documents;
    without a version, read from the database now."""
    return event_table.of_version(version) if version is not None else event_table.build()


def build_geojson(form, origin: str = "", *, version: str | None = None) -> Document:
    body, totals, last_modified = _table(version).feature_collection(form)
    gzipped = _gzip(body)
    # The same bytes always compress to the same bytes, so their hash tells versions apart as
    # well as the plain text's, at a fifth of the hashing.
    return Document(gzipped, _etag(hashlib.sha256(gzipped).hexdigest()), last_modified, totals=totals)


def build_markers(form, origin: str = "", *, version: str | None = None) -> Document:
    body, totals, last_modified = _table(version).markers(form)
    return Document(gzip.compress(body, compresslevel=MARKERS_GZIP_LEVEL, mtime=0), _etag(hashlib.sha256(body).hexdigest()),
                    last_modified, totals=totals)


def csv_chunks(form, origin: str) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks of about 64 KB, row by row: memory stays flat at any size."""
    import io

    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(geojson.CSV_COLUMNS)
    for row in geojson.csv_rows(form, absolute_url=lambda path: origin + path):
        writer.writerow(row)
        if buffer.tell() >= 65536:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


class _CompressingTee:
    """Gzips the chunks passing through, for the cache, and hashes the plain bytes."""

    def __init__(self):
        self.compressor = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS)
        self.parts: list[bytes] = []
        self.sha = hashlib.sha256()

    def feed(self, chunk: bytes) -> None:
        self.sha.update(chunk)
        self.parts.append(self.compressor.compress(chunk))

    def document(self, form) -> Document:
        self.parts.append(self.compressor.flush())
        return Document(b"".join(self.parts), _etag(self.sha.hexdigest()), None)


def build_csv(form, origin: str = "", *, version: str | None = None) -> Document:
    tee = _CompressingTee()
    for chunk in csv_chunks(form, origin):
        tee.feed(chunk)
    return tee.document(form)


BUILDERS: dict[str, Callable] = {"geojson": build_geojson, "markers": build_markers, "csv": build_csv}


# --- The cache


def _digest(kind: str, form, origin: str) -> str:
    query = form.cache_query() + (f"#{origin}" if kind == "csv" else "")
    return hashlib.sha256(f"{kind}?{query}".encode()).hexdigest()[:16]


def _key(kind: str, digest: str, version: str) -> str:
    return f"healingmap:{kind}:{digest}:{version}"


def _latest_key(kind: str, digest: str) -> str:
    return f"healingmap:{kind}:{digest}:latest"


_memo: OrderedDict[str, Document] = OrderedDict()
_MEMO_SIZE = 16


def _remember(key: str, document: Document) -> None:
    _memo[key] = document
    while len(_memo) > _MEMO_SIZE:
        try:
            _memo.popitem(last=False)
        except KeyError:  # another thread emptied it first
            break


def _remembered(key: str) -> Document | None:
    """This process's copy of the document under this key (it saves unpickling it on every
    request), trusted only while the shared cache still holds the same ETag under that key (a
    flushed cache restarts the version series, which could reuse an old number)."""
    document = _memo.get(key)
    if document is not None and cache.get(key + ":etag") == document.etag:
        return document
    return None


def _cached(key: str) -> Document | None:
    """The document under this key: this process's copy, else the shared cache's."""
    document = _remembered(key)
    if document is not None:
        return document
    document = cache.get(key)
    if document is not None:
        _remember(key, document)
    return document


def store(kind: str, digest: str, version: str, document: Document) -> Document:
    key = _key(kind, digest, version)
    document = Document(document.gzipped, document.etag, document.last_modified, version, document.totals)
    cache.set_many({key: document, key + ":etag": document.etag}, timeout=DOCUMENT_SECONDS)
    latest = cache.get(_latest_key(kind, digest))
    if latest is None or _newer(version, latest):
        cache.set(_latest_key(kind, digest), version, timeout=DOCUMENT_SECONDS)
    _remember(key, document)
    return document


def _newer(version: str, than: str) -> bool:
    try:
        return int(version) > int(than)
    except ValueError:
        return version != than


def _lock(key: str) -> bool:
    return cache.add(key + ":lock", 1, timeout=LOCK_SECONDS)


def _unlock(key: str) -> None:
    cache.delete(key + ":lock")


def build_once(kind: str, form, origin: str, version: str) -> Document:
    """Build and store the document unless another process is already at it; then wait for its
    result (up to WAIT_SECONDS, after which this process builds it too)."""
    digest = _digest(kind, form, origin)
    key = _key(kind, digest, version)
    deadline = time.monotonic() + WAIT_SECONDS
    while not _lock(key):
        document = _cached(key)
        if document is not None:
            return document
        if time.monotonic() > deadline:
            logger.warning("building %s myself: another build held the lock for %ss", key, WAIT_SECONDS)
            return store(kind, digest, version, BUILDERS[kind](form, origin, version=version))
        time.sleep(WAIT_STEP)
    try:
        document = _cached(key)  # finished between our miss and our lock
        if document is None:
            document = store(kind, digest, version, BUILDERS[kind](form, origin, version=version))
        return document
    finally:
        _unlock(key)


def _stale(kind: str, digest: str, state: PublicState, latest) -> Document | None:
    """The newest earlier document, when nothing has been taken down since it was built."""
    if not settings.MAP_SERVE_STALE:
        return None
    if latest is None or str(latest) == state.version or not state.may_serve_stale(str(latest)):
        return None
    return _cached(_key(kind, digest, str(latest)))


_queued_here: dict[str, float] = {}


def rebuild_in_background(kind: str, form, origin: str, version: str, digest: str | None = None) -> None:
    """Queue one rebuild of this document on the task worker (no-op if one is queued already).

    Every request served a stale document lands here until the rebuild is in; this process
    asks the shared cache (healingmap/tasks.py) only once per document and version, so those
    requests cost what a fresh one does."""
    from healingmap import tasks

    key = _key(kind, digest or _digest(kind, form, origin), version)
    now = time.monotonic()
    if now - _queued_here.get(key, -tasks.QUEUED_SECONDS) < tasks.QUEUED_SECONDS:
        return
    if len(_queued_here) > 256:
        _queued_here.clear()
    _queued_here[key] = now
    tasks.enqueue_rebuild(kind=kind, query=form.normalized_query(), origin=origin, version=version)


def _served(kind: str, form, origin: str, state: PublicState) -> Document | None:
    """The current document if cached, else a stale one (queueing its rebuild), else None."""
    digest = _digest(kind, form, origin)
    key = _key(kind, digest, state.version)
    found = _remembered(key)
    if found is not None:
        return found
    # One round trip for the current document and the pointer to the newest one.
    latest_key = _latest_key(kind, digest)
    both = cache.get_many([key, latest_key])
    found, latest = both.get(key), both.get(latest_key)
    if found is not None:
        _remember(key, found)
        return found
    stale = _stale(kind, digest, state, latest)
    if stale is not None:
        rebuild_in_background(kind, form, origin, state.version, digest)
    return stale


def document(kind: str, form, *, origin: str = "") -> Document:
    """The document of this kind for these filters (see the module's rules)."""
    state = public_state()
    served = _served(kind, form, origin, state)
    return served if served is not None else build_once(kind, form, origin, state.version)


def cached_or_none(kind: str, form, *, origin: str = "") -> Document | None:
    """Like document(), but None instead of building in this request (the CSV then streams)."""
    return _served(kind, form, origin, public_state())


def streamed_csv(form, *, origin: str) -> Iterator[bytes]:
    """The CSV streamed as it is built; if this process holds the build lock, the gzipped copy
    is cached at the end for the requests that follow."""
    version = public_version()
    digest = _digest("csv", form, origin)
    key = _key("csv", digest, version)
    locked = _lock(key)
    tee = _CompressingTee() if locked else None
    try:
        for chunk in csv_chunks(form, origin):
            if tee is not None:
                tee.feed(chunk)
            yield chunk
        if tee is not None:
            store("csv", digest, version, tee.document(form))
    finally:
        if locked:
            _unlock(key)
