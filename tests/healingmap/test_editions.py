"""The Healing Map by campaign edition: the current one by default, a past one by ?edition=,
all of them with ?edition=all, and a bad edition answered with 400, never 500."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import current_edition, make_event
from twh.core.editions import Edition, close_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editions():
    today = timezone.localdate()
    first = current_edition(starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=340))
    make_event(title="Old circle", starts_at=timezone.now() - timedelta(days=380), edition=first)
    close_edition(edition=first)
    second = Edition.objects.create(name="This year", slug="this-year", starts_on=today - timedelta(days=5),
                                    ends_on=today + timedelta(days=60))
    make_event(title="New circle", edition=second)
    return first, second


def _titles(client, url):
    return sorted(f["properties"]["title"] for f in client.get(url).json()["features"])


@pytest.mark.parametrize("name", ["events_geojson", "events_csv", "markers", "map", "event_list"])
@pytest.mark.parametrize("value", ["1999-00", "<script>", "ALL", "x" * 300])
def test_an_unknown_edition_is_a_400_never_a_500(client, two_editions, name, value):
    response = client.get(reverse(f"healingmap:{name}"), {"edition": value})
    assert response.status_code == 400
    if name in ("events_geojson", "events_csv", "markers"):
        assert "edition" in response.json()["parameters"]
    else:
        assert "There is no campaign edition" in response.content.decode()


def test_the_current_edition_is_the_default_and_any_other_is_a_filter(client, two_editions):
    first, second = two_editions
    url = reverse("healingmap:events_geojson")
    assert _titles(client, url) == ["New circle"]
    assert _titles(client, f"{url}?edition={first.slug}") == ["Old circle"]
    assert _titles(client, f"{url}?edition={second.slug}") == ["New circle"]
    assert _titles(client, f"{url}?edition=all") == ["New circle", "Old circle"]


def test_the_csv_list_and_feed_follow_the_edition(client, two_editions):
    first, _second = two_editions
    response = client.get(reverse("healingmap:events_csv"), {"edition": first.slug})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [row["title"] for row in rows] == ["Old circle"]
    listing = client.get(reverse("healingmap:event_list"), {"edition": first.slug}).content.decode()
    assert "Old circle" in listing and "New circle" not in listing
    assert "New circle" in client.get(reverse("healingmap:event_list")).content.decode()


def test_the_map_page_offers_every_edition_in_its_filters(client, two_editions):
    first, second = two_editions
    html = client.get(reverse("healingmap:map")).content.decode()
    assert 'name="edition"' in html
    for value in ("", first.slug, second.slug, "all"):
        assert f'<option value="{value}"' in html
    chosen = client.get(reverse("healingmap:map"), {"edition": first.slug}).content.decode()
    assert f'<option value="{first.slug}" selected' in chosen
    assert f"edition={first.slug}" in chosen  # the data and download links keep the choice


def test_a_new_current_edition_is_not_served_the_old_ones_cached_document(client, two_editions):
    first, second = two_editions
    url = reverse("healingmap:markers")
    assert len(client.get(url).json()["events"]) == 1
    Edition.objects.filter(pk=second.pk).update(starts_on=timezone.localdate() + timedelta(days=5))
    # No public-data change: only which edition is current moved (its start is now ahead).
    events = client.get(url).json()["events"]
    assert len(events) == 1 and Edition.objects.current() == first


# --- The open-data archive


def test_export_open_data_writes_the_editions_zip_without_contact_details(tmp_path, two_editions, settings):
    first, _second = two_editions
    settings.OPEN_DATA_LICENCE = "Open Data Commons test licence 1.0"
    make_event(title="Old virtual", starts_at=timezone.now() - timedelta(days=370), edition=first,
               host_type="individual", host_name="", contact_email="secret.person@example.net")
    path = tmp_path / "archive.zip"
    call_command("export_open_data", "--edition", first.slug, "--output", str(path))
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(["README.txt", f"healing-events-{first.slug}.geojson",
                                f"healing-events-{first.slug}.csv", "data-dictionary.csv"])
        contents = {name: archive.read(name).decode() for name in names}
    readme = contents["README.txt"]
    assert "Open Data Commons test licence 1.0" in readme and first.name in readme
    features = json.loads(contents[f"healing-events-{first.slug}.geojson"])["features"]
    titles = sorted(f["properties"].get("title", "") for f in features if "title" in f["properties"])
    assert "Old circle" in titles and "New circle" not in titles
    rows = list(csv.DictReader(io.StringIO(contents[f"healing-events-{first.slug}.csv"])))
    assert sorted(row["title"] for row in rows) == ["Old circle", "Old virtual"]
    assert "participants" in contents["data-dictionary.csv"]
    everything = "\n".join(contents.values())
    assert "@" not in everything  # no email address anywhere in the archive
    assert "example.net" not in everything and "Private Person" not in everything
    assert "312-555" not in everything


def test_export_open_data_names_the_known_editions_for_an_unknown_one(two_editions):
    with pytest.raises(CommandError, match="Known editions: .*this-year"):
        call_command("export_open_data", "--edition", "nope")


def test_the_default_licence_names_the_citys_open_data_terms():
    from django.conf import settings

    assert "open-data terms" in settings.OPEN_DATA_LICENCE and settings.CAMPAIGN_CITY in settings.OPEN_DATA_LICENCE


def _coverage_events(client, **params):
    response = client.get(reverse("healingmap:coverage"), params)
    assert response.status_code == 200
    assert response.context["totals"]["events"] == sum(row.area.events for row in response.context["areas"])
    return response.context["totals"]["events"]


def test_coverage_counts_the_shown_edition(client, two_editions):
    from events.models import CommunityArea, HealingEvent
    first, _second = two_editions
    HealingEvent.objects.update(community_area=CommunityArea.objects.get(number=32))
    assert _coverage_events(client) == 1  # the current edition's one event
    assert _coverage_events(client, edition=first.slug) == 1
    assert _coverage_events(client, edition="all") == 2
    page = client.get(reverse("healingmap:coverage"), {"edition": first.slug}).content.decode()
    assert f"edition={first.slug}" in page  # the map's data and the sort links keep the edition


@pytest.mark.parametrize("name", ["coverage", "coverage_geojson"])
def test_coverage_refuses_an_unknown_edition_with_400(client, two_editions, name):
    response = client.get(reverse(f"healingmap:{name}"), {"edition": "1999-00"})
    assert response.status_code == 400
    assert "There is no campaign edition" in response.content.decode()
