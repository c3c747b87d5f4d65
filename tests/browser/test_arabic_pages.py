"""Every public page in Arabic reads right to left and fits a 375 px phone without sideways scrolling.

Set TWH_SHOTS=/some/folder to also save each page at 375 px and 1280 px there (for a person to look at).
"""

import os
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.test_accessibility import OVERFLOW_JS, PAGES, go
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)


def submissions_closed(page):
    from tests.conftest import current_edition

    current_edition(submissions_close_on=date.today() - timedelta(days=1))
    page.goto("/events/submit/")


def report_form(page):
    from django.urls import reverse
    from django.utils import timezone

    from events import reports

    event = make_event(starts_at=timezone.now() - timedelta(days=2))
    reports.request_report(event=event)
    event.refresh_from_db()
    page.goto(reverse("events:report", args=[reports.make_report_token(event)]))


def manage_after_the_event(page):
    from django.urls import reverse
    from django.utils import timezone

    from events import reports
    from events.tokens import make_manage_token

    event = make_event(starts_at=timezone.now() - timedelta(days=2), submission_token=uuid.uuid4())
    reports.request_report(event=event)
    event.refresh_from_db()
    page.goto(reverse("events:manage", args=[make_manage_token(event)]))


EXTRA = [
    ("faq", go("/about/faq/")),
    ("host", go("/host/")),
    ("host-kind", go("/host/dialogue/")),
    ("contact", go("/contact/")),
    ("contact-sent", go("/contact/sent/")),
    ("embed-builder", go("/map/embed/builder/")),
    ("invalid-link", go("/events/manage/forged/")),
    ("submissions-closed", submissions_closed),
    ("report-form", report_form),
    ("manage-report", manage_after_the_event),
]
PUBLIC = [(name, setup) for name, setup in PAGES if not name.startswith("admin-")] + EXTRA


def test_every_public_page_in_arabic_is_right_to_left_and_fits_a_phone(browser, live_server, reference_data):
    shots = Path(os.environ["TWH_SHOTS"]) if os.environ.get("TWH_SHOTS") else None
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-US")
    context.route("https://**/*", lambda route: route.abort())
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10000)
    problems = []
    try:
        for name, setup in PUBLIC:
            page.set_viewport_size({"width": 375, "height": 800})
            setup(page)
            page.wait_for_load_state("load")
            if (page.evaluate("document.documentElement.dir"), page.evaluate("document.documentElement.lang")) != ("rtl", "ar"):
                problems.append(f"{name}: not dir=rtl lang=ar")
            found = page.evaluate(OVERFLOW_JS)
            if found["scrollWidth"] > found["clientWidth"]:
                problems.append(f"{name} scrolls sideways at 375 px ({page.url}): {found}")
            if shots:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"{name}-ar-375.png"), full_page=True)
                page.set_viewport_size({"width": 1280, "height": 900})
                page.wait_for_timeout(150)  # the layout settles after the resize (screenshots only)
                page.screenshot(path=str(shots / f"{name}-ar-1280.png"), full_page=True)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_english_fallback_content_stays_against_the_arabic_pages_edge(page, live_server):
    from tests.summit.conftest import make_summit

    make_summit(title="Healing summit")  # no Arabic title: the English is shown, marked lang="en"
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/summit/")
    heading = page.locator("h1[lang=en]")
    assert heading.get_attribute("dir") == "ltr"
    text_right = heading.evaluate("""h => { const r = document.createRange(); r.selectNodeContents(h);
                                       return r.getBoundingClientRect().right; }""")
    box = heading.bounding_box()
    assert text_right > box["x"] + box["width"] - 2  # the text ends at the right edge, where Arabic starts
