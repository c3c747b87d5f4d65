"""Issue 17 in a browser: the new pages in all six languages with no WCAG violations, the embed
builder's snippet working on another origin, and screenshots into /tmp/host-shots/."""

import functools
import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.test_accessibility import describe, run_axe
from tests.conftest import area, make_event

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "es", "pl", "zh-hans", "ar", "hi"]
PAGES = ["/host/", "/host/dialogue/", "/host/learning/", "/about/faq/", "/contact/", "/contact/sent/",
         "/map/embed/builder/", "/about/"]
PARTNER_PORT = 8401  # this helper's own ports are 8400-8449
SHOTS = Path("/tmp/host-shots")


def _with_language(page, live_server, language):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_pages_have_no_wcag_violations(page, live_server, language):
    _with_language(page, live_server, language)
    make_event(title="Walk", kind="learning", list_as_partner=True, host_name="Bronzeville Walks")
    problems = []
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.lang") == language
        violations = run_axe(page)
        if violations:
            problems.append(f"{path} [{language}]:\n{describe(violations)}")
    assert not problems, "\n".join(problems)


def test_contact_form_with_errors_has_no_wcag_violations(page):
    page.goto("/contact/")
    page.fill("#id_name", "Ana")
    page.click("form.twh-form button[type=submit]")
    page.wait_for_selector("#form-problem")
    assert page.input_value("#id_name") == "Ana"
    assert not run_axe(page), describe(run_axe(page))


def test_faq_anchor_links_land_on_their_answers(page):
    page.goto("/about/faq/")
    page.click('a[href="#summit"]')
    assert page.evaluate("location.hash") == "#summit"
    # Bootstrap scrolls smoothly: wait until the answer is at the top of the window.
    page.wait_for_function("() => { const top = document.getElementById('summit').getBoundingClientRect().top;"
                           " return top >= -1 && top < 200; }")


def test_toolkit_prints_only_its_content(page):
    page.goto("/host/dialogue/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator("#questions").is_visible() and page.locator("#agreements").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".site-header").is_visible()
    assert page.locator("button[data-print]").is_visible()  # shown by the script


def test_builder_works_without_javascript(js_off_page):
    page = js_off_page
    page.goto("/map/embed/builder/")
    page.select_option("#id_kind", "learning")
    page.check("input[name=area][value='32']")
    page.fill("#id_height", "420")
    page.click("#embed-builder button[type=submit]")
    snippet = page.input_value("#embed-snippet")
    assert "kind=learning" in snippet and "area=32" in snippet and 'height="420"' in snippet
    assert page.locator("button[data-copy]").is_hidden()


@pytest.fixture
def partner_site(tmp_path):
    """A second web server on another origin (one of this helper's ports) serving a partner's page."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PARTNER_PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{PARTNER_PORT}"
    server.shutdown()
    server.server_close()


def test_snippet_pasted_on_another_origin_renders_the_filtered_map(page, live_server, partner_site):
    make_event(title="Loop history walk", kind="learning", community_area=area(32))
    make_event(title="Hyde Park reading", kind="learning", community_area=area(41), latitude=41.79, longitude=-87.59)
    make_event(title="Loop dialogue", kind="dialogue", community_area=area(32), latitude=41.88, longitude=-87.63)
    make_event(title="Uptown learning", kind="learning", community_area=area(3), latitude=41.9664, longitude=-87.6563)
    page.goto(reverse("healingmap:embed_builder") + "?kind=learning&area=32&area=41&lang=es&height=480")
    snippet = page.input_value("#embed-snippet")
    assert snippet.startswith(f'<iframe src="{live_server.url}/map/embed/?')
    directory, origin = partner_site
    (directory / "partner.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Partner</title></head>"
        f"<body><h1>Our neighbourhood partner</h1>{snippet}</body></html>", encoding="utf-8")
    page.goto(f"{origin}/partner.html")
    frame_element = page.locator("iframe")
    assert frame_element.get_attribute("title")
    assert frame_element.bounding_box()["height"] == pytest.approx(480, abs=2)
    frame = page.frame_locator("iframe")
    frame.locator(".leaflet-marker-icon").first.wait_for()
    map_box = frame.locator("#healing-map")
    assert map_box.get_attribute("data-state") in {"drawing", "ready"}
    page.wait_for_function("() => document.querySelector('iframe').contentDocument === null")  # another origin
    embedded = page.frames[1]
    embedded.wait_for_function("() => document.getElementById('healing-map').dataset.state === 'ready'")
    titles = embedded.evaluate("""() => [...document.querySelectorAll('.leaflet-marker-icon[title]')]
                                        .map(m => m.getAttribute('title'))""")
    # Two learning events in the two chosen areas, whatever clustering does with them.
    assert embedded.evaluate("document.getElementById('healing-map').dataset.markers") == "2", titles
    assert embedded.evaluate("document.documentElement.lang") == "es"
    powered = embedded.locator(".embed-powered a")
    assert powered.get_attribute("href") == f"{live_server.url}/"
    assert powered.get_attribute("target") == "_blank"


@pytest.mark.parametrize(("width", "language"), [(375, "en"), (1280, "en"), (375, "ar"), (1280, "ar")])
def test_screenshots_of_the_new_pages(browser, live_server, reference_data, width, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_event(title="Walk", kind="learning", list_as_partner=True, host_name="Bronzeville Walks")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.route("https://**/*", lambda route: route.abort())
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), path
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(SHOTS / f"{name}-{width}-{language}.png"), full_page=width == 375)
    finally:
        context.close()
