"""One deployment, any city: the whole public site and the submission flow for a small made-up
city far from Chicago, built here from its own boundaries file and settings."""

import json
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from events.geocoding import FakeGeocoder, Point
from events.models import CommunityArea, HealingEvent
from tests.conftest import event_form_data, make_event, make_message
from twh.core.antispam import make_form_token

pytestmark = pytest.mark.django_db

CITY = "Norrvik"
# Three districts side by side on the Baltic coast, each 0.04 degrees square.
WEST, SOUTH, SIDE = 18.00, 59.30, 0.04
DISTRICTS = {501: "Hamnen", 502: "Kvarnen", 503: "Skogen"}
INSIDE = Point(SOUTH + 0.02, WEST + 0.06)  # the middle of Kvarnen
OUTSIDE = Point(SOUTH + 0.5, WEST + 0.5)  # beyond the city's edge


def _district(column: int, number: int, name: str) -> dict:
    x0, y0 = WEST + SIDE * column, SOUTH
    ring = [[x0, y0], [x0 + SIDE, y0], [x0 + SIDE, y0 + SIDE], [x0, y0 + SIDE], [x0, y0]]
    return {"type": "Feature", "properties": {"distrikt_nr": number, "distrikt_namn": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


@pytest.fixture
def synthetic_city(settings, tmp_path, monkeypatch):
    """Norrvik's settings (nothing Chicago), its districts loaded with --replace, a fake
    geocoder that knows two of its addresses and one outside it."""
    settings.CAMPAIGN_CITY = CITY
    settings.OFFICE_NAME = "Office for Belonging"
    settings.OFFICE_ADDRESS = "Stadshuset, Storgatan 1, Norrvik"
    settings.AREA_WORD = "district"
    settings.MAP_CENTER = None
    settings.CITY_BBOX = None
    settings.GEOCODER_COUNTRY = "se"
    settings.DEFAULT_AREAS = ""
    settings.HEALTH_DEPARTMENT = ""
    settings.TIME_ZONE = "Europe/Stockholm"
    settings.LANGUAGES = [("en", "English"), ("ar", "Arabic")]
    settings.SUPPORT_RESOURCES = [{"name": "Norrvik helpline", "phone": "0800-000"}]
    monkeypatch.setattr(FakeGeocoder, "PLACES", {
        "storgatan 1": Point(SOUTH + 0.01, WEST + 0.01),
        "kvarnvagen 7": INSIDE,
        "far away road": OUTSIDE,
    })
    path = tmp_path / "norrvik-districts.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _district(column, number, name) for column, (number, name) in enumerate(DISTRICTS.items())
    ]}))
    out = StringIO()
    call_command("load_areas", str(path), "--replace", "--number-field", "distrikt_nr",
                 "--name-field", "distrikt_namn", stdout=out)
    assert "Loaded 3 area boundaries" in out.getvalue() and "Retired area(s)" in out.getvalue()
    return {number: CommunityArea.objects.get(number=number) for number in DISTRICTS}


def _submit(client, **overrides):
    data = event_form_data(**{"host_name": "Kvarnen Neighbours", "address": "Kvarnvagen 7",
                              "form_token": make_form_token(), **overrides})
    return client.post("/events/submit/", data)


def test_the_districts_replace_chicagos_areas(synthetic_city):
    assert sorted(CommunityArea.objects.values_list("name", flat=True)) == sorted(DISTRICTS.values())
    assert CommunityArea.all_objects.filter(retired=True).count() == 77  # kept, not deleted


