"""Background work of the Healing Map: rebuilding a public document after an approval.

`enqueue_rebuild` queues the rebuild on the task worker (django-tasks, `manage.py db_worker`),
once per document and version however many visitors are served the previous one meanwhile: a
cache `add()` marks it queued until the worker is done. The worker builds it under the
document's build lock, so the whole cluster builds it once, and no app server spends a request
or a thread on it; it builds in Python, in its own low-priority process (TASK_WORKER_NICE), not
in a database backend, which would compete with the app servers at full priority.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django_tasks import task

logger = logging.getLogger(__name__)

# A queued rebuild that no worker picked up (none running, or one that died) may be queued again
# after this long.
QUEUED_SECONDS = 5 * 60


def rebuild_document(*, kind: str, query: str, origin: str, version: str) -> None:
    """Build one document for these filters at this version, unless another process is, or the
    public data have moved on since (the requests that see the newer version queue that one)."""
    from healingmap import documents
    from healingmap.filters import MapFilterForm
    from twh.core.publication import public_version

    form = MapFilterForm(QueryDict(query))
    if not form.is_valid():
        return
    digest = documents._digest(kind, form, origin)
    key = documents._key(kind, digest, version)
    try:
        if public_version() != version:
            return
        if not documents._lock(key):
            return  # somebody is building it already
        try:
            if documents._cached(key) is None:
                built = documents.BUILDERS[kind](form, origin, version=version)
                documents.store(kind, digest, version, built)
        finally:
            documents._unlock(key)
    finally:
        cache.delete(_queued_key(key))


@task()
def rebuild(kind: str, query: str, origin: str, version: str) -> None:
    """The task the worker runs for each queued rebuild."""
    rebuild_document(kind=kind, query=query, origin=origin, version=version)


def _queued_key(key: str) -> str:
    return key + ":queued"


def enqueue_rebuild(*, kind: str, query: str, origin: str, version: str) -> bool:
    """Queue one rebuild of this document at this version; False if one is queued already."""
    from healingmap import documents
    from healingmap.filters import MapFilterForm

    form = MapFilterForm(QueryDict(query))
    if not form.is_valid():
        return False
    key = documents._key(kind, documents._digest(kind, form, origin), version)
    if not cache.add(_queued_key(key), 1, timeout=QUEUED_SECONDS):
        return False
    # After the caller's transaction, if any: a rolled-back request queues nothing.
    transaction.on_commit(lambda: rebuild.enqueue(kind, query, origin, version))
    return True
