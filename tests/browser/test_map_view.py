"""The Healing Map's starting view (issue 12, item 13): it fits the data, so no marker or cluster
is cropped at an edge when the page loads."""

import pytest

from tests.browser.map_helpers import wait_for_map
from tests.conftest import area, make_event

pytestmark = pytest.mark.django_db(transaction=True)

# Every marker and cluster icon, with the events it stands for and whether it is wholly inside the map.
ICONS_JS = """() => {
    const box = document.getElementById('healing-map').getBoundingClientRect();
    return [...document.querySelectorAll('#healing-map .leaflet-marker-icon')].map(icon => {
        const r = icon.getBoundingClientRect();
        const number = icon.querySelector('[aria-hidden=true]');
        return {
            events: icon.classList.contains('hm-cluster') ? parseInt(number.textContent, 10) : 1,
            inside: r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom,
            title: icon.getAttribute('title') || icon.textContent,
        };
    });
}"""

# The city's far corners: Rogers Park, O'Hare, Hegewisch, South Chicago; and a few in the middle.
CORNERS = [(1, 42.0106, -87.6711), (76, 41.9731, -87.9055), (55, 41.6684, -87.5356), (46, 41.7371, -87.5475)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 375, "height": 667}],
                         ids=["1280px", "375px"])
def test_every_marker_and_cluster_is_inside_the_starting_view(page, viewport):
    for number, latitude, longitude in CORNERS:
        make_event(title=f"Corner {number}", community_area=area(number), latitude=latitude, longitude=longitude)
    for _ in range(3):
        make_event()  # the Loop: a cluster
    page.set_viewport_size(viewport)
    page.goto("/map/")
    wait_for_map(page, len(CORNERS) + 3)
    icons = page.evaluate(ICONS_JS)
    cropped = [icon["title"] for icon in icons if not icon["inside"]]
    assert not cropped, f"cut off or outside the view: {cropped}"
    assert sum(icon["events"] for icon in icons) == len(CORNERS) + 3
