"""The summit's own words in each language, with the English as a fallback marked lang="en"."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from summit.models import AgendaItem, Summit, SummitPrompt
from tests.summit.conftest import make_summit


def _get(client, path, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


def _start_tag(html, text):
    """The start tag of the element in <main> whose content begins with `text`."""
    html = html[html.index("<main"):]
    match = re.search(r"(<[a-z0-9]+\b[^>]*>)\s*(<p>)?" + re.escape(text), html)
    assert match, f"{text!r} not found"
    return match.group(1)


def test_a_summit_reads_in_the_visitors_language_where_staff_translated_it(client, db):
    summit = make_summit(title="Healing summit", title_es="Cumbre de sanación",
                         description="We reflect together.", description_es="Reflexionamos juntos.")
    html = _get(client, "/summit/", "es")
    assert "Cumbre de sanación" in html and "Reflexionamos juntos." in html
    assert "Healing summit" not in html
    assert 'lang="en"' not in _start_tag(html, "Cumbre de sanación")
    summit.refresh_from_db()
    with translation.override("es"):
        assert summit.title == "Cumbre de sanación"
    with translation.override("en"):
        assert summit.title == "Healing summit"


def test_a_missing_translation_falls_back_to_english_marked_lang_en(client, db):
    summit = make_summit(title="Healing summit", title_pl="Szczyt uzdrowienia",
                         description="We reflect together.")
    AgendaItem.objects.create(summit=summit, starts_at=summit.starts_at, title="Welcome",
                              title_pl="Powitanie", description="Opening words.")
    pl = _get(client, "/summit/", "pl")
    assert 'lang="en"' not in _start_tag(pl, "Szczyt uzdrowienia")
    assert 'lang="en" dir="ltr"' in _start_tag(pl, "We reflect together.")
    assert 'lang="en"' not in _start_tag(pl, "Powitanie")
    assert 'lang="en" dir="ltr"' in _start_tag(pl, "Opening words.")
    # On the right-to-left Arabic page the English fallback keeps its own direction.
    ar = _get(client, "/summit/", "ar")
    assert '<html lang="ar" dir="rtl">' in ar
    assert 'lang="en" dir="ltr"' in _start_tag(ar, "Healing summit")
    assert 'lang="en" dir="ltr"' in _start_tag(ar, "Welcome")
    # In English nothing is a fallback.
    en = _get(client, "/summit/", "en")
    assert 'lang="en"' not in _start_tag(en, "Healing summit")


def test_summit_prompts_are_translated_in_the_reflection_form(client, db):
    summit = make_summit()
    SummitPrompt.objects.create(summit=summit, text="What gave you hope?", text_es="¿Qué te dio esperanza?")
    html = _get(client, "/summit/reflections/new/", "es")
    assert "¿Qué te dio esperanza?" in html
    assert "What gave you hope?" not in html


def test_existing_english_text_is_the_english_translation(db):
    """What the tests' factories (and staff before translations) write goes to the English column."""
    summit = make_summit(title="Healing summit")
    row = Summit.objects.filter(pk=summit.pk).values("title", "title_en", "title_es").get()
    assert row["title_en"] == "Healing summit"
    assert row["title_es"] is None


def test_staff_edit_each_language_in_admin(client, superuser):
    summit = make_summit(title="Healing summit")
    client.force_login(superuser)
    html = client.get(f"/admin/summit/summit/{summit.pk}/change/").content.decode()
    for code in ("en", "es", "pl", "zh_hans", "ar", "hi"):
        assert f'name="title_{code}"' in html
        assert f'name="description_{code}"' in html
    assert 'name="agenda_items-0-title_es"' in html
    assert 'name="prompts-0-text_ar"' in html


def test_seeded_demo_summit_has_spanish(db):
    from django.core.management import call_command

    call_command("seed_summit", verbosity=0)
    summit = Summit.objects.current().first()
    assert summit.title_es and summit.description_es
    assert all(item.title_es for item in summit.agenda_items.all())
    assert all(prompt.text_es for prompt in summit.prompts.all())


def test_past_summit_titles_in_the_list_mark_their_fallback(client, db):
    make_summit()
    past = make_summit(title="Last year’s summit", is_current=False,
                       starts_at=timezone.now() - timedelta(days=400))
    assert past.pk
    html = _get(client, "/summit/", "hi")
    assert 'lang="en" dir="ltr"' in _start_tag(html, "Last year’s summit")
