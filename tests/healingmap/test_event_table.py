"""The version's event table selects what the database would: the same events, in the same order,
with the same totals and Last-Modified, for every filter the map offers."""

import dataclasses
import json
import time
from array import array
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import http_date

from events.models import EventReport, HealingEvent
from events.privacy import shown_at_area, small_count_area_ids
from healingmap import event_table, geojson
from healingmap.filters import MapFilterForm
from tests.conftest import area, current_edition, make_event
from twh.core.editions import Edition, close_edition
from twh.core.moderation import Status
from twh.core.publication import public_data_changed, public_version

pytestmark = pytest.mark.django_db

CITY = ZoneInfo(settings.TIME_ZONE)
MIDNIGHT = datetime(2026, 12, 10, tzinfo=CITY)


@pytest.fixture
def events(settings):
    settings.MAP_SMALL_COUNT_K = 2
    today = timezone.localdate()
    past = current_edition(starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=340))
    make_event(title="Last year's circle", starts_at=timezone.now() - timedelta(days=380), edition=past)
    close_edition(edition=past)
    Edition.objects.create(name="This year", slug="this-year", starts_on=today - timedelta(days=5),
                           ends_on=today + timedelta(days=400))
    made = [
        make_event(title="At midnight", starts_at=MIDNIGHT, kind=HealingEvent.Kind.LEARNING),
        make_event(title="Just before midnight", starts_at=MIDNIGHT - timedelta(microseconds=1),
                   format=HealingEvent.Format.IN_PERSON, community_area=area(8)),
        make_event(title="Same start, later id", starts_at=MIDNIGHT, participants=7),
        make_event(title="Yesterday", starts_at=timezone.now() - timedelta(days=1), participants=3,
                   kind=HealingEvent.Kind.CONNECTIONS, community_area=area(41)),
        make_event(title="Lone individual", host_type=HealingEvent.HostType.INDIVIDUAL, host_name="Sam",
                   community_area=area(41), starts_at=MIDNIGHT + timedelta(days=2)),
        make_event(title="Hybrid far north", format=HealingEvent.Format.HYBRID, community_area=area(1),
                   latitude=42.01, longitude=-87.67, starts_at=MIDNIGHT + timedelta(days=3)),
        make_event(title="Pending", status=Status.PENDING),
        make_event(title="Rejected", status=Status.REJECTED),
    ]
    unmapped = make_event(title="No public point", starts_at=MIDNIGHT + timedelta(hours=5), participants=11)
    HealingEvent.objects.filter(pk=unmapped.pk).update(
        public_latitude=None, public_longitude=None, updated_at=timezone.now())
    EventReport.objects.create(event=made[3], participants=40, status=Status.APPROVED)
    EventReport.objects.create(event=made[2], participants=99, status=Status.PENDING)
    return made


QUERIES = [
    "", "edition=all", "edition=this-year", "kind=learning", "format=in_person", "format=hybrid",
    "start=2026-12-10", "end=2026-12-09", "start=2026-12-10&end=2026-12-10", "area=32", "area=41&area=8",
    "area=77", "q=midnight", "q=MIDNIGHT+before", "q=sam", "when=upcoming", "when=past", "edition=all&when=past",
    "bbox=-87.7,41.95,-87.6,42.1", "bbox=-88,41,-87,42&kind=dialogue", "kind=dialogue&format=virtual&area=32",
    "sort=-date",
]


def _form(query: str) -> MapFilterForm:
    form = MapFilterForm(QueryDict(query))
    assert form.is_valid(), form.errors
    return form


