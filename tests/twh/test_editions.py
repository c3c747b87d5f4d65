"""Campaign editions (twh/core/editions.py): the current-edition rule, closing, and a second
edition run and archived beside the first."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import moderation, reports
from events.models import EventReport, HealingEvent, HealingMessage
from summit.models import Summit
from tests.conftest import current_edition, event_form_data, make_event, make_message
from twh.core.antispam import make_form_token
from twh.core.editions import Edition, close_edition, first_edition_values

pytestmark = pytest.mark.django_db


def second_edition(**overrides) -> Edition:
    """The first edition moved a year back, and a second one running now."""
    today = timezone.localdate()
    current_edition(starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=340),
                    submissions_open_on=None, submissions_close_on=None)
    values = {"name": "Second year", "slug": "second-year", "starts_on": today - timedelta(days=10),
              "ends_on": today + timedelta(days=50)}
    return Edition.objects.create(**{**values, **overrides})


def test_the_migration_made_a_first_edition_from_the_settings_and_rows_default_to_it():
    first = Edition.objects.get()
    assert first.starts_on == date(2026, 12, 1) and first.ends_on == date(2027, 1, 31)
    assert first.slug == "2026-27"
    assert make_event().edition == first and make_message().edition == first


def test_the_first_edition_is_made_from_the_settings_when_there_is_none(settings):
    Edition.objects.all().delete()
    settings.CAMPAIGN_START, settings.CAMPAIGN_END = date(2020, 9, 1), date(2021, 6, 30)
    settings.SUBMISSIONS_CLOSE = date(2021, 5, 31)
    edition = Edition.objects.current()
    assert (edition.slug, edition.name, edition.submissions_close_on) == ("2020-21", "2020–21", date(2021, 5, 31))
    assert first_edition_values()["slug"] == "2020-21"


def test_current_is_the_latest_that_has_started_else_the_first_to_start():
    first = current_edition()
    today = timezone.localdate()
    later = Edition.objects.create(name="Next", slug="next", starts_on=today + timedelta(days=30),
                                   ends_on=today + timedelta(days=90))
    assert Edition.objects.current(today) == first
    assert Edition.objects.current(today + timedelta(days=30)) == later
    assert Edition.objects.current(first.starts_on - timedelta(days=1)) == first  # none started yet


def test_closing_stops_submissions_once():
    edition = current_edition()
    assert edition.accepts_submissions()
    assert close_edition(edition=edition) is True
    assert close_edition(edition=edition) is False
    edition.refresh_from_db()
    assert edition.is_closed and not edition.accepts_submissions()
    assert edition.sharing_window().has_ended


def test_the_admin_action_closes_an_edition_and_changes_public_data(client, superuser):
    from twh.core.publication import public_version

    edition = current_edition()
    before = public_version()
    client.force_login(superuser)
    response = client.post(reverse("admin:twh_edition_changelist"),
                           {"action": "close_editions", "_selected_action": [edition.pk]})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.is_closed and int(public_version()) > int(before)


def test_staff_create_an_edition_in_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:twh_edition_add"), {
        "name_en": "2022", "slug": "2022", "starts_on": "2022-09-01", "ends_on": "2022-12-31",
        "submissions_open_on": "", "submissions_close_on": "", "theme_en": "New activities.",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Edition.objects.get(slug="2022").theme == "New activities."


def test_a_closed_edition_refuses_events_and_messages_with_the_closed_page(client):
    close_edition(edition=current_edition())
    for url, data in [(reverse("events:submit"), event_form_data()),
                      (reverse("events:new_message"), {"text": "Peace.", "form_token": make_form_token(),
                                                       "homepage": ""})]:
        assert client.get(url).status_code == 403
        response = client.post(url, data)
        assert response.status_code == 403 and "Sharing is closed" in response.content.decode()
    assert not HealingEvent.objects.exists() and not HealingMessage.objects.exists()


def test_a_closed_editions_report_link_is_refused_and_its_summit_takes_no_sign_ups(client):
    from tests.events.test_reports import report_data

    event = make_event(starts_at=timezone.now() - timedelta(days=2))
    reports.request_report(event=event)
    event.refresh_from_db()
    link = reverse("events:report", args=[reports.make_report_token(event)])
    now = timezone.now()
    summit = Summit.objects.create(title="Summit", description="Together.", starts_at=now + timedelta(days=5),
                                   ends_at=now + timedelta(days=5, hours=2), capacity=50, is_current=True)
    assert summit.registration_state() == "open"
    close_edition(edition=event.edition)
    response = client.post(link, report_data())
    assert response.status_code == 403 and "edition of the campaign is closed" in response.content.decode()
    assert not EventReport.objects.exists()
    summit.refresh_from_db()
    assert summit.registration_state() == "closed"
    assert client.get(reverse("summit:new_reflection")).status_code == 403


def test_a_second_edition_runs_beside_the_archived_first(client, moderator):
    first = current_edition()
    old = make_event(title="First year circle")
    close_edition(edition=first)
    second = second_edition()
    assert Edition.objects.current() == second
    # Run: a submission goes to the current (second) edition, and is approved.
    response = client.post(reverse("events:submit"), event_form_data(title="Second year circle"))
    assert response.status_code == 302
    new = HealingEvent.objects.get(title="Second year circle")
    assert new.edition == second
    moderation.approve(new, moderator=moderator)
    # Both stay on the map, by filter; the default is the current edition.
    def titles(query=""):
        body = client.get(reverse("healingmap:events_geojson") + query).json()
        return sorted(f["properties"]["title"] for f in body["features"])
    assert titles() == ["Second year circle"]
    assert titles(f"?edition={first.slug}") == ["First year circle"]
    assert titles("?edition=all") == ["First year circle", "Second year circle"]
    # Archive the second: submissions stop, the map still shows it.
    close_edition(edition=second)
    assert client.post(reverse("events:submit"), event_form_data(title="Too late")).status_code == 403
    assert titles() == ["Second year circle"] and old.pk != new.pk


def test_the_current_editions_theme_is_on_the_home_page_marked_english_when_untranslated(client, settings):
    current_edition(theme_en="New activities, the same journey.")
    assert "New activities, the same journey." in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get("/").content.decode()
    assert '<p class="edition-theme mt-2 mb-0" lang="en" dir="ltr">New activities, the same journey.</p>' in html


def test_a_pending_event_in_a_closed_edition_can_no_longer_be_edited(client):
    import uuid

    from events.tokens import make_manage_token
    from twh.core.moderation import Status

    event = make_event(status=Status.PENDING, submission_token=uuid.uuid4())
    path = reverse("events:manage", args=[make_manage_token(event)])
    assert 'name="title"' in client.get(path).content.decode()
    close_edition(edition=event.edition)
    assert 'name="title"' not in client.get(path).content.decode()
    client.post(path, {**event_form_data(), "title": "Changed"})
    event.refresh_from_db()
    assert event.title != "Changed"


def test_pages_without_a_database_fall_back_to_the_settings_dates(rf, monkeypatch, settings):
    from django.db import OperationalError

    from twh.context_processors import site

    def gone(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(Edition.objects, "current", gone)
    context = site(rf.get("/"))
    assert context["campaign_start"] == settings.CAMPAIGN_START and context["sharing"].is_open


def test_each_process_remembers_the_current_edition_briefly_and_forgets_it_when_one_is_saved(
        settings, django_assert_num_queries):
    settings.EDITION_MEMO_SECONDS = 60
    today = timezone.localdate()
    first = current_edition(starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=340))
    assert Edition.objects.current() == first
    with django_assert_num_queries(0):
        assert Edition.objects.current() == first  # remembered
    newer = Edition.objects.create(name="Next", slug="next-one", starts_on=today - timedelta(days=10),
                                   ends_on=today + timedelta(days=50))
    assert Edition.objects.current() == newer  # saved here: forgotten at once
    Edition.objects.filter(pk=newer.pk).update(starts_on=today + timedelta(days=30))
    assert Edition.objects.current() == newer  # a change no signal sees waits out the memo
    settings.EDITION_MEMO_SECONDS = 0
    assert Edition.objects.current() == first
    # A filtered queryset is never answered from the memo.
    settings.EDITION_MEMO_SECONDS = 60
    assert Edition.objects.filter(pk=first.pk).current() == first  # the memo still says "newer"
