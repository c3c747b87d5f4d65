"""The moderation queue as staff see it on a 1,400 px screen."""

import pytest

from tests.browser.test_accessibility import staff
from tests.conftest import area, make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_events_list_fits_a_1400_px_screen_with_every_column_in_view(page, settings):
    settings.ADMIN_REQUIRE_2FA = False
    page.set_viewport_size({"width": 1400, "height": 900})
    for n in range(3):
        make_event(title=f"A long evening of story circles and shared food for neighbours {n}",
                   status=Status.PENDING, community_area=area(8))  # Near North Side: a long name
    staff("/admin/events/healingevent/")(page)
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    # The results table scrolls inside its own box: every column must be inside that box.
    results = page.locator("#changelist .results")
    visible_right = results.evaluate("el => el.getBoundingClientRect().right")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    for column in ("column-submitted_on", "column-needs_location", "column-status"):
        box = page.locator(f"#result_list th.{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= visible_right + 1, (column, box)
