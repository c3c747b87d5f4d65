"""axe-core finds no WCAG 2.1 A/AA violation on any page or state in English and Spanish, nor on
any public page in the other four languages; no page scrolls sideways in any of the six.

axe-core is pinned in package.json and served from our own static files (the CSP allows only
'self' scripts). Adding a page is one line in PAGES: a name and a function that takes the
Playwright page, creates what the page needs and goes there.
"""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.tokens import make_manage_token
from tests.conftest import make_event, make_message
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db(transaction=True)

AXE_URL = "/static/vendor/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["en", "es"]  # every page and state, one test each
ALL_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def run_axe(page) -> list[dict]:
    """Inject axe-core into the page and return its WCAG 2.1 A/AA violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                summary: (v.nodes[0] && v.nodes[0].failureSummary || "").slice(0, 300),
            }));
        }""",
        WCAG_TAGS,
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    at {v['targets']}\n    {v['summary']}" for v in violations
    )


# --- Page set-ups: each creates what the page needs and opens it. ---------------------------------

def go(path):
    def setup(page):
        page.goto(path)
    return setup


def submit_with_errors(page):
    page.goto(reverse("events:submit"))
    page.fill("#id_title", "Only a title")
    page.click("button[type=submit].btn-lg")
    page.wait_for_selector("#form-problem")


def submit_thanks(page):
    event = make_event(status=Status.PENDING, submission_token=uuid.uuid4())
    page.goto(reverse("events:thanks", args=[event.submission_token]))


def manage_page(page):
    event = make_event(status=Status.PENDING, submission_token=uuid.uuid4())
    page.goto(reverse("events:manage", args=[make_manage_token(event)]))


def withdraw_confirm_page(page):
    event = make_event(status=Status.PENDING, submission_token=uuid.uuid4())
    page.goto(reverse("events:withdraw", args=[make_manage_token(event)]))


def message_thanks(page):
    message = make_message(status=Status.PENDING, submission_token=uuid.uuid4())
    page.goto(reverse("events:message_thanks", args=[message.submission_token]))


def message_with_errors(page):
    page.goto(reverse("events:new_message"))
    page.click("form.twh-form button[type=submit]")
    page.wait_for_selector(".invalid-feedback, #form-problem")


def event_detail(page):
    event = make_event(title="Story circle in Englewood")
    page.goto(reverse("events:detail", args=[event.pk]))


def _some_events():
    make_event(title="Dialogue on the South Side", kind="dialogue", format="in_person")
    make_event(title="Mural together", kind="collaboration", format="hybrid", latitude=41.78, longitude=-87.64)
    make_event(title="History walk", kind="learning", starts_at=timezone.now() - timedelta(days=3))
    make_message(text="We heal when we listen.")


def with_events(path, ready=None):
    def setup(page):
        _some_events()
        page.goto(path)
        if ready:
            page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
    return setup


def _summit(**overrides):
    """A new current summit (the one before, if any, stops being current)."""
    from summit.models import Summit
    from tests.summit.conftest import make_summit

    Summit.objects.filter(is_current=True).update(is_current=False)
    return make_summit(**overrides)


def summit_page(state: str, path_name: str = "summit:index"):
    """A current summit with registration open, full, or closed; then open a summit page."""
    def setup(page):
        from tests.summit.conftest import sign_up

        summit = _summit(capacity=1 if state == "full" else 50)
        if state == "full":
            sign_up(summit)
        page.goto(reverse(path_name))
    return setup


def registration_done(waitlisted: bool):
    def setup(page):
        from summit import services
        from tests.summit.conftest import registrant, sign_up

        summit = _summit(capacity=1)
        if waitlisted:
            sign_up(summit)
        signup = services.register_attendee(summit=summit, data=registrant(), submission_token=uuid.uuid4())
        page.goto(reverse("summit:registered", args=[signup.registration.submission_token]))
    return setup


def registration_private_page(page):
    from summit.tokens import make_registration_token
    from tests.summit.conftest import sign_up

    signup = sign_up(_summit())
    page.goto(reverse("summit:registration", args=[make_registration_token(signup.registration)]))


def cancel_confirm_page(page):
    from summit.tokens import make_registration_token
    from tests.summit.conftest import sign_up

    signup = sign_up(_summit())
    page.goto(reverse("summit:cancel", args=[make_registration_token(signup.registration)]))


def register_with_errors(page):
    _summit()
    page.goto(reverse("summit:register"))
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def reflections_wall(page):
    from summit.models import Reflection
    summit = _summit()
    Reflection.objects.create(summit=summit, theme=Reflection._meta.get_field("theme").choices[0][0],
                              text="We came a long way together.", display_name="Ana", status=Status.APPROVED)
    page.goto(reverse("summit:reflection_list"))


def new_reflection(page):
    _summit()
    page.goto(reverse("summit:new_reflection"))


def coverage_map(path, *, residents=False):
    def setup(page):
        from tests.browser.test_coverage import load_grid_of_areas, load_residents

        load_grid_of_areas()
        if residents:
            load_residents()
        _some_events()
        page.goto(path)
        page.wait_for_selector(".leaflet-container path.leaflet-interactive", state="attached")
        page.wait_for_load_state("networkidle")
    return setup


