"""Kept features: made once per event, made again whenever something they show has changed."""

import json

import pytest
from django.test import RequestFactory

from events.models import CommunityArea, EventReport, HealingEvent
from healingmap import feature_store, geojson
from healingmap.filters import bind
from healingmap.models import EventFeature
from tests.conftest import area, make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(monkeypatch):
    """The ids of the events whose features each build had to make."""
    calls: list[list[int]] = []
    real = feature_store.made

    def counting(event_ids, current=None):
        calls.append(list(event_ids))
        return real(event_ids, current)

    monkeypatch.setattr(feature_store, "made", counting)
    return calls


def properties() -> dict[int, dict]:
    body, _ = geojson.feature_collection_json(bind(RequestFactory().get("/")))
    return {f["properties"]["id"]: f["properties"] for f in json.loads(body)["features"]}


def test_a_feature_is_made_once_and_then_read_as_kept(made):
    first, second = make_event(title="First"), make_event(title="Second")
    assert set(properties()) == {first.pk, second.pk}
    assert made == [sorted([first.pk, second.pk])]
    assert EventFeature.objects.count() == 2
    assert set(properties()) == {first.pk, second.pk}
    assert len(made) == 1  # the second build made none


def test_an_edited_event_is_made_again_and_shows_its_edit(made):
    event, other = make_event(title="Before"), make_event(title="Other")
    properties()
    event.title = "After"
    event.save()
    shown = properties()
    assert shown[event.pk]["title"] == "After" and shown[other.pk]["title"] == "Other"
    assert made[-1] == [event.pk]  # only the edited one


def test_a_kept_text_is_never_used_once_its_event_changed():
    """The stamp, not the text, decides: a kept text left behind by a change is never served."""
    event = make_event(title="Right")
    properties()
    wrong = json.dumps({"type": "Feature", "properties": {"id": event.pk, "title": "Wrong"}})
    EventFeature.objects.filter(pk=event.pk).update(feature=wrong)
    assert EventFeature.objects.get(pk=event.pk).feature == wrong
    assert properties()[event.pk]["title"] == "Wrong"  # kept texts are what is served...
    HealingEvent.objects.get(pk=event.pk).save()  # ...until their event changes (a new updated_at)
    assert properties()[event.pk]["title"] == "Right"


def test_an_approved_report_is_shown_once_approved():
    event = make_event()
    assert properties()[event.pk]["reported"] is False
    report = EventReport.objects.create(event=event, participants=42, status=Status.PENDING)
    assert properties()[event.pk]["reported_participants"] is None
    report.status = Status.APPROVED
    report.save()
    shown = properties()[event.pk]
    assert shown["reported"] is True and shown["reported_participants"] == 42


def test_an_area_renamed_or_an_event_moved_by_a_plain_update_is_made_again(made):
    event = make_event(community_area=area(32))
    properties()
    CommunityArea.all_objects.filter(number=32).update(name="Renamed Loop")
    assert properties()[event.pk]["community_area_name"] == "Renamed Loop"
    # events.area_assignment moves events with update(), which leaves updated_at alone.
    HealingEvent.objects.filter(pk=event.pk).update(community_area=area(8))
    assert properties()[event.pk]["community_area"] == 8
    assert len(made) == 3


def test_a_new_time_zone_makes_every_feature_again(settings):
    from django.utils import timezone

    event = make_event()
    chicago = properties()[event.pk]["start"]
    settings.TIME_ZONE = "Asia/Kolkata"
    with timezone.override("Asia/Kolkata"):
        kolkata = properties()[event.pk]["start"]
    assert chicago.endswith(("-06:00", "-05:00")) and kolkata.endswith("+05:30")


def test_a_deleted_event_takes_its_kept_feature_with_it():
    event = make_event()
    properties()
    event.delete()
    assert not EventFeature.objects.exists() and properties() == {}


def test_keep_map_features_makes_what_is_missing_or_out_of_date_ahead_of_a_build(made):
    from io import StringIO

    from django.core.management import call_command

    kept, changed = make_event(), make_event()
    make_event(status=Status.PENDING)  # never kept
    properties()
    changed.save()
    out = StringIO()
    call_command("keep_map_features", stdout=out)
    assert "Made 1 map features; 1 were already right." in out.getvalue()
    assert made[-1] == [changed.pk]
    assert set(EventFeature.objects.values_list("pk", flat=True)) == {kept.pk, changed.pk}
    properties()
    assert len(made) == 2  # the build after it made none


def test_an_event_taken_down_while_features_are_made_is_left_out(monkeypatch):
    taken_down, other = make_event(), make_event()
    real = feature_store.made

    def rejected_meanwhile(event_ids, current=None):
        HealingEvent.objects.filter(pk=taken_down.pk).update(status=Status.REJECTED)
        return real(event_ids, current)

    monkeypatch.setattr(feature_store, "made", rejected_meanwhile)
    assert set(properties()) == {other.pk}
