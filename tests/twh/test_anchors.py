"""The anchor organizations' name and description in each language, with the English as fallback."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from twh.models import Anchor

pytestmark = pytest.mark.django_db


def anchor() -> Anchor:
    with translation.override("en"):
        return Anchor.objects.create(
            name="Healing Fund", description="Funds hosts.",
            name_pl="Fundusz Uzdrowienia", description_pl="Wspiera organizatorów.",
        )


def about(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("about")).content.decode()


def test_the_about_page_shows_the_visitors_language(client):
    anchor()
    html = about(client, "pl")
    assert "Fundusz Uzdrowienia" in html and "Wspiera organizatorów." in html
    assert "Healing Fund" not in html


def test_a_missing_translation_falls_back_to_english_marked_as_english(client):
    anchor()
    html = about(client, "ar")
    assert '<h3 class="h5" lang="en" dir="ltr">Healing Fund</h3>' in html
    assert '<p class="mb-0" lang="en" dir="ltr">Funds hosts.</p>' in html
    english = about(client, "en")
    assert '<h3 class="h5">Healing Fund</h3>' in english


def test_staff_edit_each_language_in_admin(admin_client):
    item = anchor()
    html = admin_client.get(reverse("admin:twh_anchor_change", args=[item.pk])).content.decode()
    for code in ("en", "es", "pl", "zh_hans", "ar", "hi"):
        assert f'name="name_{code}"' in html and f'name="description_{code}"' in html
