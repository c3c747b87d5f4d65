"""Background work of the Healing Map: rebuilding a public document after an approval.

`enqueue_rebuild` starts the rebuild in a daemon thread of the app server that noticed the new
version, guarded by the document's build lock so the whole cluster builds it once. Its only
arguments are strings, so it can move to the task worker (django-tasks) unchanged.
"""

import logging
import threading

from django.db import close_old_connections, connection
from django.http import QueryDict

logger = logging.getLogger(__name__)


def rebuild_document(*, kind: str, query: str, origin: str, version: str) -> None:
    """Build one document for these filters at this version, unless another process is."""
    from healingmap import documents
    from healingmap.filters import MapFilterForm

    form = MapFilterForm(QueryDict(query))
    if not form.is_valid():
        return
    digest = documents._digest(kind, form, origin)
    key = documents._key(kind, digest, version)
    if not documents._lock(key):
        return  # somebody is building it already
    try:
        if documents._cached(key) is None:
            documents.store(kind, digest, version, documents.BUILDERS[kind](form, origin))
    finally:
        documents._unlock(key)


def _run(**kwargs) -> None:
    close_old_connections()
    try:
        rebuild_document(**kwargs)
    except Exception:
        logger.exception("background rebuild of %s failed", kwargs.get("kind"))
    finally:
        connection.close()


_running: set[tuple] = set()
_running_lock = threading.Lock()


def enqueue_rebuild(*, kind: str, query: str, origin: str, version: str) -> None:
    job = (kind, query, origin, version)
    with _running_lock:
        if job in _running:
            return
        _running.add(job)

    def work():
        try:
            _run(kind=kind, query=query, origin=origin, version=version)
        finally:
            with _running_lock:
                _running.discard(job)

    threading.Thread(target=work, name=f"healingmap-rebuild-{kind}", daemon=True).start()