def map_popup(page):
    """The Healing Map with an event's popup open, reached from the keyboard (clusters opened first)."""
    _some_events()
    make_event(title="Popup potluck", kind="connections", latitude=41.84, longitude=-87.72)  # apart from the rest
    page.goto("/map/")
    page.wait_for_selector(".leaflet-marker-icon")
    for _ in range(6):
        single = page.locator(".leaflet-marker-icon.hm-marker[title]")
        if single.count():
            single.first.focus()
            page.keyboard.press("Enter")
            break
        page.locator(".leaflet-marker-icon.marker-cluster").first.focus()
        page.keyboard.press("Enter")  # a cluster zooms in
        page.wait_for_timeout(600)
    page.wait_for_selector(".leaflet-popup a")
    # Leaflet fades popups in: measure contrast once the fade is over.
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")


def _residents_and_events():
    from tests.browser.test_coverage import load_residents

    load_residents()
    _some_events()


def staff(path, prepare=None):
    """Log a moderator in to admin, then open `path` (a string, or a function of what prepare made)."""
    def setup(page):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        made = prepare() if prepare else None
        users = get_user_model().objects
        if not users.filter(username="a11ymod").exists():
            user = users.create_user("a11ymod", password="a-long-test-password-5", is_staff=True)
            user.groups.add(Group.objects.get(name="Moderators"))
        page.goto("/admin/login/")
        if page.locator("#id_username").count():  # not signed in yet
            page.fill("#id_username", "a11ymod")
            page.fill("#id_password", "a-long-test-password-5")
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
        page.goto(path(made) if callable(path) else path)
    return setup


def reject_form(page):
    """The intermediate page where a moderator chooses the reason for a rejection."""
    event = make_event(status=Status.PENDING, title="To be rejected")
    staff("/admin/events/healingevent/?status__exact=pending")(page)
    page.locator("tr", has_text=event.title).locator("input.action-select").check()
    page.select_option("select[name=action]", "reject_selected")
    page.click("button[name=index]")
    page.wait_for_selector("input[name=apply]")


def _pending_reflection():
    from summit.models import Reflection

    summit = _summit()
    return Reflection.objects.create(summit=summit, theme=Reflection._meta.get_field("theme").choices[0][0],
                                     text="Waiting for a moderator.", status=Status.PENDING)


PAGES = [
    ("home", with_events("/")),
    ("about", go("/about/")),
    ("privacy", go("/privacy/")),
    ("accessibility", go("/accessibility/")),
    ("not-found", go("/no-such-page/")),
    ("submit", go("/events/submit/")),
    ("submit-with-errors", submit_with_errors),
    ("submit-thanks", submit_thanks),
    ("manage", manage_page),
    ("withdraw-confirm", withdraw_confirm_page),
    ("message-form", go("/events/messages/new/")),
    ("message-with-errors", message_with_errors),
    ("message-thanks", message_thanks),
    ("event-detail", event_detail),
    ("map", with_events("/map/", ready=".leaflet-marker-icon")),
    ("list", with_events("/map/list/")),
    ("messages", with_events("/map/messages/")),
    ("embed", with_events("/map/embed/", ready=".leaflet-marker-icon")),
    ("data", go("/map/data/")),
    ("coverage", with_events("/map/coverage/")),
    ("area", with_events("/map/areas/32/")),
    ("summit-none", go("/summit/")),
    ("summit", summit_page("open")),
    ("register-open", summit_page("open", "summit:register")),
    ("register-with-errors", register_with_errors),
    ("register-full", summit_page("full", "summit:register")),
    ("registered", registration_done(waitlisted=False)),
    ("waitlisted", registration_done(waitlisted=True)),
    ("registration-private", registration_private_page),
    ("cancel-confirm", cancel_confirm_page),
    ("reflections", reflections_wall),
    ("reflection-form", new_reflection),
    ("map-popup", map_popup),
    ("coverage-map", coverage_map("/map/coverage/")),
    ("coverage-rates", coverage_map("/map/coverage/?measure=rate", residents=True)),
    ("admin-login", go("/admin/login/")),
    ("admin-index", staff("/admin/")),
    ("admin-events", staff("/admin/events/healingevent/", prepare=lambda: make_event(status=Status.PENDING))),
    ("admin-event", staff(lambda event: f"/admin/events/healingevent/{event.pk}/change/", prepare=make_event)),
    ("admin-reject", reject_form),
    ("admin-messages", staff("/admin/events/healingmessage/", prepare=lambda: make_message(status=Status.PENDING))),
    ("admin-reflections", staff("/admin/summit/reflection/", prepare=_pending_reflection)),
    ("admin-dashboard", staff("/admin/dashboard/", prepare=_some_events)),
    ("admin-dashboard-outreach", staff("/admin/dashboard/", prepare=_residents_and_events)),
]

