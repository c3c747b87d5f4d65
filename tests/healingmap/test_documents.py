"""The map's cached documents: single-flight builds, stale serving only after approvals,
removals gone at once, the CSV cached per version and streamed when built, compressed HTML."""

import csv
import gzip
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from events import moderation, services
from healingmap import documents, tasks
from tests.conftest import make_event
from twh.core.moderation import RejectionReason, Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _areas(reference_data):
    """Transactional tests (needed for on-commit bumps) start from a flushed database."""


@pytest.fixture
def rebuilds(monkeypatch, settings):
    """Stale serving on, with background rebuilds queued here and run when the test says."""
    settings.MAP_SERVE_STALE = True
    queued = []
    monkeypatch.setattr(tasks, "enqueue_rebuild", lambda **job: queued.append(job))

    def run_all():
        while queued:
            tasks.rebuild_document(**queued.pop(0))

    run_all.queued = queued
    return run_all


def body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content


def geojson_ids(client) -> set[int]:
    features = json.loads(body(client.get(reverse("healingmap:events_geojson"))))["features"]
    return {f["properties"]["id"] for f in features if "id" in f["properties"]}


def marker_ids(client) -> set[int]:
    return {row[0] for row in json.loads(body(client.get(reverse("healingmap:markers"))))["events"]}


def test_markers_document_has_only_what_a_marker_needs(client):
    event = make_event(kind="learning", format="virtual")
    document = json.loads(body(client.get(reverse("healingmap:markers"))))
    assert document["fields"] == ["id", "longitude", "latitude", "kind", "format", "virtual"]
    (row,) = document["events"]
    assert row[0] == event.pk and row[3:] == ["learning", "virtual", 1]
    assert row[1] == round(event.public_longitude, 5) and row[2] == round(event.public_latitude, 5)
    assert event.title not in json.dumps(document)
    assert document["totals"]["events"] == 1


def test_popup_gives_the_allow_listed_properties_of_one_mapped_event(client):
    event = make_event(title="Garden day")
    response = client.get(reverse("healingmap:popup", args=[event.pk]))
    assert response.status_code == 200
    properties = response.json()
    assert properties["title"] == "Garden day" and properties["url"] == event.get_absolute_url()
    assert event.contact_email not in response.content.decode()
    assert set(properties) == set(documents.geojson.EVENT_PROPERTIES)


def test_an_approval_serves_the_previous_map_until_the_one_rebuild_is_done(client, moderator, rebuilds):
    shown = make_event()
    assert marker_ids(client) == geojson_ids(client) == {shown.pk}
    pending = make_event(status=Status.PENDING)
    moderation.approve(pending, moderator=moderator)
    # Nobody waits: the previous documents are served while one rebuild per document is queued.
    assert marker_ids(client) == geojson_ids(client) == {shown.pk}
    assert marker_ids(client) == {shown.pk}
    assert len(rebuilds.queued) >= 2
    rebuilds()
    assert marker_ids(client) == geojson_ids(client) == {shown.pk, pending.pk}


def test_an_approval_queues_one_rebuild_per_document_on_the_task_worker(client, moderator, settings):
    """The app servers only queue the rebuild (once, however many visitors come meanwhile);
    the task worker builds it, and then everybody gets the new map."""
    from django_tasks_db.models import DBTaskResult

    from tests.conftest import run_task_worker

    settings.MAP_SERVE_STALE = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    shown = make_event()
    assert marker_ids(client) == geojson_ids(client) == {shown.pk}
    pending = make_event(status=Status.PENDING)
    moderation.approve(pending, moderator=moderator)
    for _ in range(3):
        assert marker_ids(client) == geojson_ids(client) == {shown.pk}
    rebuilds = DBTaskResult.objects.filter(task_path="healingmap.tasks.rebuild")
    assert sorted(r.args_kwargs["args"][0] for r in rebuilds) == ["geojson", "markers"]
    assert run_task_worker() >= 2
    assert {r.status for r in rebuilds.all()} == {"SUCCESSFUL"}
    assert marker_ids(client) == geojson_ids(client) == {shown.pk, pending.pk}
    assert rebuilds.count() == 2  # served from the rebuilt documents: nothing more queued


def test_a_queued_rebuild_for_a_version_since_superseded_builds_nothing(monkeypatch):
    from twh.core.publication import public_version

    make_event()
    built = []
    monkeypatch.setitem(documents.BUILDERS, "markers", lambda *a: built.append(a))
    tasks.rebuild_document(kind="markers", query="", origin="", version=public_version() + "0")
    assert built == []


