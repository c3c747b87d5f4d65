"""The GeoJSON: only approved events, an explicit allow-list of properties, RFC 7946 points."""

import json

import pytest
from django.urls import reverse

from events.models import HealingEvent
from events.privacy import snap_to_grid
from healingmap.geojson import AREA_PROPERTIES, EVENT_PROPERTIES
from tests.conftest import area, make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db

INDIVIDUAL = HealingEvent.HostType.INDIVIDUAL


def geojson(client, **params):
    response = client.get(reverse("healingmap:events_geojson"), params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def feature_ids(collection) -> set[int]:
    return {f["properties"]["id"] for f in collection["features"] if "id" in f["properties"]}


def test_content_type_is_geo_json_and_a_feature_collection(client):
    make_event()
    response = client.get(reverse("healingmap:events_geojson"))
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert [f["type"] for f in collection["features"]] == ["Feature"]
    assert collection["features"][0]["geometry"]["type"] == "Point"


def test_only_approved_events_are_features(client):
    shown = make_event()
    hidden = [make_event(status=s) for s in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN)]
    collection = geojson(client)
    assert feature_ids(collection) == {shown.pk}
    body = json.dumps(collection)
    for event in hidden:
        assert event.title not in body


def test_properties_are_exactly_the_allow_list(client):
    make_event(website="https://private.example.net/", rsvp_url="https://rsvp.example.net/",
               source_note="Called on Tuesday", rejection_note="n/a")
    for _ in range(2):
        make_event(host_type=INDIVIDUAL, host_name="Maria", community_area=area(8))
    collection = geojson(client)
    kinds_of_features = set()
    for feature in collection["features"]:
        assert set(feature) == {"type", "geometry", "properties"}
        keys = tuple(feature["properties"])
        assert keys in (EVENT_PROPERTIES, AREA_PROPERTIES), keys
        kinds_of_features.add(keys)
    assert kinds_of_features == {EVENT_PROPERTIES, AREA_PROPERTIES}
    assert EVENT_PROPERTIES == (
        "id", "title", "kind", "format", "start", "community_area", "community_area_name",
        "host_name", "participants", "reported_participants", "reported", "virtual",
        "location_basis", "message", "url", "lang",
    )
    assert AREA_PROPERTIES == ("count", "community_area", "community_area_name", "url")


def test_no_contact_detail_or_precise_point_leaves_the_server(client):
    event = make_event(host_type=INDIVIDUAL, host_name="Aisha", latitude=41.883712, longitude=-87.631934,
                       contact_name="Secret Person", contact_email="secret@example.net",
                       contact_phone="312-555-0101", address="1 Hidden Lane")
    for _ in range(3):  # enough individuals in the area that she is mapped on her own
        make_event(host_type=INDIVIDUAL)
    body = client.get(reverse("healingmap:events_geojson")).content.decode()
    for secret in ("Secret Person", "secret@example.net", "312-555-0101", "1 Hidden Lane",
                   "41.883712", "-87.631934", "moderat", "status", "rejection"):
        assert secret not in body
    assert event.pk in feature_ids(json.loads(body))


