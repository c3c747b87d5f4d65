"""The map's counted phrases in Polish and Arabic take every plural form of the catalog, and the
participant figure follows the filters (issues 13 and 16)."""

import pytest
from django.conf import settings
from django.utils import translation

from events.stats import participant_sentence
from healingmap.phrases import counted
from tests.browser.map_helpers import wait_for_map
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)

COUNTS = [0, 1, 2, 3, 5, 11, 22, 101]


def _open_map(page, live_server, language, query=""):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.goto("/map/" + query)


def _local(page, n: int) -> str:
    return page.evaluate("n => n.toLocaleString(document.documentElement.lang)", n)


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_every_counted_phrase_of_the_map_takes_the_languages_forms(page, live_server, language):
    for _ in range(3):
        make_event(kind="dialogue", participants=11)
    for _ in range(2):
        make_event(kind="learning", participants=2)
    _open_map(page, live_server, language)
    wait_for_map(page)
    # The script's catalog gives each count the form the server's catalog gives it.
    script = page.evaluate("""counts => {
        const pairs = JSON.parse(document.getElementById('healing-map-labels').textContent).counted;
        const out = {};
        Object.keys(pairs).forEach(key => { out[key] = counts.map(n => django.ngettext(pairs[key][0], pairs[key][1], n)); });
        return out;
    }""", COUNTS)
    with translation.override(language):
        for key, forms in script.items():
            assert [form.replace("%(n)s", str(n)).replace("%(area)s", "X") for form, n in zip(forms, COUNTS, strict=True)] == \
                [counted(key, n, area="X") for n in COUNTS], key
        five, three, two = counted("count", 5), counted("count", 3), counted("count", 2)
    # What a person reads: the status line for 5 events, then 2 after filtering.
    assert page.locator("#map-status").inner_text() == five.replace("5", _local(page, 5))
    page.select_option("#id_kind", "dialogue")
    wait_for_map(page, 3)
    page.wait_for_function("t => document.getElementById('map-status').textContent === t",
                           arg=three.replace("3", _local(page, 3)))
    page.select_option("#id_kind", "learning")
    wait_for_map(page, 2)
    page.wait_for_function("t => document.getElementById('map-status').textContent === t",
                           arg=two.replace("2", _local(page, 2)))


def test_the_participant_figure_follows_the_filters(page, live_server):
    make_event(kind="dialogue", participants=30)
    make_event(kind="learning", participants=12)
    _open_map(page, live_server, "pl")
    wait_for_map(page, 2)
    with translation.override("pl"):
        everything = participant_sentence({"participants": 42})
        learning = participant_sentence({"participants": 12})
    assert page.locator("#map-figures").inner_text() == everything
    page.select_option("#id_kind", "learning")
    wait_for_map(page, 1)
    page.wait_for_function("t => document.getElementById('map-figures').textContent === t", arg=learning)
    page.go_back()
    wait_for_map(page, 2)
    page.wait_for_function("t => document.getElementById('map-figures').textContent === t", arg=everything)
