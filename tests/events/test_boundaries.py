"""Loading boundaries: checks that load nothing, idempotence, derived areas, assign_areas."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events import services
from events.boundaries import BoundaryError, load_areas
from events.geometry import area_for_point
from events.models import CommunityArea, HealingEvent
from tests.conftest import area, make_event
from twh.core.publication import public_version

pytestmark = pytest.mark.django_db

# Three synthetic neighbourhoods near the Loop: 32 and 41 are squares sharing an edge, and a
# new area 900 is a square with a hole. Each is 0.02 degrees wide.
W, S = -87.70, 41.80


def ring(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def square(column, row=0, hole=False):
    x0, y0 = W + 0.02 * column, S + 0.02 * row
    rings = [ring(x0, y0, x0 + 0.02, y0 + 0.02)]
    if hole:
        rings.append(ring(x0 + 0.005, y0 + 0.005, x0 + 0.015, y0 + 0.015))
    return {"type": "Polygon", "coordinates": rings}


def feature(number, name, geometry, number_key="area_numbe", name_key="community"):
    return {"type": "Feature", "properties": {number_key: number, name_key: name}, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def city(changes=None):
    features = {
        32: feature("32", "LOOP", square(0)),
        41: feature(41, "HYDE PARK", square(1)),
        900: feature(900, "NEW TOWN", square(2, hole=True)),
    }
    features.update(changes or {})
    return collection(*[f for f in features.values() if f is not None])


@pytest.fixture
def write(tmp_path):
    def write(document, name="areas.geojson"):
        path = tmp_path / name
        path.write_text(document if isinstance(document, str) else json.dumps(document))
        return str(path)

    return write


def snapshot():
    return list(CommunityArea.objects.order_by("number").values_list(
        "number", "official_name", "name", "boundary", "display_boundary",
        "centroid_latitude", "centroid_longitude",
    ))


def test_load_stores_boundaries_outlines_and_centroids(write):
    report = load_areas(write(city()), expect=3)
    assert (report.created, sorted(report.updated), report.unchanged) == ([900], [32, 41], [])
    assert len(report.not_in_file) == 75
    loop = area(32)
    assert loop.boundary["type"] == "Polygon"
    assert loop.display_boundary["type"] == "Polygon"
    assert (loop.centroid_latitude, loop.centroid_longitude) == (41.81, -87.69)
    new_town = CommunityArea.objects.get(number=900)
    assert (new_town.official_name, new_town.name) == ("NEW TOWN", "New Town")
    assert len(new_town.boundary["coordinates"]) == 2  # the hole is kept
    assert "3 area boundaries" in report.summary() and "1 created, 2 updated" in report.summary()


def test_loading_twice_changes_nothing_the_second_time(write):
    path = write(city())
    load_areas(path, expect=3)
    before = snapshot()
    report = load_areas(path, expect=3)
    assert (report.created, report.updated, sorted(report.unchanged)) == ([], [], [32, 41, 900])
    assert snapshot() == before


def test_existing_display_names_are_kept(write):
    load_areas(write(city({32: feature(32, "THE LOOP", square(0))})), expect=3)
    loop = area(32)
    assert (loop.official_name, loop.name) == ("THE LOOP", "Loop")


@pytest.mark.parametrize("document,message", [
    ("{not json", "not valid JSON"),
    ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": []}', "no features"),
    (city({41: feature(41, "HYDE PARK", {"type": "Point", "coordinates": [-87.6, 41.8]})}),
     "Feature 2 (number 41): the geometry is a Point, not a Polygon or MultiPolygon"),
    (city({41: feature(32, "HYDE PARK", square(1))}), "number 32 is also used by feature 1"),
    (city({41: feature(None, "HYDE PARK", square(1))}), "Feature 2: the number (area_numbe) is None"),
    (city({41: feature("forty", "HYDE PARK", square(1))}), "is 'forty'; expected a whole number"),
    (city({41: feature(0, "HYDE PARK", square(1))}), "is 0; expected a whole number"),
    (city({41: {"type": "Feature", "properties": {"community": "X"}, "geometry": square(1)}}),
     "Feature 2: the number (area_numbe/area_number"),
    (city({41: feature(41, "  ", square(1))}), "Feature 2 (number 41): the name (community) is missing"),
    (city({41: feature(41, "X" * 81, square(1))}), "longer than 80 characters"),
    (city({41: {"type": "Feature", "properties": None, "geometry": square(1)}}), "the number"),
    (city({41: "feature"}), "Feature 2: not a GeoJSON Feature"),
])
def test_bad_files_give_a_clear_error_and_load_nothing(write, document, message):
    before = snapshot()
    with pytest.raises(BoundaryError) as caught:
        load_areas(write(document), expect=3)
    assert message in str(caught.value)
    assert snapshot() == before


def test_every_problem_is_reported_at_once(write):
    document = city({32: feature(None, "LOOP", square(0)),
                       41: feature(41, "", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]})})
    with pytest.raises(BoundaryError) as caught:
        load_areas(write(document), expect=3)
    assert len(caught.value.errors) == 3


def test_the_expected_count_is_checked(write):
    before = snapshot()
    with pytest.raises(BoundaryError, match="The file has 3 areas; 77 were expected"):
        load_areas(write(city()), expect=77)
    assert snapshot() == before


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(BoundaryError, match="Cannot read"):
        load_areas(str(tmp_path / "nowhere.geojson"))


def test_other_cities_choose_their_fields(write):
    document = collection(feature(101, "Kreuzberg", square(0), number_key="nr", name_key="bezirk"),
                          feature(102, "Mitte", square(1), number_key="nr", name_key="bezirk"))
    with pytest.raises(BoundaryError, match="use --number-field"):
        load_areas(write(document))
    report = load_areas(write(document), number_field="nr", name_field="bezirk")
    assert report.created == [101, 102]
    assert CommunityArea.objects.get(number=101).name == "Kreuzberg"


def test_city_portal_field_names_are_found(write):
    """The portal's export says area_numbe (a string); its tidy copies say area_number."""
    document = collection(feature("32", "LOOP", square(0)),
                          feature(41, "HYDE PARK", square(1), number_key="area_number"))
    assert sorted(load_areas(write(document)).updated) == [32, 41]