def test_coordinates_are_longitude_then_latitude_in_range(client):
    event = make_event(latitude=41.9, longitude=-87.7, publish_exact_location=True)
    feature = geojson(client)["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert (lon, lat) == (event.public_longitude, event.public_latitude) == (-87.7, 41.9)
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert all(isinstance(c, float) for c in (lon, lat))


def test_points_are_privacy_snapped_unless_an_organization_opted_in(client):
    snapped = make_event(latitude=41.881234, longitude=-87.629876)
    exact = make_event(latitude=41.881234, longitude=-87.629876, publish_exact_location=True)
    for _ in range(3):
        make_event(host_type=INDIVIDUAL, latitude=41.881234, longitude=-87.629876)
    points = {f["properties"].get("id"): tuple(f["geometry"]["coordinates"]) for f in geojson(client)["features"]}
    lat, lon = snap_to_grid(41.881234, -87.629876)
    assert points[snapped.pk] == (lon, lat)
    assert points[exact.pk] == (-87.629876, 41.881234)
    individuals = [pk for pk in points if pk not in (snapped.pk, exact.pk)]
    assert individuals and all(points[pk] == (lon, lat) for pk in individuals)


def test_individuals_in_an_area_with_fewer_than_k_are_one_area_point(client, settings):
    settings.MAP_SMALL_COUNT_K = 3
    loop, uptown = area(32), area(3)
    few = [make_event(host_type=INDIVIDUAL, community_area=loop) for _ in range(2)]
    org = make_event(community_area=loop)
    many = [make_event(host_type=INDIVIDUAL, community_area=uptown, latitude=41.9664, longitude=-87.6563)
            for _ in range(3)]
    collection = geojson(client)
    ids = feature_ids(collection)
    assert ids == {org.pk, *(e.pk for e in many)}
    groups = [f for f in collection["features"] if "count" in f["properties"]]
    assert len(groups) == 1
    group = groups[0]
    assert group["properties"]["count"] == 2
    assert group["properties"]["community_area"] == 32
    assert group["geometry"]["coordinates"] == [loop.centroid_longitude, loop.centroid_latitude]
    for event in few:
        assert event.title not in json.dumps(collection)
    # Their own pages still show their public fields.
    for event in few:
        assert event.title in client.get(event.get_absolute_url()).content.decode()


def test_the_threshold_counts_every_approved_event_not_the_filtered_ones(client, settings):
    settings.MAP_SMALL_COUNT_K = 3
    events = [make_event(host_type=INDIVIDUAL, kind=kind) for kind in ("dialogue", "learning", "learning")]
    collection = geojson(client, kind="dialogue")
    assert feature_ids(collection) == {events[0].pk}


def test_pending_individuals_do_not_count_towards_k(client, settings):
    settings.MAP_SMALL_COUNT_K = 3
    make_event(host_type=INDIVIDUAL)
    make_event(host_type=INDIVIDUAL)
    make_event(host_type=INDIVIDUAL, status=Status.PENDING)
    collection = geojson(client)
    assert feature_ids(collection) == set()
    assert collection["features"][0]["properties"]["count"] == 2


def test_bbox_limits_features(client):
    inside = make_event(latitude=41.88, longitude=-87.63)
    outside = make_event(latitude=42.0, longitude=-87.9, community_area=area(76))
    assert feature_ids(geojson(client, bbox="-87.7,41.8,-87.6,41.95")) == {inside.pk}
    assert feature_ids(geojson(client)) == {inside.pk, outside.pk}


def test_popup_fields_describe_the_event(client):
    event = make_event(format=HealingEvent.Format.VIRTUAL, location_basis="ideal", message="  Heal   together " * 20)
    p = geojson(client)["features"][0]["properties"]
    assert p["virtual"] is True and p["location_basis"] == "ideal"
    assert p["url"] == event.get_absolute_url()
    assert p["message"].endswith("…") and len(p["message"]) <= 141
    assert p["start"].startswith(event.starts_at.astimezone().strftime("%Y")) and p["start"][-6] in "+-"


def test_message_without_consent_is_not_published(client):
    make_event(message="Private words", message_consent=False)
    assert geojson(client)["features"][0]["properties"]["message"] == ""


def test_gzip_is_offered_and_identical_after_decompression(client):
    import gzip

    for _ in range(5):
        make_event()
    plain = client.get(reverse("healingmap:events_geojson")).content
    response = client.get(reverse("healingmap:events_geojson"), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain


def _assert_both_paths_agree(database_json, python_document, queries):
    """The document the database writes (on PostgreSQL; Python's on SQLite) and the one built in
    Python read back as the same JSON, totals included, for each query."""
    from django.db import connection
    from django.test import RequestFactory

    from healingmap.filters import bind
    from healingmap.geojson import dumps

    for query in queries:
        form = bind(RequestFactory().get(query))
        body, totals = database_json(form)
        expected = json.loads(dumps(python_document(form)))
        assert json.loads(body) == expected, (connection.vendor, query)
        assert totals == expected["totals"]


def test_the_markers_written_by_the_database_are_the_python_ones(settings):
    """On PostgreSQL the marker rows are written by the database as text; on SQLite by Python.
    Both give the same document, including points on a rounding half (x.xxxxx5) and the
    small-count areas' rows."""
    from django.test import RequestFactory

    from healingmap import event_table, geojson
    from healingmap.filters import bind

    settings.MAP_SMALL_COUNT_K = 3
    halves = [(41.816395, -87.616395), (41.768615, -87.729355), (41.948055, -87.657305)]
    for latitude, longitude in halves:
        make_event(title="Half", publish_exact_location=True, latitude=latitude, longitude=longitude)
    make_event(title="Virtual", format="virtual", kind="learning")
    make_event(title="Yo", host_type=HealingEvent.HostType.INDIVIDUAL, host_name="Ana", community_area=area(8))
    def table_markers(form):
        return event_table.build().markers(form)[:2]

    _assert_both_paths_agree(table_markers, geojson.markers, ("/", "/?kind=learning", "/?area=8", "/?format=virtual"))
    everything = json.loads(table_markers(bind(RequestFactory().get("/")))[0])
    assert everything["areas"] and len(everything["events"]) == 4
    assert [-87.6164, 41.8164] in [row[1:3] for row in everything["events"]]  # halves away from zero


def test_coordinates_round_halves_away_from_zero_as_postgresql_does():
    from healingmap.geojson import coordinate

    assert coordinate(-87.616395, 5) == -87.6164 and coordinate(41.816395, 5) == 41.8164
    assert coordinate(41.8163949, 5) == 41.81639
    assert coordinate(-87.6, 6) == -87.6


def test_the_collection_orders_events_by_start_and_puts_small_count_areas_last(settings):
    """The features' properties are made in one place (kept texts, healingmap/feature_store.py):
    messages are excerpts with their whitespace collapsed, blank without consent; events in
    start order, a small-count area's point after them."""
    from datetime import timedelta

    from django.test import RequestFactory
    from django.utils import timezone

    from healingmap import geojson
    from healingmap.filters import bind

    settings.MAP_SMALL_COUNT_K = 3
    winter, summer = timezone.now().replace(month=1, day=15), timezone.now().replace(month=7, day=15)
    make_event(title="Winter talk", starts_at=winter, message="  Line one\n\tline  two  ")
    make_event(title="Summer walk", kind="learning", format="virtual", starts_at=summer,
               message="word " * 60, language="es")
    make_event(title="Unbroken", message="x" * 200, starts_at=summer + timedelta(hours=1))
    make_event(title="Private words", message="Only for staff", message_consent=False, starts_at=summer + timedelta(hours=2))
    make_event(title="Yo", host_type=HealingEvent.HostType.INDIVIDUAL, host_name="Ana", community_area=area(8))
    make_event(title="O'Hare \"quotes\" ☀", host_name="<b>", starts_at=winter - timedelta(days=3))
    body, totals = geojson.feature_collection_json(bind(RequestFactory().get("/")))
    everything = json.loads(body)
    assert everything["totals"] == totals and totals["events"] == 6
    titles = [f["properties"].get("title") for f in everything["features"]]
    assert titles == ['O\'Hare "quotes" ☀', "Winter talk", "Summer walk", "Unbroken", "Private words", None]
    messages = {f["properties"].get("title"): f["properties"].get("message") for f in everything["features"]}
    assert messages["Winter talk"] == "Line one line two" and messages["Private words"] == ""
    assert messages["Summer walk"].endswith("word…") and len(messages["Summer walk"]) <= 141
    assert messages["Unbroken"] == "x" * 140 + "…"
    assert everything["features"][-1]["properties"]["count"] == 1  # the small-count area
    assert json.loads(geojson.feature_collection_json(bind(RequestFactory().get("/?kind=learning")))[0])[
        "features"][0]["properties"]["title"] == "Summer walk"
