"""The coverage page and area pages: figures, the table, sorting, with and without boundaries."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from events.models import CommunityArea
from healingmap.coverage import classify
from tests.conftest import area, make_event, make_message
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db

COVERAGE = "/map/coverage/"


def square(x0, y0, size=0.02):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size],
                                                 [x0, y0 + size], [x0, y0]]]}


@pytest.fixture
def boundaries():
    """Display outlines for every area, as load_areas stores them (tiny squares in a grid)."""
    for i, community_area in enumerate(CommunityArea.objects.order_by("number")):
        outline = square(-87.9 + 0.03 * (i % 12), 41.65 + 0.03 * (i // 12))
        community_area.boundary = community_area.display_boundary = outline
        community_area.save()


def coverage_data(response) -> dict:
    """The map's data, fetched from the data URL the page names (as its script does)."""
    html = response.content.decode()
    assert 'id="coverage-data"' not in html  # fetched, never inlined
    url = re.search(r'id="coverage-map"[^>]*data-url="([^"]+)"', html).group(1)
    data = response.client.get(url)
    assert data.status_code == 200 and data["Content-Type"] == "application/geo+json"
    return json.loads(data.content)


def table_rows(response) -> list[str]:
    html = response.content.decode()
    body = html[html.index('id="coverage-table"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return re.findall(r'<th scope="row"><a href="/map/areas/(\d+)/">', body)


def test_urls_reverse_and_resolve():
    assert reverse("healingmap:coverage") == COVERAGE
    assert resolve(COVERAGE).url_name == "coverage"
    assert reverse("healingmap:area_detail", args=[32]) == "/map/areas/32/"
    assert resolve("/map/areas/32/").url_name == "area_detail"


def test_without_boundaries_only_the_table_is_shown(client):
    make_event(community_area=area(32), participants=30)
    response = client.get(COVERAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="coverage-table"' in html
    assert 'id="coverage-map"' not in html and "coverage-data" not in html and "leaflet" not in html.lower()
    assert len(table_rows(response)) == 77
    assert "1 of 77 community areas has held" in html


def test_with_boundaries_the_map_data_counts_only_approved_events(client, boundaries):
    make_event(community_area=area(32), participants=30)
    make_event(community_area=area(32), participants=12, starts_at=timezone.now() - timedelta(days=9))
    for status in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN):
        make_event(community_area=area(41), status=status, participants=99)
    response = client.get(COVERAGE)
    html = response.content.decode()
    assert 'id="coverage-map"' in html and 'nonce="' in html
    features = {f["properties"]["number"]: f for f in coverage_data(response)["features"]}
    assert len(features) == 77
    loop = features[32]["properties"]
    assert (loop["events"], loop["participants"], loop["empty"]) == (2, 42, False)
    assert loop["class"] == {"events": 4, "participants": 4}
    assert loop["url"] == "/map/areas/32/"
    hyde_park = features[41]["properties"]
    assert (hyde_park["events"], hyde_park["participants"], hyde_park["empty"]) == (0, 0, True)
    assert hyde_park["class"] == {"events": 0, "participants": 0}
    assert features[41]["geometry"]["type"] == "Polygon"
    # Only public properties reach the page.
    assert set(loop) == {"number", "name", "events", "participants", "reported", "latest", "url", "empty", "class"}


def test_empty_areas_are_marked_in_words_and_invited(client):
    make_event(community_area=area(32))
    html = client.get(COVERAGE).content.decode()
    assert html.count('class="coverage-empty"') == 76
    assert html.count("None yet") == 76
    assert html.count('href="/events/submit/"') >= 77  # each empty row, plus the page's button


def test_private_details_never_reach_the_page(client, boundaries):
    event = make_event(community_area=area(32), host_type="individual", host_name="Maria")
    for url in (COVERAGE, "/map/areas/32/"):
        html = client.get(url).content.decode()
        for private in (event.contact_email, event.contact_name, event.contact_phone, event.address,
                        str(event.latitude), str(event.longitude)):
            assert private not in html


@pytest.mark.parametrize("sort", ["area", "-area", "number", "-number"])
def test_table_sorts_on_the_server(client, sort):
    rows = table_rows(client.get(COVERAGE, {"sort": sort}))
    by_name = [a.number for a in sorted(CommunityArea.objects.all(), key=lambda a: a.name.casefold())]
    expected = {"area": by_name, "-area": by_name[::-1], "number": list(range(1, 78)),
                "-number": list(range(77, 0, -1))}[sort]
    assert [int(r) for r in rows] == expected


def test_sorting_by_figures(client):
    make_event(community_area=area(41), participants=5)
    make_event(community_area=area(41), participants=5)
    make_event(community_area=area(8), participants=100, starts_at=timezone.now() + timedelta(days=30))
    assert [int(r) for r in table_rows(client.get(COVERAGE, {"sort": "-events"}))][:2] == [41, 8]
    assert [int(r) for r in table_rows(client.get(COVERAGE, {"sort": "-participants"}))][:2] == [8, 41]
    assert [int(r) for r in table_rows(client.get(COVERAGE, {"sort": "-latest"}))][:2] == [8, 41]
    assert [int(r) for r in table_rows(client.get(COVERAGE, {"sort": "events"}))][-2:] == [8, 41]


def test_the_sorted_column_says_so(client):
    html = client.get(COVERAGE, {"sort": "-events"}).content.decode()
    assert html.count("aria-sort=") == 1 and 'aria-sort="descending"' in html


@pytest.mark.parametrize("query", [
    {"sort": "bogus"}, {"sort": "--events"}, {"sort": "events-"}, {"sort": ""},
    {"metric": "votes"}, {"metric": ""}, {"sort": "events\x00"},
])
def test_malformed_parameters_are_400(client, query):
    assert client.get(COVERAGE, query).status_code == 400


def test_the_metric_choice_shows_its_legend(client, boundaries):
    make_event(community_area=area(32))
    html = client.get(COVERAGE, {"metric": "participants"}).content.decode()
    assert 'data-metric="participants"' in html
    assert re.search(r'class="coverage-legend" data-metric="events"\s+hidden', html)
    assert re.search(r'class="coverage-legend" data-metric="participants">', html)


def test_classes_split_areas_with_events_into_four_and_keep_zero_apart():
    classes, legend = classify([0, 1, 2, 3, 4, 5, 6, 7, 8])
    assert classes == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert legend == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8)]
    classes, legend = classify([0, 3, 3, 3])
    assert classes == [0, 4, 4, 4] and legend == [(4, 1, 3)]
    assert classify([0, 0]) == ([0, 0], [])