@pytest.mark.parametrize("take_down", ["reject", "withdraw", "edit"])
def test_after_a_take_down_no_response_contains_the_event(client, moderator, rebuilds, take_down):
    """Privacy first: stale serving never outlives a rejection, withdrawal or edit."""
    kept, removed = make_event(), make_event(title="Taken down")
    csv_url = reverse("healingmap:events_csv")
    assert b"Taken down" in body(client.get(csv_url)) and b"Taken down" in body(client.get(csv_url))
    assert marker_ids(client) == geojson_ids(client) == {kept.pk, removed.pk}
    assert client.get(reverse("healingmap:popup", args=[removed.pk])).status_code == 200
    if take_down == "reject":
        moderation.reject(removed, moderator=moderator, reason=RejectionReason.DUPLICATE)
    elif take_down == "withdraw":
        services.withdraw_event(event=removed)
    else:
        removed.status = Status.PENDING
        services.save_event_by_staff(event=removed)
    assert marker_ids(client) == geojson_ids(client) == {kept.pk}
    assert b"Taken down" not in body(client.get(csv_url))
    assert client.get(reverse("healingmap:popup", args=[removed.pk])).status_code == 404
    for path in (reverse("healingmap:map"), reverse("healingmap:event_list"), reverse("home")):
        assert "Taken down" not in client.get(path).content.decode()
    assert rebuilds.queued == []  # built at once, not in the background


def test_only_one_build_runs_while_another_process_holds_the_lock(client, monkeypatch):
    make_event()
    from healingmap.filters import MapFilterForm
    from twh.core.publication import public_version

    form = MapFilterForm({})
    form.is_valid()
    version = public_version()
    digest = documents._digest("geojson", form, "")
    key = documents._key("geojson", digest, version)
    assert documents._lock(key)  # another worker is building it
    built = []
    real = documents.BUILDERS["geojson"]
    monkeypatch.setitem(documents.BUILDERS, "geojson", lambda *a, **k: built.append(1) or real(*a, **k))
    finished = real(form)

    def other_worker_finishes(seconds):
        documents.store("geojson", digest, version, finished)

    monkeypatch.setattr(documents.time, "sleep", other_worker_finishes)
    document = documents.document("geojson", form)
    assert built == [] and document.etag == finished.etag  # waited for it, built nothing
    documents._unlock(key)


def test_the_csv_is_streamed_when_built_then_served_gzipped_from_the_cache(client):
    make_event(title="Row one")
    first = client.get(reverse("healingmap:events_csv"), HTTP_ACCEPT_ENCODING="gzip")
    assert first.streaming
    streamed = body(first)
    second = client.get(reverse("healingmap:events_csv"), HTTP_ACCEPT_ENCODING="gzip")
    assert not second.streaming and second["Content-Encoding"] == "gzip" and second["ETag"]
    assert body(second) == streamed
    rows = list(csv.reader(io.StringIO(streamed.decode())))
    assert rows[1][1] == "Row one"
    plain = client.get(reverse("healingmap:events_csv"))
    assert "Content-Encoding" not in plain and plain.content == streamed
    assert client.get(reverse("healingmap:events_csv"), HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_each_csv_filter_is_cached_on_its_own(client):
    make_event(kind="dialogue", title="Talk")
    make_event(kind="learning", title="Class")
    assert b"Class" not in body(client.get(reverse("healingmap:events_csv"), {"kind": "dialogue"}))
    assert b"Class" not in body(client.get(reverse("healingmap:events_csv"), {"kind": "dialogue"}))
    assert b"Talk" not in body(client.get(reverse("healingmap:events_csv"), {"kind": "learning"}))


def test_html_is_gzipped_on_the_wire_and_streams_still_work(client):
    make_event()
    page = client.get(reverse("healingmap:event_list"), HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(page.content)
    assert "Accept-Encoding" in page["Vary"]
    stream = client.get(reverse("healingmap:events_csv"), HTTP_ACCEPT_ENCODING="gzip")
    assert stream.streaming and stream["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(stream.streaming_content)).startswith(b"id,title,")


def test_a_flushed_cache_trusts_no_older_document(client, rebuilds):
    event = make_event(title="Before")
    assert marker_ids(client) == {event.pk}
    cache.clear()
    from django.test import RequestFactory

    from healingmap.filters import bind
    from twh.core.publication import public_state

    # Neither this process's copy nor an older version: the next request builds it.
    assert documents._served("markers", bind(RequestFactory().get("/")), "", public_state()) is None


def test_the_map_page_needs_no_nonce_and_is_served_from_the_page_cache(client, django_assert_num_queries):
    import re

    make_event()
    for name in ("healingmap:map", "healingmap:embed"):
        first = client.get(reverse(name))
        assert first.status_code == 200
        html = first.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert inline == [] and "nonce=" not in html
        assert "data-leaflet-options=" in html and "data-markers-url=" in html
        # A cached page costs one query: the public-data version, read from the database.
        with django_assert_num_queries(1):
            again = client.get(reverse(name))
        assert again.content == first.content
    embed = client.get(reverse("healingmap:embed"))
    assert "X-Frame-Options" not in embed and "frame-ancestors *" in embed["Content-Security-Policy"]
