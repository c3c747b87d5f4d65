"""Every public page in every language: no interface line left in English, Leaflet's own
words from our catalogs, and English fallbacks marked lang="en" with their own direction.

The page-by-page comparison fails until each catalog is complete: it lists every visible text
that is identical to the English page's and not marked as another language (user content,
proper names, community-area names, the Office's address, site paths and numbers are excepted).
"""

import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from events.models import CommunityArea, HealingEvent, HealingMessage
from summit.models import AgendaItem, Reflection, Registration
from tests.browser.test_accessibility import PAGES
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PUBLIC_PAGES = [(name, setup) for name, setup in PAGES if not name.startswith("admin-")]
# Proper names that stay as they are in every language.
PROPER_NAMES = ["Leaflet", "OpenStreetMap", "GeoJSON", "CSV", "ASL", "OERJ", "WCAG", "Chicago",
                "Google Calendar", "Outlook", "iCalendar", "Atom", "RSS"]
# Distances on the map's scale (the units are international).
UNITS = re.compile(r"\b\d[\d.,]*\s*(km|m|mi|ft)\b")
FILE_NAMES = re.compile(r"\b[\w-]+\.(geojson|csv|ics|atom|rss)\b")
# Paths on this site, shown as they are typed ("/events/feed.atom"): URLs are not translated.
SITE_PATHS = re.compile(r"(?<![\w/])/[\w-]+(?:[/.][\w-]+)*/?")
# The English page's texts, by page name, rendered once per test session and worker.
_english: dict[str, list[str]] = {}

TEXTS_JS = """() => {
    const page = document.documentElement.lang.toLowerCase();
    const texts = [], foreign = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const element = node.parentElement;
        const text = node.textContent.replace(/\\s+/g, " ").trim();
        if (!element || !text || element.closest("script, style, noscript, template, code, kbd, samp, pre, textarea, .leaflet-control-attribution")) continue;
        const box = element.closest("select") || element;
        if (!box.getClientRects().length || getComputedStyle(box).visibility === "hidden") continue;
        const marked = element.closest("[lang]");
        const lang = (marked ? marked.lang : page).toLowerCase();
        if (lang === page) {
            texts.push(text);
        } else {
            foreign.push({text: text.slice(0, 60), lang: lang, direction: getComputedStyle(element).direction});
        }
    }
    return {texts: texts, foreign: foreign, dir: document.documentElement.dir};
}"""


def _names_in_the_data() -> list[str]:
    """What people and the City wrote that is shown without a lang of its own: names."""
    names = set(CommunityArea.objects.values_list("name", flat=True))
    names |= set(CommunityArea.objects.values_list("official_name", flat=True))
    names |= set(HealingEvent.objects.values_list("host_name", flat=True))
    names |= set(HealingMessage.objects.values_list("display_name", flat=True))
    names |= set(Reflection.objects.values_list("display_name", flat=True))
    names |= set(AgendaItem.objects.values_list("speakers", flat=True))
    names |= set(Registration.objects.values_list("name", flat=True))
    names |= {settings.CAMPAIGN_NAME, settings.CAMPAIGN_CITY, *PROPER_NAMES}
    # How to reach the Office, as configured: a postal address and an email address.
    names |= {settings.OFFICE_ADDRESS, settings.OFFICE_EMAIL}
    return sorted((n for n in names if n), key=len, reverse=True)


def _kept_as_is(language: str) -> set[str]:
    """Entries the translators deliberately wrote as in English ("Virtual" is Spanish too)."""
    import polib

    path = settings.LOCALE_PATHS[0] / translation.to_locale(language) / "LC_MESSAGES" / "django.po"
    return {_interface_words(entry.msgid, []) for entry in polib.pofile(str(path))
            if entry.msgstr == entry.msgid and "fuzzy" not in entry.flags}


def _interface_words(text: str, names: list[str]) -> str:
    """The text without names, numbers and punctuation: what a translator should have translated."""
    text = SITE_PATHS.sub(" ", FILE_NAMES.sub(" ", UNITS.sub(" ", text)))
    for name in names:
        text = text.replace(name, " ")
    return re.sub(r"[\W\d_]+", " ", text).strip()


