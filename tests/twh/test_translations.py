"""All six languages are complete, every catalog is compiled, and the site and its emails speak the visitor's language."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils.translation import to_locale

from tests.conftest import event_form_data, make_event
from twh.catalogs import placeholder_problems

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def _describe(entries) -> str:
    return "\n".join(f"  {entry.msgid[:90]!r} ({', '.join(f for f, _ in entry.occurrences[:2])})" for entry in entries)


def test_every_language_in_settings_has_a_catalog():
    codes = {code for code, _name in settings.LANGUAGES} - {"en"}
    folders = {path.parent.parent.name.lower().replace("_", "-") for path in CATALOGS}
    assert codes <= folders, f"No catalog for {sorted(codes - folders)}: run `make messages`."


SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]
EXPECTED_PLURAL_FORMS = {"es": 3, "pl": 4, "zh_Hans": 1, "ar": 6, "hi": 2}


def _folder(code: str) -> str:
    return to_locale(code)


@pytest.mark.parametrize("code", SHIPPED)
def test_every_catalog_is_complete_with_no_fuzzy_string(code):
    catalog = polib.pofile(str(LOCALE / _folder(code) / "LC_MESSAGES/django.po"))
    live = [entry for entry in catalog if not entry.obsolete]
    assert len(live) > 100
    untranslated = catalog.untranslated_entries()
    fuzzy = catalog.fuzzy_entries()
    assert not untranslated, f"{len(untranslated)} untranslated {code} strings:\n{_describe(untranslated)}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy {code} strings (check them, then remove the flag):\n{_describe(fuzzy)}"


@pytest.mark.parametrize("code", SHIPPED)
def test_every_plural_form_is_present(code):
    catalog = polib.pofile(str(LOCALE / _folder(code) / "LC_MESSAGES/django.po"))
    forms = int(catalog.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    assert forms == EXPECTED_PLURAL_FORMS[_folder(code)]
    plurals = [entry for entry in catalog if entry.msgid_plural and not entry.obsolete]
    assert plurals, "the catalog has plural entries to check"
    half = [entry for entry in plurals
            if sorted(entry.msgstr_plural) != list(range(forms)) or not all(entry.msgstr_plural.values())]
    assert not half, f"Plural forms missing or empty in {code}:\n{_describe(half)}"


@pytest.mark.parametrize("code", SHIPPED)
def test_placeholders_are_those_of_the_english(code):
    catalog = polib.pofile(str(LOCALE / _folder(code) / "LC_MESSAGES/django.po"))
    problems = placeholder_problems(catalog)
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed (CI installs it)")
@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda path: path.parent.parent.name)
def test_msgfmt_check_passes(po_path):
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_broken_placeholder_is_caught():
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="Hello %(name)s", msgstr="Hola %(nombre)s", flags=["python-format"]))
    catalog.append(polib.POEntry(msgid="%(count)s event", msgid_plural="%(count)s events", flags=["python-format"],
                                 msgstr_plural={0: "حدث واحد", 1: "%(count)s أحداث"}))
    catalog.append(polib.POEntry(msgid="%(count)s day", msgid_plural="%(count)s days", flags=["python-format"],
                                 msgstr_plural={0: "%(count)s día", 1: "días"}))
    problems = placeholder_problems(catalog)
    assert len(problems) == 2 and "Hello" in problems[0] and "day" in problems[1]


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda path: path.parent.parent.name)
def test_compiled_catalog_matches_its_po_file(po_path):
    """The committed .mo is what Django serves: it must hold exactly the .po's translations."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run scripts/compile_messages.py"

    def translations(catalog) -> dict:
        found = {}
        for entry in catalog:
            if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
                continue
            if entry.msgid_plural:
                forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
                if any(forms):
                    found[(entry.msgctxt, entry.msgid)] = forms
            elif entry.msgstr:
                found[(entry.msgctxt, entry.msgid)] = entry.msgstr
        return found

    po, mo = translations(polib.pofile(str(po_path))), translations(polib.mofile(str(mo_path)))
    stale = sorted({key[1] for key in po.keys() ^ mo.keys()} | {key[1] for key in po.keys() & mo.keys() if po[key] != mo[key]})
    assert not stale, f"{mo_path.name} is out of date for {len(stale)} strings, e.g. {stale[:3]}: run scripts/compile_messages.py"