def test_a_submission_inside_the_city_is_saved(client, synthetic_city):
    response = _submit(client, community_area=str(synthetic_city[502].pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = HealingEvent.objects.get()
    assert (event.latitude, event.longitude) == (INSIDE.latitude, INSIDE.longitude)
    assert event.community_area == synthetic_city[502] and not event.needs_location


def test_a_submission_outside_the_city_is_refused_naming_it(client, synthetic_city):
    html = _submit(client, community_area=str(synthetic_city[502].pk),
                   latitude=str(OUTSIDE.latitude), longitude=str(OUTSIDE.longitude)).content.decode()
    assert f"Please place it in {CITY}." in html
    html = _submit(client, community_area=str(synthetic_city[502].pk), address="Far away road").content.decode()
    assert f"The campaign maps events in {CITY}" in html
    assert HealingEvent.objects.count() == 0


def test_an_anonymous_individual_is_a_resident_of_this_city(client, synthetic_city):
    _submit(client, community_area=str(synthetic_city[501].pk), host_type="individual", host_name="")
    assert HealingEvent.objects.get().host_name == f"A {CITY} resident"


def test_the_map_starts_on_the_city(client, synthetic_city):
    options = json.loads(client.get("/map/").context["leaflet_options"])
    assert options["center"] is None and options["zoom"] is None and options["fitextent"]
    (south, west), (north, east) = options["extent"]
    # Centred on the three districts (0.12 x 0.04 degrees), with a margin around them.
    assert (south + north) / 2 == pytest.approx(SOUTH + SIDE / 2)
    assert (west + east) / 2 == pytest.approx(WEST + 1.5 * SIDE)
    assert south < SOUTH and north > SOUTH + SIDE and west < WEST and east > WEST + 3 * SIDE
    assert east - west < 1 and north - south < 1  # the city, not the world
    submit = client.get("/events/submit/").content.decode()
    assert "&quot;extent&quot;" in submit or '"extent"' in submit


def test_coverage_counts_only_the_districts(client, synthetic_city):
    make_event(community_area=synthetic_city[503], latitude=SOUTH + 0.02, longitude=WEST + 0.10,
               address="Skogsvagen 2", host_name="Skogen Friends")
    html = client.get("/map/coverage/").content.decode()
    assert "1 of 3 districts has held an approved healing event." in html
    assert "1 of 3" in client.get("/").content.decode()
    assert "Districts reached" in client.get("/").content.decode()


def _public_paths(pattern_list=None, prefix="/") -> list[str]:
    """Every URL of the site that takes no argument, outside the admin and the media files."""
    paths = []
    for entry in get_resolver().url_patterns if pattern_list is None else pattern_list:
        route = str(entry.pattern)
        if "<" in route or route.startswith(("admin/", "media/", "i18n/")):
            continue
        if isinstance(entry, URLResolver):
            paths += _public_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append(prefix + route)
    return paths


def test_no_public_page_names_chicago(client, synthetic_city, settings):
    event = make_event(community_area=synthetic_city[501], latitude=SOUTH + 0.01, longitude=WEST + 0.01,
                       address="Storgatan 1", host_name="Hamnen Club", title="Harbour story circle")
    make_event(community_area=synthetic_city[502], host_type=HealingEvent.HostType.INDIVIDUAL,
               host_name=f"A {CITY} resident", latitude=INSIDE.latitude, longitude=INSIDE.longitude,
               address="Kvarnvagen 7")
    make_message(text="May Norrvik listen", community_area=synthetic_city[503])
    sitemap = client.get("/sitemap.xml").content.decode()
    located = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    paths = set(_public_paths()) | set(located) | {
        f"/events/{event.pk}/calendar.ics", f"/map/events/{event.pk}/popup.json",
        "/host/dialogue/", "/map/?area=501", "/map/list/?area=502", "/map/events.csv?area=501",
    }
    assert f"/events/{event.pk}/" in paths and "/map/areas/501/" in paths and "/healthz" in paths
    seen = 0
    arabic = ["/", "/map/", "/events/submit/", "/map/coverage/", "/about/", "/host/"]
    for language, walk in (("en", sorted(paths)), ("ar", arabic)):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in walk:
            seen += _check_page(client, path)
    assert seen > 30


def _check_page(client, path) -> int:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("image/"):
        return 0  # the favicon
    text = body.decode().lower()
    assert "chicago" not in text, (path, text[max(0, text.find("chicago") - 200):][:400])
    assert "community area" not in text, path
    return 1


def test_the_language_switcher_offers_the_chosen_languages(client, synthetic_city):
    html = client.get("/").content.decode()
    switcher = html[html.find('class="language-switcher'):]
    switcher = switcher[:switcher.find("</form>")]
    assert re.findall(r'<option value="([^"]+)"', switcher) == ["en", "ar"]


def test_a_retired_area_keeps_its_events_but_is_never_offered(client, synthetic_city):
    loop = CommunityArea.all_objects.get(number=32)
    old = make_event(community_area=loop, host_name="Loop Club")
    assert HealingEvent.objects.get(pk=old.pk).community_area.retired
    assert client.get(f"/events/{old.pk}/").status_code == 200  # still online, in the archive
    assert loop not in client.get("/events/submit/").context["form"].fields["community_area"].queryset
    assert client.get("/map/?area=32").status_code == 400  # not offered as a filter either


def test_emails_name_the_city_and_its_office(client, synthetic_city, django_capture_on_commit_callbacks):
    from django.core import mail

    from tests.summit.conftest import make_summit, sign_up

    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, community_area=str(synthetic_city[502].pk))
        sign_up(make_summit(title="Norrvik summit", description="Together.", capacity=5))
    assert len(mail.outbox) >= 3  # the submitter, staff, the registrant
    for message in mail.outbox:
        texts = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
        for text in texts:
            assert "chicago" not in text.lower(), text
    confirmation = mail.outbox[-1]
    assert f"{CITY} time" in confirmation.body and "Office for Belonging" in confirmation.body