def _visit(context, setup, live_server, language):
    context.clear_cookies()
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        setup(page)
        page.wait_for_load_state("load")
        return page.url, page.evaluate(TEXTS_JS)
    finally:
        page.close()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_public_page_speaks_the_visitors_language(browser, live_server, reference_data, language):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="en-US")
    context.route("https://**/*", lambda route: route.abort())
    english_lines, wrong_direction = [], []
    bidi = translation.get_language_info(language)["bidi"]
    kept = _kept_as_is(language)
    try:
        for name, setup in PUBLIC_PAGES:
            if name not in _english:
                _english[name] = _visit(context, setup, live_server, settings.LANGUAGE_CODE)[1]["texts"]
            url, found = _visit(context, setup, live_server, language)
            assert found["dir"] == ("rtl" if bidi else "ltr"), f"{name}: dir={found['dir']}"
            names = _names_in_the_data()
            same = set(_english[name]) & set(found["texts"])
            lines = sorted({t for t in same if _interface_words(t, names) not in kept | {""}})
            english_lines += [f"{name} ({url}): {t!r}" for t in lines]
            # English shown on a right-to-left page reads left to right.
            wrong_direction += [f"{name}: {f}" for f in found["foreign"]
                                if bidi and f["lang"] == "en" and f["direction"] != "ltr"]
    finally:
        context.close()
    assert not wrong_direction, "English fallbacks that read right to left:\n" + "\n".join(wrong_direction)
    assert not english_lines, (f"{len(english_lines)} interface lines are still in English in {language}:\n"
                               + "\n".join(english_lines))


def _catalog(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def _map_with_a_popup(page, live_server, language):
    make_event(title="Círculo de escucha", latitude=41.8565, longitude=-87.6620, language="es")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.goto("/map/")
    page.wait_for_selector("#healing-map[data-state=ready]")
    # The compact markers document has no titles: the marker is named by its event's title once
    # a keyboard user reaches it (the details are fetched on focus).
    marker = page.locator("#healing-map .leaflet-marker-icon.hm-marker")
    marker.focus()
    page.wait_for_selector("#healing-map .hm-marker[data-named=true]")
    assert marker.get_attribute("title").startswith("Círculo de escucha")
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup").wait_for()


def test_leaflets_buttons_take_the_labels_the_page_gives_them(page, live_server):
    """The wiring, whatever the catalogs say: the page's labels reach Leaflet's controls."""
    def relabel(route):
        response = route.fetch()
        body = response.text()
        for attribute, label in (("data-zoom-in", "Acercar"), ("data-zoom-out", "Alejar"),
                                 ("data-close-popup", "Cerrar")):
            body = re.sub(attribute + r'="[^"]*"', f'{attribute}="{label}"', body)
        route.fulfill(response=response, body=body)

    page.route("**/map/", relabel)
    _map_with_a_popup(page, live_server, "es")
    zoom_in, zoom_out = page.locator(".leaflet-control-zoom-in"), page.locator(".leaflet-control-zoom-out")
    assert (zoom_in.get_attribute("title"), zoom_in.get_attribute("aria-label")) == ("Acercar", "Acercar")
    assert (zoom_out.get_attribute("title"), zoom_out.get_attribute("aria-label")) == ("Alejar", "Alejar")
    close = page.locator(".leaflet-popup-close-button")
    assert (close.get_attribute("title"), close.get_attribute("aria-label")) == ("Cerrar", "Cerrar")
    # The popup's user text carries the language it was written in.
    assert page.locator(".hm-popup-title").get_attribute("lang") == "es"
    assert page.locator(".hm-popup-title").get_attribute("dir") == "auto"


def test_leaflets_own_words_are_in_spanish(page, live_server):
    _map_with_a_popup(page, live_server, "es")
    for selector, msgid in ((".leaflet-control-zoom-in", "Zoom in"), (".leaflet-control-zoom-out", "Zoom out"),
                            (".leaflet-popup-close-button", "Close popup")):
        expected = _catalog("es", msgid)
        assert expected != msgid, f"{msgid!r} has no Spanish translation in the catalog yet"
        element = page.locator(selector)
        assert element.get_attribute("title") == expected
        assert element.get_attribute("aria-label") == expected
