"""The staff pages as staff read them: checkboxes, the queue's order, app names, history actors
and the intake defaults."""

import uuid

import pytest
from django.urls import reverse

from events import services
from events.models import HealingEvent
from tests.conftest import event_form_data, make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/healingevent/"


def test_stakeholders_are_checkboxes_and_save_as_a_list(client, moderator):
    event = make_event(status=Status.PENDING, stakeholders=["youth"])
    client.force_login(moderator)
    url = reverse("admin:events_healingevent_change", args=[event.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'type="checkbox" name="stakeholders" value="youth"' in html
    assert '["youth"]' not in html  # no raw JSON to edit
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["starts_at_0"], data["starts_at_1"] = event.starts_at.strftime("%Y-%m-%d"), "18:00:00"
    data.pop("starts_at", None)
    data.pop("ends_at", None)
    data.update({"ends_at_0": "", "ends_at_1": "", "stakeholders": ["youth", "faith"]})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.stakeholders == ["youth", "faith"]


def test_the_queue_is_pending_first_even_when_a_decided_event_is_newer(client, moderator):
    older = make_event(title="Older pending", status=Status.PENDING)
    newer = make_event(title="Newer pending", status=Status.PENDING)
    make_event(title="Newest approved")
    client.force_login(moderator)
    titles = [e.title for e in client.get(CHANGELIST).context["cl"].result_list]
    assert titles[:3] == [newer.title, older.title, "Newest approved"]
    # A column a moderator sorts by still wins.
    sorted_titles = [e.title for e in client.get(CHANGELIST + "?o=1").context["cl"].result_list]
    assert sorted_titles == sorted(sorted_titles)


def test_the_admin_names_its_sections_for_staff(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "Two-factor devices" in html
    assert ">OTP_TOTP<" not in html and "Otp_Totp" not in html
    assert ">TWH<" not in html and ">Twh<" not in html


def test_history_names_the_submitter_for_changes_made_through_the_site(client, moderator):
    event, _created = services.submit_event(
        data=_event_data(), submission_token=uuid.uuid4(),
    )
    services.update_pending_event(event=event, data={**_event_data(), "title": "Corrected title"})
    services.withdraw_event(event=event)
    client.force_login(moderator)
    html = client.get(reverse("admin:events_healingevent_history", args=[event.pk])).content.decode()
    assert "the submitter, through the web form" in html
    assert html.count("the submitter, through their private link") == 4  # 2 rows: "Changed by" and "Change reason"
    assert "Deleted user" not in html and "<td>\n            None" not in html


def test_history_names_the_site_when_nothing_else_is_known(client, moderator):
    event = make_event(status=Status.PENDING)
    client.force_login(moderator)
    html = client.get(reverse("admin:events_healingevent_history", args=[event.pk])).content.decode()
    assert "the site itself (no staff account)" in html


def test_the_add_page_defaults_the_source_to_entered_by_staff(client, moderator):
    client.force_login(moderator)
    form = client.get(reverse("admin:events_healingevent_add")).context["adminform"].form
    assert form["source"].value() == HealingEvent.Source.STAFF


def test_the_language_is_a_choice_of_the_site_languages(client, moderator):
    client.force_login(moderator)
    html = client.get(reverse("admin:events_healingevent_add")).content.decode()
    assert '<select name="language"' in html and '<option value="es">' in html


def _event_data():
    from events.models import CommunityArea

    data = {k: v for k, v in event_form_data().items() if k in services.EventDetails.__annotations__}
    data.update({"community_area": CommunityArea.objects.get(number=41), "ends_at": None,
                 "starts_at": make_event().starts_at, "participants": 10, "stakeholders": [],
                 "message_consent": True, "publish_exact_location": False,
                 "latitude": 41.79, "longitude": -87.6})
    return data
