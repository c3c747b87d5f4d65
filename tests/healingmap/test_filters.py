"""One filter form drives the map data, the list, the counts and the CSV; bad input is a 400."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import area, make_event

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def events():
    """A small, varied set of approved organization events (so none is grouped by area)."""
    return {
        "dialogue_loop_past": make_event(kind="dialogue", format="in_person", title="Story circle",
                                         starts_at=NOW - timedelta(days=10), community_area=area(32)),
        "learning_uptown": make_event(kind="learning", format="virtual", title="History walk",
                                      description="Redlining maps", starts_at=NOW + timedelta(days=5),
                                      community_area=area(3), latitude=41.9664, longitude=-87.6563),
        "learning_loop": make_event(kind="learning", format="hybrid", title="Book club",
                                    host_name="Library Friends", starts_at=NOW + timedelta(days=40),
                                    community_area=area(32)),
        "connections_hp": make_event(kind="connections", format="in_person", title="Potluck",
                                     starts_at=NOW - timedelta(days=2), community_area=area(41),
                                     latitude=41.7939, longitude=-87.5927),
    }


def geojson_ids(client, params):
    response = client.get(reverse("healingmap:events_geojson"), params)
    assert response.status_code == 200
    collection = json.loads(response.content)
    return {f["properties"]["id"] for f in collection["features"]}, collection["totals"]


def list_ids(client, params):
    response = client.get(reverse("healingmap:event_list"), params)
    assert response.status_code == 200
    return {e.pk for e in response.context["page"].object_list}, response.context["totals"]


def csv_ids(client, params):
    response = client.get(reverse("healingmap:events_csv"), params)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    return {int(row["id"]) for row in rows}


def map_totals(client, params):
    response = client.get(reverse("healingmap:map"), params)
    assert response.status_code == 200
    return response.context["totals"]


START = (NOW - timedelta(days=3)).date().isoformat()
END = (NOW + timedelta(days=10)).date().isoformat()

CASES = [
    ({}, {"dialogue_loop_past", "learning_uptown", "learning_loop", "connections_hp"}),
    ({"kind": "learning"}, {"learning_uptown", "learning_loop"}),
    ({"format": "in_person"}, {"dialogue_loop_past", "connections_hp"}),
    ({"area": "32"}, {"dialogue_loop_past", "learning_loop"}),
    ({"q": "redlining"}, {"learning_uptown"}),
    ({"q": "library"}, {"learning_loop"}),
    ({"when": "upcoming"}, {"learning_uptown", "learning_loop"}),
    ({"when": "past"}, {"dialogue_loop_past", "connections_hp"}),
    ({"start": START, "end": END}, {"learning_uptown", "connections_hp"}),
    ({"kind": "learning", "area": "32"}, {"learning_loop"}),
    ({"kind": "learning", "when": "upcoming", "format": "virtual"}, {"learning_uptown"}),
    ({"area": "32", "when": "past", "q": "circle"}, {"dialogue_loop_past"}),
    ({"kind": "connections", "area": "3"}, set()),
    ({"bbox": "-87.7,41.85,-87.6,42.0"}, {"dialogue_loop_past", "learning_uptown", "learning_loop"}),
]


@pytest.mark.parametrize(("params", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_filters_agree_across_map_data_list_counts_and_csv(client, events, params, expected):
    want = {events[name].pk for name in expected}
    from_geojson, geojson_totals = geojson_ids(client, params)
    from_list, list_totals = list_ids(client, params)
    assert from_geojson == want
    assert from_list == want
    assert csv_ids(client, params) == want
    participants = sum(events[name].participants for name in expected)
    areas = len({events[name].community_area_id for name in expected})
    for totals in (geojson_totals, list_totals, map_totals(client, params)):
        assert (totals["events"], totals["participants"], totals["areas"]) == (len(want), participants, areas)


BAD = [
    ("kind", "party"), ("format", "zoom"), ("start", "yesterday"), ("end", "2026-13-01"),
    ("area", "78"), ("area", "abc"), ("area", "0"), ("q", "x" * 101), ("q", "a\x00b"),
    ("when", "soon"), ("bbox", "1,2,3"), ("bbox", "a,b,c,d"), ("bbox", "10,10,5,5"),
    ("bbox", "-200,0,0,0"), ("bbox", "nan,0,1,1"), ("bbox", "0,0,inf,1"), ("page", "0"),
    ("page", "two"), ("sort", "title"),
]


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v[:12]!r}" for n, v in BAD])
def test_every_malformed_parameter_gives_400_naming_it(client, name, value):
    for url_name in ("healingmap:events_geojson", "healingmap:events_csv"):
        response = client.get(reverse(url_name), {name: value})
        assert response.status_code == 400, (url_name, name, value)
        assert response["Content-Type"] == "application/json"
        assert name in json.loads(response.content)["parameters"]
    for url_name in ("healingmap:map", "healingmap:event_list", "healingmap:embed"):
        response = client.get(reverse(url_name), {name: value})
        assert response.status_code == 400, (url_name, name, value)


def test_an_end_before_the_start_is_an_error_on_end(client):
    response = client.get(reverse("healingmap:events_geojson"), {"start": "2026-12-10", "end": "2026-12-01"})
    assert response.status_code == 400
    assert list(json.loads(response.content)["parameters"]) == ["end"]


def test_the_map_page_re_renders_the_filters_with_the_bad_value_and_its_error(client):
    response = client.get(reverse("healingmap:map"), {"start": "not-a-date", "kind": "learning"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="not-a-date"' in body
    assert '<option value="learning" selected>' in body
    assert 'aria-invalid="true"' in body


def test_the_forms_empty_area_choice_means_every_area(client, events):
    """A form sent without JavaScript carries every field, `area=` included (its "All community
    areas" option): that is no area filter, not an invalid choice."""
    sent = {"kind": "learning", "format": "", "start": "", "end": "", "area": "", "q": "", "when": "", "sort": "date"}
    ids, _totals = geojson_ids(client, sent)
    assert ids == {events["learning_uptown"].pk, events["learning_loop"].pk}
    response = client.get(reverse("healingmap:event_list"), sent)
    assert response.status_code == 200
    assert "History walk" in response.content.decode()
    assert geojson_ids(client, {"area": ["", "32"]})[0] == {events["dialogue_loop_past"].pk, events["learning_loop"].pk}


def test_unknown_parameters_are_ignored(client, events):
    ids, _totals = geojson_ids(client, {"utm_source": "newsletter"})
    assert len(ids) == 4


def test_list_is_paginated_by_twenty_and_sortable_by_date(client):
    events = [make_event(starts_at=NOW + timedelta(days=i)) for i in range(25)]
    first = client.get(reverse("healingmap:event_list"))
    assert [e.pk for e in first.context["page"].object_list] == [e.pk for e in events[:20]]
    second = client.get(reverse("healingmap:event_list"), {"page": 2})
    assert [e.pk for e in second.context["page"].object_list] == [e.pk for e in events[20:]]
    latest = client.get(reverse("healingmap:event_list"), {"sort": "-date"})
    assert latest.context["page"].object_list[0].pk == events[-1].pk
    body = latest.content.decode()
    assert "sort=-date&amp;page=2" in body


def test_filter_links_keep_the_filters(client, events):
    response = client.get(reverse("healingmap:map"), {"kind": "learning", "area": "32", "utm": "x"})
    body = response.content.decode()
    assert 'href="/map/list/?kind=learning&amp;area=32"' in body
    assert 'data-geojson-url="/map/events.geojson?kind=learning&amp;area=32"' in body
    assert 'href="/map/events.csv?kind=learning&amp;area=32"' in body