@pytest.mark.parametrize("query", QUERIES)
def test_the_table_selects_what_the_database_does(events, query, monkeypatch):
    # 'Now' on an event's start, so upcoming (from now on) and past (before now) split there.
    monkeypatch.setattr(MapFilterForm, "now", lambda self: MIDNIGHT)
    form = _form(query)
    table = event_table.build()
    approved = form.filter(HealingEvent.objects.approved()).order_by("starts_at", "pk")
    assert [table.pk[i] for i in table.rows(form)] == list(approved.values_list("pk", flat=True))

    body, totals, last_modified = table.feature_collection(form)
    assert totals == geojson.totals(form)
    newest = form.filter(HealingEvent.objects.mappable()).aggregate(newest=Max("updated_at"))["newest"]
    assert last_modified == (http_date(newest.timestamp()) if newest else None)

    small = small_count_area_ids()
    mappable = list(approved.filter(public_latitude__isnull=False).values_list("pk", "host_type", "community_area_id"))
    expected = [pk for pk, host_type, area_id in mappable
                if not shown_at_area(host_type=host_type, area_id=area_id, small_areas=small)]
    features = json.loads(body)["features"]
    assert [f["properties"]["id"] for f in features if "id" in f["properties"]] == expected
    grouped = sum(1 for _, host_type, area_id in mappable
                  if shown_at_area(host_type=host_type, area_id=area_id, small_areas=small))
    assert sum(f["properties"]["count"] for f in features if "count" in f["properties"]) == grouped

    markers, marker_totals, marker_modified = table.markers(form)
    assert json.loads(markers) == json.loads(geojson.dumps(geojson.markers(form)))
    assert (marker_totals, marker_modified) == (totals, last_modified)


def test_the_fixture_exercises_every_filter(events):
    """Each query above keeps some events and drops others, so a filter the table ignored fails."""
    everything = len(event_table.build().rows(_form("edition=all")))
    for query in QUERIES[3:]:
        if query == "sort=-date":
            continue
        kept = len(event_table.build().rows(_form(query if "edition" in query else query + "&edition=all")))
        assert 0 < kept < everything or query == "area=77", query


def test_one_table_per_version_read_once(events, monkeypatch):
    reads = []
    real = event_table.build
    monkeypatch.setattr(event_table, "build", lambda *args: reads.append(args) or real(*args))
    version = public_version()
    first = event_table.of_version(version)
    assert event_table.of_version(version) is first and len(reads) == 1

    event_table._here.clear()  # another process: it finds the shared cache's
    assert event_table.of_version(version).token == first.token and len(reads) == 1

    public_data_changed()
    assert event_table.of_version(public_version()).token != first.token and len(reads) == 2


def test_a_table_this_process_kept_is_not_trusted_after_the_cache_lost_it(events, monkeypatch):
    version = public_version()
    first = event_table.of_version(version)
    cache.clear()  # a flushed cache restarts the version series: the same number, other data
    assert event_table.of_version(version).token != first.token


def test_a_document_of_the_version_shows_a_change_once_the_version_moved(client, events):
    url = "/map/events.geojson?kind=learning"
    assert [f["properties"]["title"] for f in client.get(url).json()["features"]] == ["At midnight"]
    make_event(title="Another lesson", kind=HealingEvent.Kind.LEARNING, starts_at=MIDNIGHT + timedelta(days=1))
    public_data_changed()  # not only additive: the old version's document is not served meanwhile
    assert [f["properties"]["title"] for f in client.get(url).json()["features"]] == ["At midnight", "Another lesson"]


def _same_rows(table, expected):
    for field in dataclasses.fields(event_table.EventTable):
        if field.name in ("token", "version", "read_all", "epoch"):
            continue
        mine, theirs = getattr(table, field.name), getattr(expected, field.name)
        if isinstance(mine, array):  # NaN (no point) is never == NaN; its bytes are
            mine, theirs = mine.tobytes(), theirs.tobytes()
        assert mine == theirs, field.name


