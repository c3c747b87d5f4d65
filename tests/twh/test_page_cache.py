"""Whole-page caching: anonymous visitors share a copy until public data changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.moderation import approve
from tests.conftest import make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_visit_is_served_with_only_the_version_read(client):
    make_event(title="Cached circle")
    first = client.get("/map/list/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/map/list/")
    assert second.status_code == 200 and second.content == first.content
    # The one query is the public-data version (twh/core/publication.py), read from the database so
    # that every worker agrees; the page itself comes from the cache.
    assert len(queries.captured_queries) == 1
    assert "twh_publicdataversion" in queries.captured_queries[0]["sql"]
    assert "Cached circle" in second.content.decode()


def test_a_cached_page_is_sent_gzipped_as_stored_and_plain_to_clients_without_gzip(client, monkeypatch):
    import gzip

    from django.middleware import gzip as gzip_middleware

    from twh.core import page_cache

    stored = {}
    original = page_cache.cache.set
    monkeypatch.setattr(page_cache.cache, "set", lambda key, value, *a, **k: stored.update({key: value})
                        or original(key, value, *a, **k))
    make_event(title="Zipped circle")
    first = client.get("/map/list/", HTTP_ACCEPT_ENCODING="gzip")
    zipped = client.get("/map/list/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    plain = client.get("/map/list/", HTTP_ACCEPT_ENCODING="identity")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert int(zipped["Content-Length"]) == len(zipped.content)
    assert not plain.has_header("Content-Encoding") and "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    body = first.content if not first.has_header("Content-Encoding") else gzip.decompress(first.content)
    assert plain.content == body and "Zipped circle" in plain.content.decode()
    # Stored compressed once: a hit sends those bytes and compresses nothing.
    [page] = [value for key, value in stored.items() if key.startswith("page:")]
    assert gzip.decompress(page[0]) == plain.content
    compressions = []
    real = gzip_middleware.compress_string
    monkeypatch.setattr(gzip_middleware, "compress_string", lambda *a, **k: compressions.append(1) or real(*a, **k))
    assert client.get("/map/list/", HTTP_ACCEPT_ENCODING="gzip").content == page[0]
    assert compressions == []


def test_a_moderation_decision_shows_at_once(client, moderator, django_capture_on_commit_callbacks):
    assert "Fresh circle" not in client.get("/").content.decode()
    event = make_event(title="Fresh circle", status=Status.PENDING)
    assert "Fresh circle" not in client.get("/map/list/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        approve(event, moderator=moderator)
    assert "Fresh circle" in client.get("/map/list/").content.decode()


def test_each_language_and_query_has_its_own_copy(client):
    english = client.get("/").content.decode()
    client.cookies["django_language"] = "es"
    spanish = client.get("/").content.decode()
    assert '<html lang="en"' in english and '<html lang="es"' in spanish
    client.cookies.pop("django_language")
    make_event(title="Learning walk", kind="learning")
    make_event(title="Dialogue night", kind="dialogue")
    learning = client.get("/map/list/?kind=learning").content.decode()
    dialogue = client.get("/map/list/?kind=dialogue").content.decode()
    assert "Learning walk" in learning and "Learning walk" not in dialogue


def test_signed_in_visitors_and_bad_queries_are_never_served_a_copy(client, moderator):
    from django.test import Client

    client.get("/map/list/")
    make_event(title="Seen by staff")  # made without a version bump: the copy stays as it was
    assert "Seen by staff" not in Client().get("/map/list/").content.decode()
    client.force_login(moderator)
    assert "Seen by staff" in client.get("/map/list/").content.decode()
    assert Client().get("/map/list/?kind=party").status_code == 400


def test_pages_with_a_csp_nonce_are_never_stored(client, monkeypatch):
    from twh.core import page_cache

    stored = []
    original = page_cache.cache.set
    monkeypatch.setattr(page_cache.cache, "set", lambda key, *a, **k: stored.append(key) or original(key, *a, **k))
    client.get("/")
    assert [key for key in stored if key.startswith("page:")]
    stored.clear()
    wrapped = page_cache.cache_public_page(lambda request: _render_with_nonce(request))
    from django.test import RequestFactory

    request = RequestFactory().get("/nonce-page/")
    request._csp_nonce = "abc123"  # what django-csp sets once a template has used the nonce
    assert wrapped(request).status_code == 200
    assert not [key for key in stored if key.startswith("page:")]


def _render_with_nonce(request):
    from django.http import HttpResponse

    return HttpResponse('<script nonce="abc123"></script>')


def test_the_language_switcher_works_without_a_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "es"


def test_a_page_served_again_within_memo_seconds_does_not_ask_the_shared_cache(client, monkeypatch):
    from twh.core import page_cache

    make_event(title="Remembered circle")
    client.get("/map/list/")
    asked = []
    real = page_cache.cache.get
    monkeypatch.setattr(page_cache.cache, "get", lambda key, *a, **k: asked.append(key) or real(key, *a, **k))
    assert "Remembered circle" in client.get("/map/list/").content.decode()
    assert not [key for key in asked if key.startswith("page:")]
    monkeypatch.setattr(page_cache, "MEMO_SECONDS", 0)  # the memo's time is up: the shared copy
    assert "Remembered circle" in client.get("/map/list/").content.decode()
    assert [key for key in asked if key.startswith("page:")]
