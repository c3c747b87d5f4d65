"""The pages: map, list, event detail, messages wall, embed framing, CSV and data dictionary."""

import csv
import io

import pytest
from django.urls import resolve, reverse

from events.models import HealingEvent
from healingmap.geojson import CSV_COLUMNS
from tests.conftest import area, make_event, make_message
from twh.core.csv import SafeWriter
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db

NAMES = ["map", "event_list", "messages", "embed", "data", "events_geojson", "events_csv"]


@pytest.mark.parametrize("name", NAMES)
def test_reverse_and_resolve_agree(name):
    assert resolve(reverse(f"healingmap:{name}")).url_name == name


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.WITHDRAWN])
def test_unapproved_events_are_404_and_absent_from_every_page(client, status):
    hidden = make_event(status=status, title=f"Hidden {status} event")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for name in ("map", "event_list", "events_geojson", "markers", "events_csv", "messages", "embed"):
        response = client.get(reverse(f"healingmap:{name}"))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert hidden.title not in content.decode()
        assert f"[{hidden.pk}," not in content.decode()  # not even its id in the markers
    assert client.get(reverse("healingmap:popup", args=[hidden.pk])).status_code == 404


def test_detail_page_shows_public_fields_and_a_small_map_of_the_public_point(client):
    event = make_event(title="Garden day", latitude=41.881234, longitude=-87.629876)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Garden day" in body
    assert f'data-lat="{event.public_latitude:.6f}"' in body
    assert f'data-lon="{event.public_longitude:.6f}"' in body
    assert "41.881234" not in body and event.contact_email not in body
    assert 'role="region"' in body


def test_detail_map_of_a_lone_individual_is_the_area_centre(client):
    loop = area(32)
    event = make_event(host_type=HealingEvent.HostType.INDIVIDUAL, host_name="Rosa")
    body = client.get(event.get_absolute_url()).content.decode()
    assert f'data-lat="{loop.centroid_latitude:.6f}"' in body
    assert f'data-lat="{event.public_latitude:.6f}"' not in body
    assert 'data-kind="area"' in body


def test_map_page_has_a_labelled_map_a_skip_link_legend_and_stats(client):
    make_event(participants=30)
    make_event(participants=12, community_area=area(3))
    response = client.get(reverse("healingmap:map"))
    body = response.content.decode()
    assert 'id="healing-map"' in body and 'role="region"' in body and 'aria-label="Map of healing events"' in body
    assert 'id="skip-map" href="/map/list/"' in body
    assert "Legend" in body and "Promote Dialogue" in body
    assert response.context["totals"]["events"] == 2
    assert response.context["totals"]["participants"] == 42
    assert response.context["totals"]["areas"] == 2
    assert 'data-stat="areas">2</span> of 77' in body
    assert "<script>" not in body  # no inline script without the nonce


def test_list_links_each_item_to_its_page(client):
    event = make_event(title="<b>Bold</b> circle")
    body = client.get(reverse("healingmap:event_list")).content.decode()
    assert f'href="{event.get_absolute_url()}"' in body
    assert "&lt;b&gt;Bold&lt;/b&gt; circle" in body and "<b>Bold</b>" not in body


def test_only_the_embed_may_be_framed(client, settings):
    embed = client.get(reverse("healingmap:embed"), {"area": "32"})
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    for name in ("map", "event_list", "messages", "data"):
        response = client.get(reverse(f"healingmap:{name}"))
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_embed_takes_the_filters_and_has_no_site_chrome(client):
    body = client.get(reverse("healingmap:embed"), {"area": "32"}).content.decode()
    assert 'data-geojson-url="/map/events.geojson?area=32"' in body
    assert "site-header" not in body and "site-footer" not in body
    assert 'data-link-target="_blank"' in body


def test_messages_wall_shows_approved_messages_from_events_and_ambassadors(client):
    make_event(message="From an event", message_consent=True)
    make_event(message="No consent here", message_consent=False)
    make_event(message="Pending words", status=Status.PENDING)
    make_message(text="From an ambassador", display_name="")
    make_message(text="Rejected words", status=Status.REJECTED)
    body = client.get(reverse("healingmap:messages")).content.decode()
    assert "From an event" in body and "From an ambassador" in body and "Anonymous" in body
    for hidden in ("No consent here", "Pending words", "Rejected words"):
        assert hidden not in body


def test_messages_wall_is_paginated(client):
    for i in range(30):
        make_message(text=f"Message number {i:02d}")
    first = client.get(reverse("healingmap:messages"))
    second = client.get(reverse("healingmap:messages"), {"page": 2})
    assert len(first.context["page"].object_list) == 24
    assert len(second.context["page"].object_list) == 6
    shown = {m["body"] for m in first.context["page"].object_list} | {m["body"] for m in second.context["page"].object_list}
    assert len(shown) == 30
    assert client.get(reverse("healingmap:messages"), {"page": "x"}).status_code == 400


def test_csv_has_the_columns_and_neutralizes_formulas(client):
    make_event(title="=HYPERLINK(\"http://evil\")", host_name="+cmd", message="@SUM(1)")
    response = client.get(reverse("healingmap:events_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "'=HYPERLINK(\"http://evil\")"
    assert row["host_name"] == "'+cmd"
    assert row["message"] == "'@SUM(1)"
    assert row["url"].startswith("http://testserver/events/")
    assert row["location_precision"] == "approximate"
    assert float(row["longitude"]) < 0 and not row["longitude"].startswith("'")


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("-2", "'-2"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("@a", "'@a"),
    ("plain", "plain"), (True, "true"), (None, ""), (12, "12"), (-87.6, "-87.6"),
])
def test_safe_csv_cell(value, expected):
    out = io.StringIO()
    SafeWriter(out).writerow([value])
    assert next(csv.reader(io.StringIO(out.getvalue()), lineterminator="\n")) == [expected]


def test_data_dictionary_describes_every_column_and_the_privacy_rules(client, settings):
    settings.MAP_SMALL_COUNT_K = 4
    body = client.get(reverse("healingmap:data")).content.decode()
    for column in CSV_COLUMNS:
        assert f"<code>{column}</code>" in body
    assert "fewer than 4" in body and "500 m" in body
