"""Issue 17: the partner embed builder writes a snippet that honours every filter; the embed speaks the chosen language."""

import html as html_lib
import re

import pytest

from tests.conftest import area, make_event

pytestmark = pytest.mark.django_db


def snippet_of(response) -> str:
    match = re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert match, "no snippet on the page"
    return html_lib.unescape(match.group(1))


def test_builder_without_choices_offers_the_whole_city(client):
    response = client.get("/map/embed/builder/")
    assert response.status_code == 200
    snippet = snippet_of(response)
    assert snippet.startswith('<iframe src="http://testserver/map/embed/?lang=en"')
    assert 'title="Together We Heal: Healing Map of racial healing events"' in snippet
    assert 'height="500"' in snippet


def test_builder_is_a_get_form_that_writes_the_snippet_for_every_filter(client):
    response = client.get("/map/embed/builder/", {
        "area": ["41", "32"], "kind": "learning", "format": "virtual", "start": "2026-12-01",
        "end": "2027-01-31", "when": "past", "q": "walk", "height": "640", "lang": "es",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<form method="get" action="/map/embed/builder/"', html)
    snippet = snippet_of(response)
    src = re.search(r'src="([^"]+)"', snippet).group(1)
    assert src == ("http://testserver/map/embed/?kind=learning&format=virtual&start=2026-12-01&end=2027-01-31"
                   "&area=32&area=41&q=walk&when=past&lang=es")
    assert 'height="640"' in snippet
    assert 'title="Together We Heal: ' in snippet  # translated into Spanish once the catalog has it
    assert 'id="plain-link"' in html and "/map/?kind=learning" in html
    assert 'id="embed-preview"' in html


def test_builder_keeps_choices_and_explains_bad_ones(client):
    response = client.get("/map/embed/builder/", {"height": "20", "start": "2027-01-02", "end": "2027-01-01",
                                                   "area": "32"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="builder-errors"' in html and 'value="20"' in html
    assert re.search(r'value="32"[^>]*checked|checked[^>]*value="32"', html)
    assert 'id="embed-snippet"' not in html


def test_the_embed_honours_several_areas(client):
    make_event(title="In Loop", community_area=area(32))
    make_event(title="In Hyde Park", community_area=area(41), latitude=41.79, longitude=-87.59)
    make_event(title="In Uptown", community_area=area(3), latitude=41.9664, longitude=-87.6563)
    data = client.get("/map/events.geojson?area=32&area=41").json()
    titles = {feature["properties"]["title"] for feature in data["features"]}
    assert titles == {"In Loop", "In Hyde Park"}
    listing = client.get("/map/list/?area=41&area=32").content.decode()
    assert "In Loop" in listing and "In Hyde Park" in listing and "In Uptown" not in listing


def test_the_embed_speaks_the_language_it_is_given_and_credits_the_campaign(client):
    response = client.get("/map/embed/?lang=es")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es"' in html and response["Content-Language"] == "es"
    assert "Powered by" not in html or "Together We Heal</a>" in html
    assert 'href="http://testserver/"' in html and "Together We Heal</a>" in html
    english = client.get("/map/embed/?lang=nonsense").content.decode()
    assert '<html lang="en"' in english and "Powered by" in english


def test_only_the_embed_may_be_framed(client):
    embed = client.get("/map/embed/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors * 'self'" in embed["Content-Security-Policy"]
    builder = client.get("/map/embed/builder/")
    assert builder["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in builder["Content-Security-Policy"]
