"""The receipt's HTML part as a reader's mail client shows it: on a phone and a desktop, in
English and Arabic, nothing fetched, no sideways scroll, and the private link a button to tap."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import event_form_data
from twh.models import OutboxEmail

pytestmark = pytest.mark.django_db

# Set TWH_EMAIL_SHOTS to a folder to keep the screenshots (to look at them).
SHOTS = os.environ.get("TWH_EMAIL_SHOTS")


def receipt(client, language: str) -> OutboxEmail:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    address = f"reader-{language}@example.net"
    assert client.post("/events/submit/", event_form_data(contact_email=address)).status_code == 302
    return OutboxEmail.objects.get(to=[address])


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [320, 375, 800])
def test_the_receipt_reads_on_a_phone_and_a_desktop(browser, client, language, width):
    email = receipt(client, language)
    context = browser.new_context(viewport={"width": width, "height": 900})
    requested = []
    context.route("**/*", lambda route: (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    page.set_content(email.html_body, wait_until="load")
    try:
        assert requested == [], "the email loads nothing from elsewhere"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        button = page.locator("a[style*='background-color']")
        assert button.count() == 1
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 120, box  # a target a thumb can hit
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        if language == "ar":  # starts at the right, as Arabic reads
            assert box["x"] + box["width"] > width / 2
        colours = button.evaluate("a => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]")
        assert colours == ["rgb(255, 255, 255)", "rgb(91, 42, 134)"]  # 9.6:1
        href = button.get_attribute("href")
        assert page.locator(f"a[href='{href}']").nth(1).inner_text() == href  # written out too
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/receipt-{language}-{width}.png", full_page=True)
    finally:
        context.close()
