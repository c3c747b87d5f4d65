"""The geocoder: any geopy provider by name, spaced, cached, bounded; and one place that
decides where an event is mapped. Never the network: geopy's providers are stubbed."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from events import geocoding
from events.forms import EventForm
from events.location import AddressOutsideCity, decide_location
from tests.conftest import event_form_data


@pytest.fixture
def geopy_stub(settings, monkeypatch):
    """settings.GEOCODER = "nominatim", with Nominatim's network call replaced by a recorder."""
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_MIN_DELAY_SECONDS = 0
    settings.GEOCODER_OPTIONS = {}
    geocoding._providers.clear()
    calls = []
    answers = {"1 Main St, Chicago": SimpleNamespace(latitude=41.88, longitude=-87.63)}

    def fake_geocode(self, query, **kwargs):
        calls.append(query)
        if "down" in query:
            from geopy.exc import GeocoderServiceError

            raise GeocoderServiceError("503")
        return answers.get(query)

    monkeypatch.setattr("geopy.geocoders.Nominatim.geocode", fake_geocode)
    yield calls
    geocoding._providers.clear()


@pytest.mark.parametrize("name,cls", [
    ("nominatim", "Nominatim"), ("Nominatim", "Nominatim"), ("arcgis", "ArcGIS"), ("ArcGIS", "ArcGIS"),
    ("photon", "Photon"),
])
def test_any_geopy_provider_is_chosen_by_service_or_class_name(name, cls):
    assert geocoding.geopy_class(name).__name__ == cls


@pytest.mark.parametrize("name", ["no-such-geocoder", "Point", "Location", ""])
def test_an_unknown_provider_is_a_configuration_error_naming_the_choices(name):
    with pytest.raises(ImproperlyConfigured, match="geopy geocoder"):
        geocoding.geopy_class(name)


def test_options_reach_the_provider_and_nominatim_is_spaced_one_second(settings):
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_OPTIONS = {"domain": "nominatim.example.org", "scheme": "https"}
    settings.GEOCODER_MIN_DELAY_SECONDS = 1
    geocoding._providers.clear()
    geocoder = geocoding.get_geocoder()
    assert geocoder._provider.domain == "nominatim.example.org"
    assert geocoder._provider.headers["User-Agent"] == settings.GEOCODER_USER_AGENT
    assert geocoder._geocode.min_delay_seconds == 1  # geopy's RateLimiter
    assert geocoding.get_geocoder() is geocoder  # one spacer per process
    geocoding._providers.clear()


def test_options_a_provider_does_not_take_are_a_configuration_error(settings):
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_OPTIONS = {"no_such_option": 1}
    geocoding._providers.clear()
    with pytest.raises(ImproperlyConfigured, match="GEOCODER_OPTIONS"):
        geocoding.get_geocoder()
    geocoding._providers.clear()


def test_answers_are_cached_found_or_not_and_failures_are_not(geopy_stub):
    assert geocoding.geocode("1 Main St") == geocoding.Point(41.88, -87.63)
    assert geocoding.geocode("1  main st") == geocoding.Point(41.88, -87.63)
    assert geocoding.geocode("Nowhere") is None
    assert geocoding.geocode("Nowhere") is None
    for _ in range(2):
        with pytest.raises(geocoding.GeocoderUnavailable):
            geocoding.geocode("The server is down")
    assert geopy_stub == ["1 Main St, Chicago", "Nowhere, Chicago",
                          "The server is down, Chicago", "The server is down, Chicago"]


def test_the_form_never_calls_the_geocoder(monkeypatch, db):
    def refuse(address):
        raise AssertionError("the form called the geocoder")

    monkeypatch.setattr(geocoding, "geocode", refuse)
    form = EventForm(event_form_data(address="5801 S Ellis Ave"))
    assert form.is_valid(), form.errors


def test_a_pin_wins_and_the_geocoder_is_not_asked(monkeypatch):
    monkeypatch.setattr(geocoding, "geocode", lambda address: pytest.fail("asked"))
    place = decide_location(latitude=41.9, longitude=-87.65, address="anything")
    assert (place.latitude, place.longitude, place.needs_location) == (41.9, -87.65, False)


@pytest.mark.parametrize("address,expected", [
    ("5801 S Ellis Ave", (41.7886, -87.5987, False)),
    ("Nowhere known", (None, None, True)),
    ("Somewhere unavailable", (None, None, True)),
    ("", (None, None, True)),
])
def test_the_address_is_geocoded_or_flagged_for_staff(address, expected):
    place = decide_location(latitude=None, longitude=None, address=address)
    assert (place.latitude, place.longitude, place.needs_location) == expected


def test_an_address_outside_the_city_is_an_error_for_the_submitter(client, db):
    with pytest.raises(AddressOutsideCity):
        decide_location(latitude=None, longitude=None, address="Milwaukee")
    response = client.post("/events/submit/", event_form_data(address="Downtown Milwaukee"))
    assert response.status_code == 200
    assert "outside the city" in str(response.context["form"].errors["address"])
