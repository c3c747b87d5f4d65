"""Moderation in admin: the queue, bulk approve, reject with a reason, emails, audit trail,
the Moderators group and assisted intake."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from events.models import HealingEvent
from tests.conftest import make_event, make_message
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/healingevent/"


def test_the_queue_lists_newest_pending_first(client, moderator):
    approved = make_event(title="Old approved")
    older = make_event(title="Older pending", status=Status.PENDING)
    newer = make_event(title="Newer pending", status=Status.PENDING)
    client.force_login(moderator)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    titles = [e.title for e in response.context["cl"].result_list]
    assert titles[:3] == [newer.title, older.title, approved.title]
    for filter_param in ("status__exact=pending", "kind__exact=dialogue", "needs_location__exact=1",
                         "format__exact=virtual", "q=Older"):
        assert client.get(f"{CHANGELIST}?{filter_param}").status_code == 200


def test_bulk_approve_publishes_and_emails_a_link(client, moderator, django_capture_on_commit_callbacks):
    event = make_event(status=Status.PENDING)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [event.pk]})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.APPROVED and event.moderated_by == moderator
    assert event.moderated_at is not None
    (email,) = mail.outbox
    assert email.to == [event.contact_email]
    link = f"/events/{event.pk}/"
    assert link in email.body
    assert client.get(link).status_code == 200


def test_reject_asks_for_a_reason_then_emails_it(client, moderator, django_capture_on_commit_callbacks):
    event = make_event(status=Status.PENDING)
    client.force_login(moderator)
    page = client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": [event.pk]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Identifies a private person" in html and "Hateful or abusive language" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {
            "action": "reject_selected", "_selected_action": [event.pk], "apply": "1",
            "reason": "commercial", "note": "Please share the healing part only.",
        })
    event.refresh_from_db()
    assert event.status == Status.REJECTED and event.rejection_reason == "commercial"
    (email,) = mail.outbox
    assert "Commercial or promotional" in email.body and "healing part only" in email.body
    assert client.get(f"/events/{event.pk}/").status_code == 404


def test_an_invalid_reason_changes_nothing(client, moderator):
    event = make_event(status=Status.PENDING)
    client.force_login(moderator)
    response = client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": [event.pk],
                                        "apply": "1", "reason": "because"})
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.status == Status.PENDING


def test_messages_are_moderated_the_same_way(client, moderator, django_capture_on_commit_callbacks):
    message = make_message(status=Status.PENDING)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/events/healingmessage/", {"action": "approve_selected",
                                                      "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == Status.APPROVED
    assert mail.outbox[0].to == [message.email] and "/map/messages/" in mail.outbox[0].body


def test_deciding_twice_sends_one_email(moderator, django_capture_on_commit_callbacks):
    from events.moderation import approve

    event = make_event(status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(event, moderator=moderator) is True
        assert approve(event, moderator=moderator) is False
    assert len(mail.outbox) == 1


def test_a_withdrawn_event_cannot_be_approved(moderator):
    from events.moderation import approve

    event = make_event(status=Status.WITHDRAWN)
    assert approve(event, moderator=moderator) is False
    event.refresh_from_db()
    assert event.status == Status.WITHDRAWN


def test_audit_trail_records_who_changed_what(client, moderator):
    event = make_event(status=Status.PENDING)
    client.force_login(moderator)
    client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [event.pk]})
    history = event.history.order_by("history_date")
    assert [h.status for h in history] == [Status.PENDING, Status.APPROVED]
    assert history.last().history_user == moderator
    page = client.get(reverse("admin:events_healingevent_history", args=[event.pk]))
    assert page.status_code == 200 and "moderator" in page.content.decode()
    # contact details are not copied into the history tables
    assert not hasattr(history.last(), "contact_email")


def test_moderators_have_exactly_the_moderation_permissions(client, moderator):
    group = Group.objects.get(name="Moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"moderate_healingevent", "change_healingevent", "add_healingevent",
            "moderate_healingmessage", "view_healingmessage"} <= codenames
    assert not any(c.startswith("delete_") for c in codenames)
    assert not any(c.endswith("_user") or c.endswith("_group") for c in codenames)
    assert not moderator.is_superuser
    client.force_login(moderator)
    assert client.get("/admin/auth/user/").status_code == 403
    event = make_event()
    assert client.get(reverse("admin:events_healingevent_delete", args=[event.pk])).status_code == 403


def test_staff_without_the_group_cannot_moderate(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="a-long-test-password-3", is_staff=True)
    event = make_event(status=Status.PENDING)
    client.force_login(clerk)
    client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == Status.PENDING


def test_change_page_has_the_location_map_and_dragging_saves_a_snapped_point(client, moderator):
    event = make_event(status=Status.PENDING, host_type="individual", latitude=None, longitude=None,
                       needs_location=True)
    client.force_login(moderator)
    url = reverse("admin:events_healingevent_change", args=[event.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'id="admin-location-map"' in html and "js/admin-location-map.js" in html
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"latitude": "41.79", "longitude": "-87.6"})
    data["starts_at_0"], data["starts_at_1"] = event.starts_at.strftime("%Y-%m-%d"), "18:00:00"
    data.pop("starts_at", None)
    data.pop("ends_at", None)
    data.update({"ends_at_0": "", "ends_at_1": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert (event.latitude, event.longitude) == (41.79, -87.6)
    assert not event.needs_location
    assert (event.public_latitude, event.public_longitude) != (41.79, -87.6)


def test_staff_can_enter_an_event_on_someones_behalf(client, moderator):
    client.force_login(moderator)
    url = reverse("admin:events_healingevent_add")
    assert client.get(url).status_code == 200
    area = make_event().community_area
    response = client.post(url, {
        "title": "Phoned-in circle", "description": "By phone", "kind": "dialogue",
        "format": "in_person", "starts_at_0": "2026-12-10", "starts_at_1": "18:00:00",
        "ends_at_0": "", "ends_at_1": "", "participants": "10", "language_of_event": "en",
        "host_type": "individual", "host_name": "", "location_basis": "host",
        "address": "", "community_area": area.pk, "latitude": "41.79", "longitude": "-87.6",
        "contact_name": "Caller", "contact_email": "caller@example.net", "language": "en",
        "source": "web", "source_note": "Called the office on Monday", "message": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = HealingEvent.objects.get(title="Phoned-in circle")
    assert event.source == "staff" and event.source_note == "Called the office on Monday"
    assert event.host_name == "A Chicago resident" and event.status == Status.PENDING
    assert event.history.first().history_user == moderator


def test_bulk_approve_holds_back_events_that_still_need_a_location(client, moderator,
                                                                   django_capture_on_commit_callbacks):
    """Issue 12, item 15: approved, such an event would be listed but missing from the map."""
    ready = make_event(status=Status.PENDING, title="Has its point")
    lost = make_event(status=Status.PENDING, title="Address <not> found", needs_location=True)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "approve_selected",
                                            "_selected_action": [ready.pk, lost.pk]}, follow=True)
    ready.refresh_from_db()
    lost.refresh_from_db()
    assert ready.status == Status.APPROVED
    assert lost.status == Status.PENDING
    assert [email.to for email in mail.outbox] == [[ready.contact_email]]
    shown = {str(message): message.level_tag for message in response.context["messages"]}
    assert shown.pop("1 item approved.") == "success"
    ((warning, level),) = shown.items()
    assert level == "warning"
    assert "1 event was not approved because it still needs a location" in warning
    change_url = reverse("admin:events_healingevent_change", args=[lost.pk])
    assert f'<a href="{change_url}">Address &lt;not&gt; found</a>' in warning  # a link, the title escaped
    assert f'href="{change_url}"' in response.content.decode()
def test_an_event_staff_enter_with_an_email_sends_the_receipt_and_private_link_in_their_language(
        client, moderator, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    client.force_login(moderator)
    area = make_event().community_area
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:events_healingevent_add"), {
            "title": "Círculo por teléfono", "description": "By phone", "kind": "dialogue",
            "format": "in_person", "starts_at_0": "2026-12-10", "starts_at_1": "18:00:00",
            "ends_at_0": "", "ends_at_1": "", "participants": "10", "language_of_event": "es",
            "host_type": "individual", "host_name": "", "location_basis": "host",
            "address": "", "community_area": area.pk, "latitude": "41.79", "longitude": "-87.6",
            "contact_name": "Lupe", "contact_email": "lupe.private@example.net", "language": "es",
            "source": "staff", "source_note": "Llamó a la oficina", "message": "",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = HealingEvent.objects.get(title="Círculo por teléfono")
    receipts = [m for m in mail.outbox if m.to == ["lupe.private@example.net"]]
    assert len(receipts) == 1
    assert receipts[0].subject.startswith("Recibimos")  # Spanish, the language staff recorded
    link = re.search(r"https?://\S+/events/manage/\S+/", receipts[0].body).group(0)
    page = client.get("/" + link.split("/", 3)[3])
    assert page.status_code == 200 and "Círculo por teléfono" in page.content.decode()
    # Editing it later sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        from events.services import save_event_by_staff

        save_event_by_staff(event=event)
    assert mail.outbox == []
