"""The staff impact dashboard: figures against known data, CSV, dates, and who may see it."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import HealingEvent
from summit.models import Reflection, Registration, Summit
from tests.conftest import area, make_event, make_message
from twh.core.csv import safe_cell
from twh.core.moderation import Status
from twh.dashboard import build_dashboard

pytestmark = pytest.mark.django_db

URL = "/admin/dashboard/"


def at(day: str, hour: int = 18):
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=hour))


@pytest.fixture
def data():
    """Known rows: 4 approved events in 2 areas over 3 weeks, plus others that must not count."""
    make_event(starts_at=at("2026-12-01"), kind="dialogue", format="virtual", participants=10,
               community_area=area(32))
    make_event(starts_at=at("2026-12-03"), kind="dialogue", format="in_person", participants=20,
               community_area=area(32))
    make_event(starts_at=at("2026-12-16"), kind="learning", format="hybrid", participants=30,
               community_area=area(41))
    make_event(starts_at=at("2026-12-17"), kind="connections", format="virtual", participants=40,
               community_area=area(41))
    make_event(starts_at=at("2026-12-02"), status=Status.PENDING, participants=500)
    make_event(starts_at=at("2026-12-02"), status=Status.PENDING, participants=500)
    make_event(starts_at=at("2026-12-02"), status=Status.REJECTED, participants=500)
    make_event(starts_at=at("2026-12-02"), status=Status.WITHDRAWN, participants=500)
    make_message()
    make_message(status=Status.PENDING)
    summit = Summit.objects.create(title="Summit", description="d", starts_at=at("2027-01-20"),
                                   ends_at=at("2027-01-20", 21), capacity=2)
    Registration.objects.create(summit=summit, status="confirmed", name="A", email="a@example.net",
                                role="partner", needs_asl=True)
    Registration.objects.create(summit=summit, status="confirmed", name="B", email="b@example.net",
                                role="partner")
    Registration.objects.create(summit=summit, status="waitlisted", name="C", email="c@example.net",
                                role="other", queued_at=timezone.now(), access_needs_other="Quiet room")
    Registration.objects.create(summit=summit, status="cancelled", name="D", email="d@example.net",
                                role="other", needs_captions=True)
    Reflection.objects.create(theme="progress", text="We grew", status=Status.APPROVED)
    Reflection.objects.create(theme="forward", text="Next year", status=Status.PENDING)


def figures(table) -> dict:
    return {str(row[0]): row[1:] if len(row) > 2 else row[1] for row in table.rows}


def test_totals_match_the_data(data):
    board = build_dashboard()
    totals = figures(board["totals"])
    assert totals["Events received"] == 8
    assert totals["Approved events"] == 4
    assert totals["Participants (sum of hosts' estimates)"] == 100
    assert totals["Community areas reached"] == 2
    assert totals["Messages of healing received"] == 2
    assert totals["Messages of healing approved"] == 1
    assert totals["Reflections received"] == 2 and totals["Reflections approved"] == 1
    assert totals["Summit registrations (confirmed)"] == 2
    assert totals["Summit waitlist"] == 1
    assert totals["Open access-needs requests"] == 2  # A (ASL) and C (other); D cancelled
    assert figures(board["status"]) == {"Pending review": 2, "Approved": 4, "Rejected": 1, "Withdrawn": 1}


def test_breakdowns_match_the_data(data):
    board = build_dashboard()
    # [approved events, estimated participants, events with an approved report, reported participants]
    assert figures(board["kind"]) == {"Promote Dialogue": [2, 30, 0, 0], "Encourage Collaboration": [0, 0, 0, 0],
                                      "Facilitate Learning": [1, 30, 0, 0], "Seed Connections": [1, 40, 0, 0]}
    assert figures(board["format"]) == {"Virtual": [2, 50, 0, 0], "In person": [1, 20, 0, 0],
                                        "Hybrid": [1, 30, 0, 0]}
    # Weeks start on Monday (Chicago time); the empty week between is shown as zero.
    assert [[str(r[0]), r[1], r[2]] for r in board["week"].rows] == [
        ["2026-11-30", 2, 30], ["2026-12-07", 0, 0], ["2026-12-14", 2, 70]]
    by_area = {row[0]: row[2:] for row in board["area"].rows}
    assert len(by_area) == 77 and by_area[32] == [2, 30, 0, 0] and by_area[41] == [2, 70, 0, 0]
    assert by_area[8] == [0, 0, 0, 0]
    empty = [row[0] for row in board["empty_areas"].rows]
    assert len(empty) == 75 and 32 not in empty and 41 not in empty


def test_the_queue_and_its_oldest_item(data):
    HealingEvent.objects.filter(status=Status.PENDING).update(submitted_at=timezone.now() - timedelta(days=5))
    board = build_dashboard()
    queue = {str(row[0]): row[1:] for row in board["queue"].rows}
    assert queue["Healing events"][0] == 2 and queue["Messages of healing"][0] == 1
    assert queue["Reflections"][0] == 1
    assert queue["All"][0] == 4 and queue["All"][2] == "5 days"
    assert board.queue_size == 4


def test_date_range_limits_events_by_their_date(data):
    board = build_dashboard(start=at("2026-12-14").date(), end=at("2026-12-16").date())
    totals = figures(board["totals"])
    assert totals["Approved events"] == 1 and totals["Participants (sum of hosts' estimates)"] == 30
    assert figures(board["status"])["Pending review"] == 0
    # The queue is always now.
    assert figures(board["queue"])["All"][0] == 4


def test_week_chart_is_accessible_svg_with_its_table(admin_client, data):
    html = admin_client.get(URL).content.decode()
    assert 'role="img"' in html and 'aria-labelledby="chart-svg-title chart-svg-desc"' in html
    assert '<title id="chart-svg-title">Approved events by week</title>' in html
    assert "3 weeks, from" in html and "the busiest week had 2 approved events" in html
    assert html.count("<rect") >= 3 and "Week of Nov 30: 2 approved events" in html
    assert 'id="table-week"' in html


def test_page_shows_every_table_with_its_csv_link(admin_client, data):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("totals", "status", "kind", "format", "week", "area", "empty_areas", "queue"):
        assert f'id="table-{slug}"' in html
        assert f'href="/admin/dashboard/{slug}.csv"' in html
    assert "Participants (sum of hosts&#x27; estimates)" in html


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_download_matches_the_table(admin_client, data):
    response = admin_client.get("/admin/dashboard/kind.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="twh-kind.csv"' == response["Content-Disposition"]
    assert read_csv(response) == [
        ["Kind", "Approved events", "Participants (sum of hosts' estimates)",
         "Events with an approved report", "Participants reported (approved reports)"],
        ["Promote Dialogue", "2", "30", "0", "0"], ["Encourage Collaboration", "0", "0", "0", "0"],
        ["Facilitate Learning", "1", "30", "0", "0"], ["Seed Connections", "1", "40", "0", "0"],
    ]


def test_csv_keeps_the_date_range(admin_client, data):
    response = admin_client.get("/admin/dashboard/totals.csv", {"start": "2026-12-14", "end": "2026-12-31"})
    rows = dict(read_csv(response)[1:])
    assert rows["Approved events"] == "2"
    assert "2026-12-14_2026-12-31" in response["Content-Disposition"]


def test_csv_neutralises_formulas(admin_client):
    a = area(32)
    a.name = "=HYPERLINK(\"http://evil\")"
    a.save()
    rows = read_csv(admin_client.get("/admin/dashboard/area.csv"))
    assert ["32", "'=HYPERLINK(\"http://evil\")", "0", "0", "0", "0"] in rows
    assert [safe_cell(v) for v in ("+1", "-1", "@x", "\tx", "ok", 5)] == ["'+1", "'-1", "'@x", "'\tx", "ok", 5]


def test_unknown_csv_table_is_404(admin_client):
    assert admin_client.get("/admin/dashboard/nope.csv").status_code == 404


@pytest.mark.parametrize("query,message", [
    ({"start": "2026-13-01"}, "Enter a valid date"),
    ({"start": "yesterday"}, "Enter a valid date"),
    ({"start": "2026-12-31", "end": "2026-12-01"}, "The end date is before the start date"),
    ({"start": "1900-01-01"}, "between 2000 and 2100"),
])
def test_bad_dates_re_render_with_errors(admin_client, query, message):
    response = admin_client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'value="{query["start"]}"' in html
    assert admin_client.get("/admin/dashboard/totals.csv", query).status_code == 400


def test_anonymous_users_are_sent_to_the_login(client):
    for url in (URL, "/admin/dashboard/totals.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_non_staff_users_are_refused(client, data):
    user = get_user_model().objects.create_user("resident", "r@example.net", "a-long-test-password-3")
    client.force_login(user)
    for url in (URL, "/admin/dashboard/totals.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert b"Approved events" not in response.content


def test_moderators_see_it_and_the_admin_index_links_to_it(client, moderator, data):
    client.force_login(moderator)
    assert client.get(URL).status_code == 200
    assert 'href="/admin/dashboard/"' in client.get("/admin/").content.decode()


def test_the_outreach_list_puts_the_lowest_rate_first_with_a_host_link(admin_client):
    from events.models import CommunityArea

    CommunityArea.objects.filter(number__in=(6, 37, 41, 8)).update(population=10000, population_year=2020)
    CommunityArea.objects.filter(number=6).update(population=100000)
    CommunityArea.objects.filter(number=41).update(population=20000)
    make_event(community_area=area(37), participants=10)
    make_event(community_area=area(6), participants=10)
    make_event(community_area=area(41), participants=10)
    make_event(community_area=area(32), participants=10)  # no resident figure: not ranked
    rows = build_dashboard()["outreach"].rows
    # 8: none yet (0); 6: 0.1 per 10,000; 41: 0.5; 37: 1.0.
    assert [row[0] for row in rows] == [8, 6, 41, 37]
    assert rows[1] == [6, "Lake View", 100000, 1, 0.1, 0.1]
    html = admin_client.get(URL).content.decode()
    section = html[html.index('id="table-outreach"'):]
    section = section[:section.index("</section>")]
    assert section.count('href="/host/"') == 4 and "Host one here" in section
    assert section.index("Near North Side") < section.index("Lake View") < section.index("Fuller Park")
    assert [r[0] for r in read_csv(admin_client.get("/admin/dashboard/outreach.csv"))[1:]] == ["8", "6", "41", "37"]


def test_without_residents_the_outreach_list_says_how_to_load_them(admin_client):
    html = admin_client.get(URL).content.decode()
    assert "manage.py load_population" in html


@pytest.mark.parametrize("hours,expected", [
    (1, "1 godzina"), (2, "2 godziny"), (5, "5 godzin"), (22, "22 godziny"), (47, "47 godzin"),
    (48, "2 dni"), (24 * 22, "22 dni"),
])
def test_the_queue_age_takes_the_polish_plural_forms(hours, expected):
    from django.utils import translation

    from twh.dashboard import _age

    now = timezone.now()
    with translation.override("pl"):
        assert _age(now - timedelta(hours=hours), now) == expected


def test_the_chart_summary_takes_the_polish_plural_forms():
    from django.utils import translation

    from twh.dashboard import _chart_summary

    with translation.override("pl"):
        assert _chart_summary(5, "1 mar", "29 mar", 3) == (
            "5 tygodni, od 1 mar do 29 mar; w najbardziej pracowitym tygodniu zatwierdzono 3 wydarzenia.")
    with translation.override("en"):
        assert _chart_summary(1, "a", "b", 1) == "1 week, from a to b; the busiest week had 1 approved event."


def test_editions_side_by_side_count_new_areas_against_earlier_editions(admin_client):
    from tests.conftest import current_edition
    from twh.core.editions import Edition

    first = current_edition()
    make_event(community_area=area(32), participants=10)
    make_event(community_area=area(41), participants=5)
    make_event(community_area=area(41), status=Status.PENDING)
    second = Edition.objects.create(name="Second", slug="second", starts_on=first.starts_on + timedelta(days=365),
                                    ends_on=first.ends_on + timedelta(days=365))
    make_event(community_area=area(41), participants=7, edition=second)  # reached before
    make_event(community_area=area(8), participants=3, edition=second)  # new this edition
    table = build_dashboard()["editions"]
    assert table.headers[1:] == [first.name, "Second"]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Approved events"] == [2, 2]
    assert rows["Participants (sum of hosts' estimates)"] == [15, 10]
    assert rows["Community areas reached"] == [2, 2]
    assert rows["New community areas reached this edition"] == [2, 1]
    html = admin_client.get(URL).content.decode()
    assert "Campaign editions side by side" in html and "table-editions" in html
    rows = list(csv.reader(io.StringIO(admin_client.get("/admin/dashboard/editions.csv").content.decode())))
    assert rows[0] == ["Figure", first.name, "Second"]