# --- One area's page


def test_area_page_lists_approved_events_messages_and_counts(client):
    shown = make_event(community_area=area(41), participants=25, message="Heal Hyde Park")
    hidden = make_event(community_area=area(41), status=Status.PENDING, title="Pending secret")
    make_event(community_area=area(32), title="Elsewhere")
    make_message(community_area=area(41), text="From an ambassador")
    make_message(community_area=area(41), text="Not yet", status=Status.PENDING)
    response = client.get("/map/areas/41/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hyde Park" in html and shown.title in html and shown.get_absolute_url() in html
    assert hidden.title not in html and "Elsewhere" not in html
    assert "Heal Hyde Park" in html and "From an ambassador" in html and "Not yet" not in html
    assert re.search(r'id="area-events">1<', html)
    assert re.search(r'id="area-participants">25<', html)
    assert re.search(r'id="area-messages">2<', html)
    assert "{&#x27;text&#x27;" not in html and "{'text'" not in html  # not shown as site notices


def test_an_area_without_events_invites_a_host(client):
    html = client.get("/map/areas/13/").content.decode()
    assert "has had no approved healing event yet" in html and 'href="/events/submit/"' in html


def test_area_pages_paginate_and_refuse_bad_pages(client):
    for _ in range(21):
        make_event(community_area=area(41))
    assert client.get("/map/areas/41/", {"page": "2"}).status_code == 200
    assert client.get("/map/areas/41/", {"page": "3"}).status_code == 404
    for bad in ("0", "-1", "two", "", "1.5"):
        assert client.get("/map/areas/41/", {"page": bad}).status_code == 400


def test_unknown_area_is_404(client):
    assert client.get("/map/areas/999/").status_code == 404


def test_area_outlines_are_public_geojson_of_the_loaded_outlines(client):
    """The Healing Map's fallback base layer when tiles cannot load (issue 12, item 14)."""
    outline = {"type": "Polygon", "coordinates": [[[-87.7, 41.8], [-87.6, 41.8], [-87.6, 41.9], [-87.7, 41.8]]]}
    CommunityArea.objects.filter(number=32).update(display_boundary=outline)
    response = client.get("/map/areas.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    (feature,) = response.json()["features"]
    assert feature["geometry"] == outline
    assert feature["properties"] == {"number": 32, "name": "Loop"}


# --- Per-resident rates (issue 18), once residents are loaded


@pytest.fixture
def residents():
    """Fuller Park-like (few residents) and Lake View-like (many), 2020 census; Loop unknown."""
    CommunityArea.objects.update(population=50000, population_year=2020, population_source="U.S. Census")
    CommunityArea.objects.filter(number=37).update(population=2567)
    CommunityArea.objects.filter(number=6).update(population=103050)
    CommunityArea.objects.filter(number=32).update(population=None, population_year=None, population_source="")


def three_events_each():
    for number in (37, 6):
        for _ in range(3):
            make_event(community_area=area(number), participants=20)


def test_rates_set_a_small_area_apart_from_a_large_one_with_the_same_count(client, boundaries, residents):
    three_events_each()
    features = {f["properties"]["number"]: f["properties"] for f in coverage_data(client.get(COVERAGE))["features"]}
    fuller, lake_view, loop = features[37], features[6], features[32]
    assert fuller["events"] == lake_view["events"] == 3
    assert fuller["class"]["events"] == lake_view["class"]["events"]
    assert fuller["events_per_10000"] == 11.7  # 3 / 2,567 × 10,000 = 11.69
    assert lake_view["events_per_10000"] == 0.3  # 3 / 103,050 × 10,000 = 0.29
    assert fuller["participants_per_1000"] == 23.4  # 60 / 2,567 × 1,000
    assert lake_view["participants_per_1000"] == 0.6
    assert fuller["class"]["events_rate"] > lake_view["class"]["events_rate"] > 0
    assert features[41]["class"]["events_rate"] == 0  # residents known, no event: hatched
    assert loop["population"] is None and loop["events_per_10000"] is None
    assert loop["class"]["events_rate"] is None  # no resident figure: no rate, not "none yet"
    assert (fuller["population"], fuller["population_year"]) == (2567, 2020)


def test_the_table_shows_rates_beside_the_counts_and_sorts_by_them(client, residents):
    three_events_each()
    response = client.get(COVERAGE, {"sort": "-events_rate"})
    html = response.content.decode()
    assert "Events per 10,000 residents" in html and "Participants per 1,000 residents" in html
    rows = [int(r) for r in table_rows(response)]
    assert rows[:2] == [37, 6] and rows[-1] == 32  # unknown rates last
    body = html[html.index("<tbody>"):]
    fuller = body[body.index('href="/map/areas/37/"'):]
    fuller = fuller[:fuller.index("</tr>")]
    assert re.findall(r"<td[^>]*>([^<]+)</td>", fuller)[:4] == ["3", "11.7", "60", "23.4"]
    assert "2,567" in fuller


def test_rates_follow_the_language(client, residents, settings):
    three_events_each()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(COVERAGE, {"sort": "-events_rate"}).content.decode()
    body = html[html.index("<tbody>"):]
    assert "11,7" in body[:body.index("</tr>")]


def test_the_page_explains_the_method(client, residents):
    three_events_each()
    html = client.get(COVERAGE).content.decode()
    method = html[html.index('id="coverage-method"'):]
    method = method[:method.index("</section>")]
    assert "U.S. Census, counted in 2020" in method
    assert "times 10,000" in method and "times 1,000" in method
    assert "rounded to one decimal place" in method and "&lt; 0.1" in method
    assert "1 area has no resident figure (Loop)" in method


def test_the_rate_legend_is_chosen_by_the_measure(client, boundaries, residents):
    three_events_each()
    html = client.get(COVERAGE, {"metric": "events", "measure": "rate"}).content.decode()
    assert 'id="measure-rate" value="rate" checked' in html
    assert re.search(r'class="coverage-legend" data-metric="events_rate">', html)
    assert re.search(r'class="coverage-legend" data-metric="events"\s+hidden', html)
    assert "Approved events per 10,000 residents" in html and "No resident figure" in html


def test_without_residents_the_page_has_no_rates(client, boundaries):
    three_events_each()
    html = client.get(COVERAGE, {"measure": "rate"}).content.decode()
    assert "per 10,000 residents" not in html and 'name="measure"' not in html
    assert 'id="coverage-method"' not in html
    assert re.search(r'class="coverage-legend" data-metric="events">', html)
    properties = coverage_data(client.get(COVERAGE))["features"][0]["properties"]
    assert "events_per_10000" not in properties and set(properties["class"]) == {"events", "participants"}


def test_the_coverage_geojson_has_no_contact_details(client, boundaries, residents):
    event = make_event(community_area=area(37), host_type="individual", host_name="Maria",
                       contact_email="maria.private@example.net", contact_phone="+1 312 555 0199")
    response = client.get(reverse("healingmap:coverage_geojson"))
    text = response.content.decode()
    for private in (event.contact_email, event.contact_name, event.contact_phone, event.address,
                    "Maria", str(event.latitude), str(event.longitude)):
        assert private not in text
    from healingmap.geojson import COVERAGE_PROPERTIES, COVERAGE_RATE_PROPERTIES

    for feature in response.json()["features"]:
        assert tuple(feature["properties"]) == COVERAGE_PROPERTIES + COVERAGE_RATE_PROPERTIES


def test_a_bad_measure_is_400(client):
    assert client.get(COVERAGE, {"measure": "per-capita"}).status_code == 400
    assert client.get(COVERAGE, {"sort": "-events_rates"}).status_code == 400