def test_invalid_polygons_need_repair(write):
    x0, y0 = W, S
    bowtie = {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + .02, y0 + .02], [x0 + .02, y0],
                                                  [x0, y0 + .02], [x0, y0]]]}
    path = write(collection(feature(32, "LOOP", bowtie)))
    with pytest.raises(BoundaryError, match="Self-intersection"):
        load_areas(path)
    report = load_areas(path, repair=True)
    assert report.repaired == [32] and area(32).boundary["type"] == "MultiPolygon"


def test_dry_run_writes_nothing(write):
    before = snapshot()
    report = load_areas(write(city()), expect=3, dry_run=True)
    assert report.created == [900] and "Would load" in report.summary()
    assert snapshot() == before


def test_loading_tells_public_caches(write, django_capture_on_commit_callbacks):
    version = public_version()
    with django_capture_on_commit_callbacks(execute=True):
        load_areas(write(city()), expect=3)
    assert public_version() != version


# --- Events take their area from their point


def test_area_for_point_needs_loaded_boundaries(write):
    assert area_for_point(41.81, -87.69) is None
    load_areas(write(city()), expect=3)
    assert area_for_point(41.81, -87.69) == area(32).pk
    assert area_for_point(41.81, -87.67) == area(41).pk
    assert area_for_point(41.81, -87.65) is None  # in New Town's hole
    assert area_for_point(41.95, -87.69) is None  # outside every area
    assert area_for_point(None, None) is None


