"""Details every page shares: select labels that fit in Spanish, the site's colours on
pagination, print styles, and date fields' focus ring and tab stops."""

import pytest

from tests.conftest import make_message

pytestmark = pytest.mark.django_db(transaction=True)

# The width the selected option's text needs, against the room the select gives it.
SELECT_FITS_JS = """(select) => {
    const style = getComputedStyle(select);
    const canvas = document.createElement("canvas").getContext("2d");
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = canvas.measureText(select.options[select.selectedIndex].text).width;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return [Math.ceil(text), Math.floor(room)];
}"""


@pytest.mark.parametrize("width", [375, 992, 1280])
def test_map_filter_selects_show_their_whole_label_in_spanish(page, live_server, width):
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/map/list/")
    for select in page.locator("#map-filters select").all():
        if not select.is_visible():
            continue
        text, room = select.evaluate(SELECT_FITS_JS)
        assert text <= room, (select.get_attribute("id"), text, room)


def test_the_messages_wall_pagination_uses_the_site_colour(page, settings):
    from healingmap import views

    for n in range(views.MESSAGES_PAGE_SIZE + 1):
        make_message(text=f"Hope number {n}")
    page.goto("/map/messages/")
    active = page.locator(".pagination .active .page-link")
    assert active.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(91, 42, 134)"
    link = page.locator(".pagination a.page-link").first
    assert link.evaluate("el => getComputedStyle(el).color") == "rgb(91, 42, 134)"


@pytest.mark.parametrize(("path", "first", "second", "after"), [
    ("/map/list/", "id_start", "id_end", "id_area"),
    ("/events/submit/", "id_starts_at", "id_ends_at", "id_participants"),
])
def test_each_date_field_is_one_tab_stop_with_the_site_focus_ring(page, path, first, second, after):
    page.goto(path)
    page.locator(f"#{first}").focus()
    ring = page.locator(f"#{first}").evaluate("el => getComputedStyle(el).outlineWidth + ' ' + getComputedStyle(el).outlineStyle")
    assert ring == "3px solid"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == second
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == after
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == second
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == first
    # Inside the field the arrow keys still reach each part: typing a whole date works.
    page.locator(f"#{second}").focus()
    page.keyboard.type("12")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == second


def _printed(page):
    page.emulate_media(media="print")
    hidden = {selector: page.locator(selector).evaluate_all(
        "els => els.every(el => getComputedStyle(el).display === 'none')")
        for selector in (".site-header", ".site-footer", ".language-switcher", ".leaflet-control-container")}
    return hidden, page.locator("main h1").is_visible()


@pytest.mark.parametrize("what", ["event", "summit", "coverage"])
def test_printing_a_page_prints_its_content_without_navigation_or_map_controls(page, what):
    from tests.conftest import make_event

    if what == "event":
        page.goto(make_event().get_absolute_url())
        page.wait_for_selector(".leaflet-container")
    elif what == "summit":
        from tests.summit.conftest import make_summit

        make_summit()
        page.goto("/summit/")
    else:
        make_event()
        page.goto("/map/coverage/")
    hidden, heading = _printed(page)
    assert heading
    assert all(hidden.values()), hidden