@pytest.mark.django_db
def test_spanish_home_page_is_in_spanish_with_spanish_dates_and_numbers(client, settings):
    from tests.conftest import current_edition

    current_edition(starts_on=date(2026, 12, 1), ends_on=date(2027, 1, 31))
    make_event(participants=1200)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="es" dir="ltr">' in html
    for spanish in ("Saltar al contenido principal", "Comparta un evento", "Mapa de Sanación",
                    "El reto en cuatro pasos", "Nuestro progreso hasta ahora"):
        assert spanish in html
    assert "Skip to main content" not in html and "The challenge in four steps" not in html
    assert 'data-stat="participants">1\xa0200<' in html  # Spanish groups thousands with a (no-break) space
    assert "del 1 de diciembre de 2026 al 31 de enero de 2027" in html


@pytest.mark.django_db
def test_english_home_page_keeps_english_numbers(client):
    make_event(participants=1200)
    html = client.get(reverse("home")).content.decode()
    assert 'data-stat="participants">1,200<' in html


@pytest.mark.django_db
def test_language_switcher_remembers_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": reverse("about")})
    assert response.status_code == 302 and response["Location"] == reverse("about")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The cookie outlives the request: later pages are in Spanish without asking again.
    html = client.get(reverse("privacy")).content.decode()
    assert 'lang="es"' in html and "Aviso de privacidad" in html
    switcher = client.get(reverse("home")).content.decode()
    assert '<option value="es" lang="es" dir="ltr" selected>' in switcher


@pytest.mark.django_db
def test_switcher_offers_the_language_access_languages_in_their_own_names(client):
    html = client.get(reverse("home")).content.decode()
    # Each name reads in its own direction, whatever the page's (English on an Arabic page is ltr).
    for code, name, direction in (("en", "English", "ltr"), ("es", "español", "ltr"), ("pl", "polski", "ltr"),
                                  ("zh-hans", "简体中文", "ltr"), ("ar", "العربيّة", "rtl"), ("hi", "हिंदी", "ltr")):
        assert f'<option value="{code}" lang="{code}" dir="{direction}"' in html and f">{name}</option>" in html


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left_with_bootstraps_rtl_styles(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "شارك فعالية" in html  # "Share an event" from the started Arabic catalog


@pytest.mark.django_db
def test_left_to_right_pages_use_the_ordinary_bootstrap(client):
    html = client.get(reverse("home")).content.decode()
    assert 'dir="ltr"' in html and "bootstrap.min.css" in html and "bootstrap.rtl.min.css" not in html


@pytest.mark.django_db
def test_a_spanish_submission_gets_a_spanish_confirmation_email(client, django_capture_on_commit_callbacks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:submit"), event_form_data(title="Círculo de historias"))
    assert response.status_code == 302
    confirmation = next(message for message in mail.outbox if "jordan.private@example.net" in message.to)
    assert confirmation.subject.startswith("Recibimos su evento de sanación")
    assert "Gracias por compartir “Círculo de historias”" in confirmation.body
    assert "Thank you" not in confirmation.body
    staff = next(message for message in mail.outbox if "staff@example.org" in message.to)
    assert staff.subject.startswith("New healing event to review")  # staff read the site's language


@pytest.mark.django_db
def test_an_english_submission_gets_an_english_confirmation_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:submit"), event_form_data())
    confirmation = next(message for message in mail.outbox if "jordan.private@example.net" in message.to)
    assert confirmation.subject.startswith("We received your healing event")


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "expected"), [("es-MX,es;q=0.9,en;q=0.5", "es"), ("pl-PL", "pl"),
                                                  ("zh-CN,zh;q=0.9", "zh-hans"), ("fr-FR", "en")])
def test_a_first_visit_follows_the_browsers_language(client, accept, expected):
    html = client.get(reverse("home"), headers={"accept-language": accept}).content.decode()
    assert f'<html lang="{expected}"' in html


@pytest.mark.django_db
def test_the_switcher_choice_beats_the_browsers_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home"), headers={"accept-language": "es-MX"}).content.decode()
    assert '<html lang="en"' in html
