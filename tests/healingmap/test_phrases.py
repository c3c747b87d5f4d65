"""The map's counted phrases: every plural form of Polish and Arabic, on the server and in the script's catalog."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from healingmap.phrases import counted, msgids

COUNTS = [0, 1, 2, 3, 5, 11, 22, 101]

# What a Polish or Arabic reader expects for each count (one, few, many in Polish; zero, one,
# two, few, many, other in Arabic): the catalogs' own forms, not "singular or plural".
EXPECTED = {
    "pl": {
        "cluster": ["0 wydarzeń", "1 wydarzenie", "2 wydarzenia", "3 wydarzenia", "5 wydarzeń", "11 wydarzeń",
                    "22 wydarzenia", "101 wydarzeń"],
        "count": ["0 wydarzeń na mapie.", "1 wydarzenie na mapie.", "2 wydarzenia na mapie.", "3 wydarzenia na mapie.",
                  "5 wydarzeń na mapie.", "11 wydarzeń na mapie.", "22 wydarzenia na mapie.", "101 wydarzeń na mapie."],
    },
    "ar": {
        "cluster": ["0 فعالية", "1 فعالية", "2 فعاليتان", "3 فعاليات", "5 فعاليات", "11 فعالية", "22 فعالية",
                    "101 فعالية"],
        "participants": ["نحو 0 مشارك", "نحو 1 مشارك", "نحو 2 مشاركَين", "نحو 3 مشاركين", "نحو 5 مشاركين",
                         "نحو 11 مشاركًا", "نحو 22 مشاركًا", "نحو 101 مشارك"],
    },
}


@pytest.mark.parametrize("language,key", [(lang, key) for lang, keys in EXPECTED.items() for key in keys])
def test_counted_phrases_take_every_plural_form_of_the_language(language, key):
    with translation.override(language):
        assert [counted(key, n) for n in COUNTS] == EXPECTED[language][key]


def test_counted_fills_the_named_values():
    with translation.override("pl"):
        assert counted("group", 5, area="Hyde Park") == (
            "5 wydarzeń zorganizowanych przez mieszkańców obszaru Hyde Park")


def test_msgids_are_the_english_pairs_whatever_the_active_language():
    with translation.override("ar"):
        assert msgids()["cluster"] == ["%(n)s event", "%(n)s events"]


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_the_script_catalog_carries_every_form_and_the_plural_formula(client, language):
    response = client.get(reverse("healingmap:catalog", kwargs={"language": language}))
    assert response.status_code == 200
    body = response.content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))
    forms = catalog["%(n)s event"]
    assert len(forms) == {"pl": 4, "ar": 6}[language]
    assert all(forms)
    assert "About %(n)s participant" in catalog
    assert "Open the event page" not in catalog  # the map's counted phrases only
    assert "n%100>=11" in body.replace(" ", "") if language == "ar" else "n%10>=2" in body.replace(" ", "")


def test_an_unknown_catalog_language_is_404(client, db):  # the 404 page's menu reads the current edition
    assert client.get(reverse("healingmap:catalog", kwargs={"language": "xx"})).status_code == 404
