"""The map helpers live once in static/js/map-common.js, loaded before every map script."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import make_event

JS = Path(__file__).resolve().parents[2] / "static" / "js"
USERS = ["healing-map-data.js", "healing-map.js", "map-event.js", "pin-map.js",
         "admin-location-map.js", "embed-builder.js"]


@pytest.mark.parametrize("script", USERS)
def test_no_map_script_keeps_its_own_copy_of_the_shared_helpers(script):
    source = (JS / script).read_text()
    for copy in (r"var KINDS\s*=", r"function round\(", r"function node\(", r"function kindIcon\(",
                 r"function areaIcon\(", r"function getJson\(", r"new FormData\(", r"\"hm-marker hm-"):
        assert not re.search(copy, source), (script, copy)


def _scripts(html: str) -> list[str]:
    return re.findall(r'<script src="[^"]*/js/([\w.-]+?)(?:\.[0-9a-f]{12})?\.js"', html)


@pytest.mark.django_db
def test_each_map_page_loads_map_common_before_its_scripts(client, moderator):
    event = make_event(format="in_person")
    pages = {reverse("healingmap:map"): "healing-map-data", reverse("healingmap:embed"): "healing-map-data",
             reverse("events:detail", args=[event.pk]): "map-event",
             reverse("events:submit"): "pin-map", reverse("healingmap:embed_builder"): "embed-builder"}
    for url, first_user in pages.items():
        scripts = _scripts(client.get(url).content.decode())
        assert "map-common" in scripts and first_user in scripts, (url, scripts)
        assert scripts.index("map-common") < scripts.index(first_user), (url, scripts)
    client.force_login(moderator)
    html = client.get(reverse("admin:events_healingevent_change", args=[event.pk])).content.decode()
    assert html.index("js/map-common.js") < html.index("js/admin-location-map.js")