# States that are not a plain 200 page.
EXPECTED_STATUS = {"not-found": 404}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "setup"), PAGES, ids=[name for name, _setup in PAGES])
def test_page_has_no_wcag_violations(page, live_server, settings, name, setup, language):
    settings.ADMIN_REQUIRE_2FA = False  # the admin pages are checked signed in with a password
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    statuses = []
    page.on("response", lambda response: statuses.append(response.status)
            if response.request.resource_type == "document" and response.frame == page.main_frame else None)
    setup(page)
    page.wait_for_load_state("load")
    expected = EXPECTED_STATUS.get(name, 200)
    assert statuses and statuses[-1] == expected, f"{name}: the page answered {statuses}, not {expected}"
    assert page.evaluate("document.documentElement.lang") == language
    violations = run_axe(page)
    assert not violations, f"{name} [{language}] at {page.url}: {len(violations)} WCAG violations\n{describe(violations)}"


OVERFLOW_JS = """() => {
    const root = document.documentElement, width = root.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest(".leaflet-container")
                && !(el.parentElement && el.parentElement.closest(".table-responsive")))
        .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
    return {scrollWidth: root.scrollWidth, clientWidth: width, wide};
}"""


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_page_reflows_without_horizontal_scrolling(browser, live_server, reference_data, settings,
                                                         language):
    """WCAG 1.4.10: at 320 CSS px, and at 1280 px zoomed to 200% (the same layout as 640 CSS px),
    no page scrolls sideways in any language; wide tables scroll inside their own box, and the
    map is exempt. Each page is loaded once at 320 px and then widened."""
    settings.ADMIN_REQUIRE_2FA = False  # the admin pages are checked signed in with a password
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 900},
                                  locale="en-US")
    context.route("https://**/*", lambda route: route.abort())
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10000)
    problems = []
    try:
        for name, setup in PAGES:
            page.set_viewport_size({"width": 320, "height": 900})
            setup(page)
            page.wait_for_load_state("load")  # measured before the stylesheets apply, a form is wider
            for width in (320, 640):
                page.set_viewport_size({"width": width, "height": 900})
                found = page.evaluate(OVERFLOW_JS)
                if found["scrollWidth"] > found["clientWidth"]:
                    problems.append(f"{name} at {width} px ({page.url}): {found}")
    finally:
        context.close()
    assert not problems, f"Pages scroll sideways in {language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", [code for code in ALL_LANGUAGES if code not in LANGUAGES])
def test_public_pages_have_no_wcag_violations_in_every_language(browser, live_server, reference_data,
                                                                 settings, language):
    """The axe run above, page by page in English and Spanish; here every public page in the
    other languages, in one browser tab per language to keep the run short."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.route("https://**/*", lambda route: route.abort())
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10000)
    problems = []
    try:
        for name, setup in PAGES:
            if name.startswith("admin-"):
                continue  # staff pages: checked in English and Spanish above
            setup(page)
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.lang") == language, name
            violations = run_axe(page)
            if violations:
                problems.append(f"{name} at {page.url}:\n{describe(violations)}")
    finally:
        context.close()
    assert not problems, f"WCAG violations in {language}:\n" + "\n".join(problems)


def test_arabic_lays_pages_out_right_to_left(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto("/")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        brand = page.locator(".navbar-brand").bounding_box()
        heading = page.locator("h1").bounding_box()
        # Bootstrap's RTL stylesheet puts the brand and the text against the right edge.
        assert brand["x"] > 1024 / 2 and heading["x"] + heading["width"] > 1024 * 0.8
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).textAlign") in {"right", "start"}
        # .me-auto is a left margin in bootstrap.rtl.min.css (a right one in the LTR file).
        assert page.evaluate("getComputedStyle(document.querySelector('.navbar-nav.me-auto')).marginLeft") != "0px"
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert not run_axe(page)
    finally:
        context.close()


def test_the_map_speaks_spanish_in_its_legend_markers_popups_and_status(page, live_server):
    make_event(title="Círculo de escucha", kind="dialogue", format="virtual", participants=12,
               host_name="Vecinos de Pilsen", latitude=41.8565, longitude=-87.6620)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}])
    page.goto("/map/")
    page.wait_for_selector("#healing-map[data-state=ready]")
    # Named by kind and format from the compact document, then by its title once reached.
    marker = page.locator("#healing-map .leaflet-marker-icon.hm-marker")
    assert marker.get_attribute("aria-label") == "Promover el diálogo · Virtual"
    assert page.locator("#map-status").inner_text() == "1 evento en el mapa."
    assert "Leyenda" in page.locator("main").inner_text()
    marker.focus()
    page.wait_for_selector("#healing-map .hm-marker[data-named=true]")
    assert marker.get_attribute("aria-label") == "Círculo de escucha (Promover el diálogo · Virtual)"
    assert marker.get_attribute("title") == "Círculo de escucha (Promover el diálogo · Virtual)"
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    popup.locator(".hm-popup-title").wait_for()  # the details are fetched when it opens
    text = popup.inner_text()
    assert "Organizado por Vecinos de Pilsen" in text and "Unos 12 participantes" in text
    assert "Abrir la página del evento" in text and "Open the event page" not in text
