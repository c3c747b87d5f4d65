"""The honest participant figure: one function for every page, and the map's figure for its filters."""

import pytest
from django.urls import reverse
from django.utils import translation

from events.stats import participant_sentence
from tests.conftest import make_event

pytestmark = pytest.mark.django_db


def test_the_sentence_keeps_estimates_apart_from_reports():
    totals = {"participants": 10200, "reported": 7900, "reported_events": 160}
    with translation.override("en"):
        assert participant_sentence(totals) == (
            "about 10,200 taking part (hosts' estimates); 7,900 reported after 160 events")
        assert participant_sentence({"participants": 40, "reported_events": 0}) == (
            "about 40 taking part (hosts' estimates)")


@pytest.mark.parametrize("events,expected", [
    (1, "17 według relacji z 1 wydarzenia"), (2, "17 według relacji z 2 wydarzeń"),
    (5, "17 według relacji z 5 wydarzeń"), (22, "17 według relacji z 22 wydarzeń"),
])
def test_the_reported_half_takes_the_polish_forms(events, expected):
    with translation.override("pl"):
        sentence = participant_sentence({"participants": 3, "reported": 17, "reported_events": events})
    assert sentence == f"ok. 3 uczestników (szacunki organizatorów); {expected}"


@pytest.mark.parametrize("events,word", [(2, "فعاليتين"), (3, "فعاليات"), (11, "فعالية")])
def test_the_reported_half_takes_the_arabic_forms(events, word):
    with translation.override("ar"):
        sentence = participant_sentence({"participants": 3, "reported": 17, "reported_events": events})
    assert sentence.endswith(f"17 بحسب ما أُبلغ عنه بعد {events} {word}")
    assert "؛ " in sentence


def test_the_map_figure_follows_the_filters(client):
    make_event(kind="dialogue", participants=30)
    make_event(kind="learning", participants=12)
    url = reverse("healingmap:figures")
    assert client.get(url).json()["participants"] == "about 42 taking part (hosts' estimates)"
    assert client.get(url + "?kind=learning").json()["participants"] == "about 12 taking part (hosts' estimates)"


def test_the_map_figure_speaks_the_visitors_language(client):
    make_event(participants=5)
    client.cookies["django_language"] = "pl"
    response = client.get(reverse("healingmap:figures"))
    assert response.json()["participants"] == "ok. 5 uczestników (szacunki organizatorów)"
    assert response["Content-Language"] == "pl"


@pytest.mark.parametrize("query", ["kind=nonsense", "start=yesterday", "bbox=1,2"])
def test_the_map_figure_answers_malformed_filters_with_400(client, query):
    assert client.get(reverse("healingmap:figures") + "?" + query).status_code == 400


def test_the_map_page_shows_the_figure_with_its_url(client):
    make_event(participants=8)
    body = client.get(reverse("healingmap:map")).content.decode()
    assert 'id="map-figures"' in body and "about 8 taking part (hosts&#x27; estimates)" in body
