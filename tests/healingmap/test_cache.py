"""ETag, Last-Modified and 304; the cache is invalidated as soon as public data changes."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from events import moderation, services
from events.models import HealingEvent
from tests.conftest import make_event
from twh.core.moderation import RejectionReason, Status

pytestmark = pytest.mark.django_db(transaction=True)

URL = "healingmap:events_geojson"


@pytest.fixture(autouse=True)
def _areas(reference_data):
    """Transactional tests (needed for on-commit bumps) start from a flushed database."""


def ids(response) -> set[int]:
    return {f["properties"]["id"] for f in json.loads(response.content)["features"]}


def test_etag_and_last_modified_give_304(client):
    make_event()
    first = client.get(reverse(URL))
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(reverse(URL), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(reverse(URL), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get(reverse(URL), HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_each_filter_has_its_own_etag(client):
    make_event(kind="dialogue")
    make_event(kind="learning")
    everything = client.get(reverse(URL))
    learning = client.get(reverse(URL), {"kind": "learning"})
    assert everything["ETag"] != learning["ETag"]
    assert client.get(reverse(URL), {"kind": "learning"}, HTTP_IF_NONE_MATCH=everything["ETag"]).status_code == 200


def test_approving_refreshes_the_cached_geojson(client, moderator):
    event = make_event(status=Status.PENDING)
    before = client.get(reverse(URL))
    assert ids(before) == set()
    moderation.approve(event, moderator=moderator)
    after = client.get(reverse(URL), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert ids(after) == {event.pk}


def test_rejecting_refreshes_the_cached_geojson(client, moderator):
    event = make_event()
    before = client.get(reverse(URL))
    assert ids(before) == {event.pk}
    moderation.reject(event, moderator=moderator, reason=RejectionReason.DUPLICATE)
    after = client.get(reverse(URL), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and ids(after) == set()


def test_a_staff_edit_refreshes_the_cached_geojson(client):
    event = make_event(title="Old title")
    before = client.get(reverse(URL))
    assert "Old title" in before.content.decode()
    event.title = "New title"
    services.save_event_by_staff(event=event)
    after = client.get(reverse(URL), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "New title" in after.content.decode() and "Old title" not in after.content.decode()


def test_withdrawing_refreshes_the_cached_geojson(client):
    event = make_event()
    assert ids(client.get(reverse(URL))) == {event.pk}
    services.withdraw_event(event=event)
    assert ids(client.get(reverse(URL))) == set()


def test_without_a_version_bump_the_cached_answer_is_served(client):
    """Proves the cache is used: a write that skips the services is not seen until a bump."""
    event = make_event(title="Cached title")
    assert "Cached title" in client.get(reverse(URL)).content.decode()
    # updated_at too, as every save does: the map's kept features follow it (feature_store).
    HealingEvent.objects.filter(pk=event.pk).update(title="Sneaky title", updated_at=timezone.now())
    assert "Cached title" in client.get(reverse(URL)).content.decode()
    from twh.core.publication import public_data_changed

    public_data_changed()
    assert "Sneaky title" in client.get(reverse(URL)).content.decode()


def test_a_flushed_cache_never_lets_the_process_memo_serve_an_old_document(client):
    """The version lives in the database; the per-process memo is trusted only while the shared
    cache still holds its ETag, so a flushed cache rebuilds the document."""
    from django.core.cache import cache

    make_event(title="Before the flush")
    assert "Before the flush" in client.get(reverse(URL)).content.decode()
    # No bump: only the flush can show it (updated_at moved, as every save does).
    HealingEvent.objects.update(title="After the flush", updated_at=timezone.now())
    cache.clear()
    assert "After the flush" in client.get(reverse(URL)).content.decode()


def test_the_version_is_in_the_database_not_in_a_cache(client, moderator):
    """What every worker on every machine reads: a decision bumps the row, not a process's cache."""
    from django.core.cache import cache

    from twh.core.publication import public_data_changed, public_version
    from twh.models import PublicDataVersion

    event = make_event()
    public_data_changed()  # transactional tests start from a flushed table
    before = public_version()
    assert PublicDataVersion.objects.get().version == int(before)
    cache.clear()
    assert public_version() == before  # a flushed (or per-process) cache changes nothing
    moderation.reject(event, moderator=moderator, reason=RejectionReason.PRIVATE_PERSON)
    assert int(public_version()) > int(before)
    assert ids(client.get(reverse(URL))) == set()