def test_a_new_load_replaces_the_cached_polygons(write, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_areas(write(city()), expect=3)
    assert area_for_point(41.81, -87.69) == area(32).pk
    # Same centroid, but now the Loop has a hole where the point is.
    with django_capture_on_commit_callbacks(execute=True):
        load_areas(write(city({32: feature(32, "LOOP", square(0, hole=True))})), expect=3)
    assert area_for_point(41.81, -87.69) is None


def event_data(**overrides):
    from tests.conftest import event_form_data

    data = {k: v for k, v in event_form_data().items() if k in services.EventDetails.__annotations__}
    data.update({"community_area": area(41), "starts_at": make_event().starts_at, "ends_at": None,
                 "participants": 10, "stakeholders": [], "message_consent": True,
                 "publish_exact_location": False})
    data.update(overrides)
    return data


def test_a_submitted_event_takes_the_area_of_its_point(write):
    load_areas(write(city()), expect=3)
    event, _ = services.submit_event(data=event_data(latitude=41.81, longitude=-87.69), submission_token=None)
    assert event.community_area == area(32)


def test_without_a_point_or_outside_every_area_the_choice_stays(write):
    load_areas(write(city()), expect=3)
    no_point, _ = services.submit_event(data=event_data(latitude=None, longitude=None), submission_token=None)
    outside, _ = services.submit_event(data=event_data(latitude=41.95, longitude=-87.69), submission_token=None)
    assert no_point.community_area == area(41) and outside.community_area == area(41)


def test_without_boundaries_the_choice_stays():
    event, _ = services.submit_event(data=event_data(latitude=41.81, longitude=-87.69), submission_token=None)
    assert event.community_area == area(41)


def test_staff_moving_the_pin_moves_the_area(write):
    load_areas(write(city()), expect=3)
    event = make_event(latitude=41.81, longitude=-87.69, community_area=area(32))
    event.latitude, event.longitude = 41.81, -87.67
    services.save_event_by_staff(event=event)
    event.refresh_from_db()
    assert event.community_area == area(41)


# --- The commands


def test_load_areas_command_reports(write):
    out = StringIO()
    call_command("load_areas", write(city()), "--expect", "3", stdout=out)
    assert "Loaded 3 area boundaries" in out.getvalue()


def test_load_areas_command_fails_clearly(write):
    with pytest.raises(CommandError, match="(?s)Nothing was loaded.*77 were expected"):
        call_command("load_areas", write(city()))


def test_load_areas_if_possible_warns_and_carries_on(write):
    err = StringIO()
    before = snapshot()
    call_command("load_areas", write("{not json"), "--if-possible", stderr=err)
    assert "Boundaries not loaded" in err.getvalue() and "not valid JSON" in err.getvalue()
    assert snapshot() == before


def test_load_areas_reads_boundaries_path_by_default(write, settings):
    settings.BOUNDARIES_PATH = write(city())
    out = StringIO()
    call_command("load_areas", "--expect", "3", stdout=out)
    assert settings.BOUNDARIES_PATH in out.getvalue()


def test_assign_areas_rederives_areas_from_points(write):
    in_loop = make_event(latitude=41.81, longitude=-87.69, community_area=area(8))
    in_hyde_park = make_event(latitude=41.815, longitude=-87.665, community_area=area(8))
    outside = make_event(latitude=41.95, longitude=-87.69, community_area=area(8))
    no_point = make_event(latitude=None, longitude=None, community_area=area(8))
    load_areas(write(city()), expect=3)
    out = StringIO()
    call_command("assign_areas", "--dry-run", stdout=out)
    assert "would change 2" in out.getvalue()
    assert HealingEvent.objects.filter(community_area=area(8)).count() == 4
    out = StringIO()
    call_command("assign_areas", "-v", "2", stdout=out)
    assert "3 event(s) with a point checked: changed 2, 1 outside" in out.getvalue()
    assert "[##############################] 3/3" in out.getvalue()
    for event, expected in [(in_loop, 32), (in_hyde_park, 41), (outside, 8), (no_point, 8)]:
        event.refresh_from_db()
        assert event.community_area.number == expected


def test_assign_areas_needs_boundaries():
    with pytest.raises(CommandError, match="load_areas"):
        call_command("assign_areas")


def _no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("load_areas reached for the network")

    monkeypatch.setattr("urllib.request.urlopen", refuse)


def test_embedded_boundaries_are_chicagos_77_areas():
    from events.boundaries import EMBEDDED_AREAS_PATH, parse_areas, read_source

    areas, repaired = parse_areas(read_source(str(EMBEDDED_AREAS_PATH)), expect=77)
    assert sorted(a.number for a in areas) == list(range(1, 78)) and not repaired
    assert (EMBEDDED_AREAS_PATH.parent / "SOURCE.md").exists()
    assert (EMBEDDED_AREAS_PATH.parent / "chicago-community-areas-population-2020.csv").exists()


def test_load_areas_reads_the_embedded_file_by_default_with_no_network(settings, monkeypatch):
    settings.BOUNDARIES_PATH = ""
    _no_network(monkeypatch)
    out = StringIO()
    call_command("load_areas", "--if-possible", stdout=out)
    assert "Loaded 77 area boundaries" in out.getvalue()
    assert CommunityArea.objects.filter(boundary__isnull=False).count() == 77
    assert area_for_point(41.8789, -87.6359) == area(32).pk  # Willis Tower is in the Loop


def test_load_areas_if_possible_reports_once(settings, monkeypatch):
    settings.BOUNDARIES_PATH = ""
    _no_network(monkeypatch)
    call_command("load_areas", "--if-possible", stdout=StringIO())
    out, err = StringIO(), StringIO()
    call_command("load_areas", "--if-possible", stdout=out, stderr=err)
    assert out.getvalue() == "" and err.getvalue() == ""
    out = StringIO()
    call_command("load_areas", stdout=out)  # asked for by hand, it still says what it did
    assert "77 unchanged" in out.getvalue()


def test_load_areas_if_possible_says_nothing_of_a_failure_once_loaded(write, settings):
    call_command("load_areas", write(city()), "--expect", "3", stdout=StringIO())
    settings.BOUNDARIES_PATH = write("{not json", name="broken.geojson")
    out, err = StringIO(), StringIO()
    call_command("load_areas", "--if-possible", stdout=out, stderr=err)
    assert out.getvalue() == "" and err.getvalue() == ""
def test_area_for_point_queries_nothing_once_the_index_is_loaded(write, django_assert_num_queries):
    from django.core.cache import cache

    load_areas(write(city()), expect=3)
    assert area_for_point(41.81, -87.69) == area(32).pk
    expected = area(41).pk
    reads = []
    original_get = cache.get
    cache.get = lambda *args, **kwargs: reads.append(args) or original_get(*args, **kwargs)
    try:
        with django_assert_num_queries(0):
            for _ in range(50):
                assert area_for_point(41.81, -87.67) == expected
    finally:
        cache.get = original_get
    assert reads == []  # neither the database nor the cache is asked on every lookup


def test_another_process_load_is_seen_once_the_version_is_rechecked(write, monkeypatch):
    from events import geometry

    load_areas(write(city()), expect=3)
    assert area_for_point(41.81, -87.69) == area(32).pk
    # Another process loads a Loop with a hole where the point is; this process's index is not
    # cleared, only the database (and the shared version token) change.
    monkeypatch.setattr(geometry, "clear_area_index", lambda: None)
    from events import boundaries

    monkeypatch.setattr(boundaries, "clear_area_index", lambda: None)
    load_areas(write(city({32: feature(32, "LOOP", square(0, hole=True))})), expect=3)
    assert area_for_point(41.81, -87.69) == area(32).pk  # trusted until the recheck is due
    monkeypatch.setattr(geometry, "VERSION_RECHECK_SECONDS", 0.0)
    assert area_for_point(41.81, -87.69) is None


def test_replace_retires_the_areas_not_in_the_file_and_keeps_their_events(write):
    load_areas(write(city()), expect=3)
    event = make_event(community_area=area(41))
    report = load_areas(write(city({41: None})), replace=True)
    assert 41 in report.retired and 1 in report.retired and not report.not_in_file
    hyde_park = CommunityArea.all_objects.get(number=41)
    assert hyde_park.retired and HealingEvent.objects.get(pk=event.pk).community_area == hyde_park
    assert 41 not in CommunityArea.objects.values_list("number", flat=True)
    assert CommunityArea.objects.count() == 2
    assert area_for_point(41.81, -87.67) is None  # inside the retired square: no area any more
    assert area_for_point(41.81, -87.69) == area(32).pk


def test_replace_brings_a_retired_area_back(write):
    load_areas(write(city({41: None})), replace=True)
    assert CommunityArea.all_objects.get(number=41).retired
    report = load_areas(write(city()), replace=True)
    assert 41 in report.updated and not CommunityArea.all_objects.get(number=41).retired
    assert area_for_point(41.81, -87.67) == area(41).pk


def test_replace_renames_an_area_whose_number_now_means_another(write):
    load_areas(write(city({41: feature(41, "HARBOUR SIDE", square(1))})), replace=True)
    assert area(41).name == "Harbour Side" and area(41).official_name == "HARBOUR SIDE"


def test_replace_with_a_bad_file_changes_nothing(write):
    load_areas(write(city()), expect=3)
    before = list(CommunityArea.all_objects.order_by("number").values_list("number", "retired", "boundary"))
    broken = city({900: feature(900, "NEW TOWN", {"type": "Point", "coordinates": [0, 0]})})
    with pytest.raises(BoundaryError):
        load_areas(write(broken), replace=True)
    assert list(CommunityArea.all_objects.order_by("number").values_list("number", "retired", "boundary")) == before


def test_replace_dry_run_says_what_it_would_retire_and_writes_nothing(write):
    report = load_areas(write(city()), replace=True, dry_run=True)
    assert "Would retire" in report.summary() and CommunityArea.all_objects.filter(retired=True).count() == 0


def test_the_command_replaces_with_field_names_of_its_own(write, settings):
    settings.DEFAULT_AREAS = ""  # another city's install: no 77 expected
    document = collection(*[
        feature(n, name, square(i), number_key="ward_no", name_key="ward_name")
        for i, (n, name) in enumerate([(1, "FIRST WARD"), (2, "SECOND WARD")])
    ])
    out = StringIO()
    call_command("load_areas", write(document), "--replace", "--number-field", "ward_no",
                 "--name-field", "ward_name", stdout=out)
    assert "Loaded 2 area boundaries" in out.getvalue() and "Retired area(s)" in out.getvalue()
    assert sorted(CommunityArea.objects.values_list("name", flat=True)) == ["First Ward", "Second Ward"]