def test_a_table_made_from_the_previous_one_has_the_rows_a_full_read_has(events):
    previous = event_table.build()
    lesson, midnight, same_start, yesterday = events[0], events[1], events[2], events[3]
    make_event(title="Approved since", starts_at=MIDNIGHT + timedelta(hours=1))  # in the middle
    midnight.participants = 12
    midnight.starts_at = MIDNIGHT + timedelta(days=9)  # moves to the end
    midnight.save()
    report = same_start.report
    report.status = Status.APPROVED  # only the report changes
    report.save()
    HealingEvent.objects.filter(pk=yesterday.pk).update(status=Status.WITHDRAWN)  # gone, without a save
    HealingEvent.objects.filter(title="Pending").update(status=Status.APPROVED)  # approved by update()
    lesson.delete()

    _same_rows(event_table.build(previous), event_table.build())


def test_only_what_changed_since_the_previous_table_is_read(events, monkeypatch):
    previous = event_table.build()
    make_event(title="Approved since")
    read = []
    real = event_table._read
    monkeypatch.setattr(event_table, "_read", lambda events, current: read.append(events.count()) or real(events, current))
    table = event_table.build(previous)
    assert read == [1] and len(table) == len(previous) + 1


def test_a_renamed_area_reads_every_row_again(events):
    previous = event_table.build()
    renamed = area(41)
    renamed.name = "New name"
    renamed.save()
    table = event_table.build(previous)
    _same_rows(table, event_table.build())
    assert b"New name" in table.features and b"New name" not in previous.features


def _builds(monkeypatch) -> list:
    """The previous table each build() is given (None for a full read)."""
    given = []
    real = event_table.build
    monkeypatch.setattr(event_table, "build", lambda *args: given.append(args[0] if args else None) or real(*args))
    return given


def test_after_a_decision_the_process_makes_the_table_from_its_own_and_shares_nothing(events, monkeypatch):
    first = event_table.of_version(public_version())  # a full read: shared
    assert cache.get(event_table._key()).token == first.token
    public_data_changed()
    given = _builds(monkeypatch)
    second = event_table.of_version(public_version())
    assert given == [first] and second.version == public_version()
    assert cache.get(event_table._key()).token == first.token  # 30 MB at 50,000 events: not per decision
    assert not [key for key in cache._cache if ":table:" in key and public_version() in key]


def test_a_process_without_a_table_starts_from_the_shared_one(events, monkeypatch):
    first = event_table.of_version(public_version())
    public_data_changed()
    event_table._here.clear()  # another process
    given = _builds(monkeypatch)
    assert event_table.of_version(public_version()).version == public_version()
    assert [table.token for table in given] == [first.token]


def test_a_process_with_an_older_table_than_the_shared_one_starts_from_the_shared_one(events, monkeypatch):
    old = event_table.of_version(public_version())
    public_data_changed()
    event_table._here.clear()
    shared = event_table.build(None, public_version())
    event_table._kept(event_table._key(), event_table._epoch(), shared)  # another process's full read
    event_table._here[event_table._key()] = old  # this one still has the first
    public_data_changed()
    given = _builds(monkeypatch)
    event_table.of_version(public_version())
    assert [table.token for table in given] == [shared.token]


def test_the_shared_table_is_renewed_once_it_is_older_than_share_seconds(events, monkeypatch):
    first = event_table.of_version(public_version())
    now = time.time()
    for minutes, shared in ((5, first.token), (11, None)):
        monkeypatch.setattr(event_table.time, "time", lambda minutes=minutes: now + minutes * 60)
        public_data_changed()
        table = event_table.of_version(public_version())
        assert cache.get(event_table._key()).token == (shared or table.token), minutes


def test_many_changed_since_the_previous_table_reads_everything_again(events, monkeypatch):
    previous = event_table.build()
    for event in events[:4]:
        event.save()  # a quarter of the approved events and more
    monkeypatch.setattr(event_table, "MOST_CHANGED", 0)
    read = []
    real = event_table._read
    monkeypatch.setattr(event_table, "_read", lambda events, current: read.append(events.count()) or real(events, current))
    _same_rows(event_table.build(previous), event_table.build())
    assert read[0] == HealingEvent.objects.approved().count()
