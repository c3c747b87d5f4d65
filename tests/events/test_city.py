"""The city's extent and first map view (events/city.py), and the settings that choose them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

from events import city, geocoding
from events.boundaries import load_areas
from events.models import CommunityArea

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _square_file(tmp_path, x0=10.0, y0=50.0, side=0.1):
    ring = [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"number": 1, "name": "Centre"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    return str(path)


def test_chicago_keeps_its_fixed_view_and_box(client, settings):
    assert settings.MAP_CENTER == (41.8362, -87.6847) and settings.MAP_ZOOM == 11
    assert settings.CITY_BBOX == (-87.9402, 41.6445, -87.5240, 42.0231)
    options = json.loads(client.get("/map/").context["leaflet_options"])
    assert (options["center"], options["zoom"]) == ([41.8362, -87.6847], 11)
    assert options["extent"] == [[-90, -180], [90, 180]]  # the whole world, as before
    assert geocoding.in_city_extent(41.88, -87.63) and not geocoding.in_city_extent(40.0, -87.6)


def test_without_settings_the_box_and_view_come_from_the_loaded_areas(settings, tmp_path):
    settings.CITY_BBOX = None
    settings.MAP_CENTER = None
    load_areas(_square_file(tmp_path), replace=True)
    assert city.city_bbox() == pytest.approx((10.0, 50.0, 10.1, 50.1))
    assert city.map_centre() == pytest.approx((50.05, 10.05))
    assert city.in_city_extent(50.05, 10.05) and not city.in_city_extent(41.88, -87.63)
    view = city.map_view()
    assert view["DEFAULT_CENTER"] is None and view["SPATIAL_EXTENT"] == pytest.approx((9.975, 49.975, 10.125, 50.125))


def test_without_boundaries_the_box_comes_from_the_area_centres(settings):
    settings.CITY_BBOX = None
    assert city.city_bbox() == pytest.approx((-87.9055, 41.6684, -87.535, 42.0106))


def test_with_no_areas_and_no_box_any_point_is_accepted(settings):
    settings.CITY_BBOX = None
    CommunityArea.all_objects.all().delete()
    assert city.city_bbox() is None and city.in_city_extent(0.0, 0.0) and city.map_view() == {}


def test_nominatim_is_asked_within_the_derived_box_and_country(settings, tmp_path, monkeypatch):
    settings.CITY_BBOX = None
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_COUNTRY = "de"
    settings.GEOCODER_MIN_DELAY_SECONDS = 0
    load_areas(_square_file(tmp_path), replace=True)
    geocoding._providers.clear()
    geocoder = geocoding.get_geocoder()
    asked = {}
    monkeypatch.setattr(geocoder, "_geocode", lambda query, **kwargs: asked.update(query=query, **kwargs))
    assert geocoder.geocode("1 Main St") is None
    assert asked["viewbox"] == [(50.0, 10.0), (50.1, 10.1)] and asked["country_codes"] == "de"
    assert asked["query"] == f"1 Main St, {settings.CAMPAIGN_CITY}"
    geocoding._providers.clear()


def test_a_fresh_database_gets_chicagos_areas_only_when_told(settings):
    from importlib import import_module

    create_areas = import_module("events.migrations.0002_community_areas").create_areas
    CommunityArea.all_objects.all().delete()
    settings.DEFAULT_AREAS = ""
    create_areas(apps, None)
    assert CommunityArea.all_objects.count() == 0
    settings.DEFAULT_AREAS = "chicago"
    create_areas(apps, None)
    assert CommunityArea.all_objects.count() == 77


def _settings_with(**env) -> subprocess.CompletedProcess:
    code = ("import django, json; from django.conf import settings; django.setup(); "
            "print(json.dumps([[c for c, _ in settings.LANGUAGES], settings.AREA_WORD, settings.CITY_BBOX, "
            "settings.MAP_CENTER, settings.DEFAULT_AREAS, settings.TIME_ZONE]))")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "twh.settings", **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_settings_choose_languages_area_word_and_city_defaults():
    done = _settings_with(SITE_LANGUAGES="en,ar", AREA_WORD="ward", CAMPAIGN_CITY="Springfield",
                          TIME_ZONE="America/Denver")
    assert done.returncode == 0, done.stderr
    languages, word, bbox, centre, default_areas, zone = json.loads(done.stdout.strip().splitlines()[-1])
    assert (languages, word, bbox, centre, default_areas, zone) == (
        ["en", "ar"], "ward", None, None, "", "America/Denver")


@pytest.mark.parametrize("env,message", [
    ({"SITE_LANGUAGES": "en,fr"}, "SITE_LANGUAGES"),
    ({"SITE_LANGUAGES": "es,ar"}, "SITE_LANGUAGES"),
    ({"AREA_WORD": "borough"}, "AREA_WORD"),
    ({"CITY_BBOX": "1,2,3"}, "CITY_BBOX"),
    ({"MAP_CENTER": "north"}, "MAP_CENTER"),
])
def test_a_misconfigured_city_setting_stops_with_its_name(env, message):
    done = _settings_with(**env)
    assert done.returncode != 0 and message in done.stderr
