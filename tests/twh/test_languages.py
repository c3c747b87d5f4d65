"""Moderation by language, and the language of parts on what people wrote."""

import re

import pytest
from django.conf import settings

from summit.models import Reflection, Registration
from tests.conftest import make_event, make_message
from tests.summit.conftest import make_summit, sign_up

pytestmark = pytest.mark.django_db


def _rows(html: str) -> str:
    return html[html.index('id="result_list"'):html.index("</table>", html.index('id="result_list"'))]


@pytest.mark.parametrize("path, make", [
    ("/admin/events/healingevent/", lambda lang, text: make_event(title=text, language=lang)),
    ("/admin/events/healingmessage/", lambda lang, text: make_message(text=text, language=lang)),
    ("/admin/summit/reflection/", lambda lang, text: Reflection.objects.create(
        theme="progress", text=text, language=lang)),
])
def test_moderators_see_and_filter_submissions_by_language(client, moderator, path, make):
    make("pl", "Polish words")
    make("ar", "Arabic words")
    client.force_login(moderator)
    everything = client.get(path).content.decode()
    assert "Polish words" in everything and "Arabic words" in everything
    assert "Polish" in _rows(everything) and "Arabic" in _rows(everything)  # the column
    assert "?language=pl" in everything and "?language=zh-hans" in everything  # the filter
    polish = _rows(client.get(path, {"language": "pl"}).content.decode())
    assert "Polish words" in polish and "Arabic words" not in polish


def test_staff_filter_registrations_by_language(client, superuser):
    summit = make_summit(capacity=10)
    ola = sign_up(summit, name="Ola Polish").registration
    Registration.objects.filter(pk=ola.pk).update(language="pl")
    sign_up(summit, name="Hind Arabic")
    client.force_login(superuser)
    html = _rows(client.get("/admin/summit/registration/", {"language": "pl"}).content.decode())
    assert "Ola Polish" in html and "Hind Arabic" not in html


def _start_tag(html: str, text: str) -> str:
    html = html[html.index("<main"):]
    match = re.search(r"(<[a-z0-9]+\b[^>]*>)\s*(<p>)?" + re.escape(text), html)
    assert match, f"{text!r} not found"
    return match.group(1)


@pytest.mark.parametrize("page_language", ["en", "ar"])
def test_what_people_wrote_carries_the_language_they_wrote_it_in(client, page_language):
    event = make_event(title="Círculo de historias", description="Vecinos comparten.",
                       message="Sanamos juntos.", language="es")
    make_message(text="Niech nas łączy pokój.", language="pl")
    summit = make_summit()
    Reflection.objects.create(summit=summit, theme="progress", text="我们一起倾听。", language="zh-hans",
                              status="approved")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page_language
    detail = client.get(event.get_absolute_url()).content.decode()
    for text in ("Círculo de historias", "Vecinos comparten.", "Sanamos juntos."):
        assert 'lang="es" dir="auto"' in _start_tag(detail, text)
    listing = client.get("/map/list/").content.decode()
    assert 'lang="es" dir="auto"' in _start_tag(listing, "Círculo de historias")
    wall = client.get("/map/messages/").content.decode()
    assert 'lang="pl" dir="auto"' in _start_tag(wall, "Niech nas łączy pokój.")
    assert 'lang="es" dir="auto"' in _start_tag(wall, "Sanamos juntos.")
    home = client.get("/").content.decode()
    assert 'lang="pl" dir="auto"' in _start_tag(home, "Niech nas łączy pokój.")
    area = client.get(f"/map/areas/{event.community_area.number}/").content.decode()
    assert 'lang="es" dir="auto"' in _start_tag(area, "Círculo de historias")
    assert 'lang="es" dir="auto"' in _start_tag(area, "Sanamos juntos.")
    reflections = client.get("/summit/reflections/").content.decode()
    assert 'lang="zh-hans" dir="auto"' in _start_tag(reflections, "我们一起倾听。")


def test_geojson_features_say_the_language_of_their_text(client):
    make_event(title="Círculo de historias", language="es")
    feature = client.get("/map/events.geojson").json()["features"][0]
    assert feature["properties"]["lang"] == "es"
