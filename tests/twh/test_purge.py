"""purge_personal_data: no contact detail is left anywhere, and the statistics stay."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.models import HealingEvent, HealingMessage
from events.services import save_event_by_staff
from summit.models import Reflection, Registration, Summit
from tests.conftest import area, make_event, make_message
from twh.core.moderation import Status
from twh.dashboard import build_dashboard
from twh.models import OutboxEmail
from twh.retention import purge_personal_data

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=400)
CUTOFF = (timezone.localdate() - timedelta(days=30)).isoformat()


def backdate(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


@pytest.fixture
def old_and_new():
    """Old rows (to purge) and recent ones (to keep), each with every kind of contact detail."""
    old_person = make_event(host_type="individual", host_name="Maria", starts_at=LONG_AGO,
                            address="1234 W Private St", latitude=41.881234, longitude=-87.629876,
                            source_note="Called from 773-555-0100", participants=15, community_area=area(32))
    old_org = make_event(host_type="organization", starts_at=LONG_AGO, address="1 Org Plaza",
                         participants=25, community_area=area(41))
    old_pending = make_event(status=Status.PENDING, starts_at=LONG_AGO)
    old_person.title = "A circle, edited"  # a second audit-history row with the precise point
    save_event_by_staff(event=old_person)
    upcoming = make_event(starts_at=timezone.now() + timedelta(days=5), host_type="individual",
                          host_name="Ana", address="9 Keep St")
    for event in (old_person, old_org, old_pending):
        backdate(HealingEvent, event.pk, submitted_at=LONG_AGO)
    old_message = make_message(email="old.friend@example.net")
    new_message = make_message(email="new.friend@example.net")
    backdate(HealingMessage, old_message.pk, submitted_at=LONG_AGO)
    past = Summit.objects.create(title="Past summit", description="d", starts_at=LONG_AGO,
                                 ends_at=LONG_AGO + timedelta(hours=3), capacity=5)
    future = Summit.objects.create(title="Next summit", description="d",
                                   starts_at=timezone.now() + timedelta(days=60),
                                   ends_at=timezone.now() + timedelta(days=60, hours=3), capacity=5)
    regs = [
        Registration.objects.create(summit=past, status="confirmed", name="Old Name", email="old1@example.net",
                                    organization="Old Org", area_or_zip="60615", role="partner",
                                    needs_interpretation=True, interpretation_language="Polish",
                                    access_needs_other="Wheelchair seat near the aisle",
                                    heard_about="other", heard_about_other="My aunt Rosa"),
        Registration.objects.create(summit=past, status="confirmed", name="Old Two", email="old2@example.net",
                                    role="ambassador"),
        Registration.objects.create(summit=future, status="confirmed", name="Keep Me",
                                    email="keep@example.net", role="other"),
    ]
    for registration in regs[:2]:
        backdate(Registration, registration.pk, created_at=LONG_AGO)
    old_reflection = Reflection.objects.create(theme="progress", text="We grew", email="old.reflection@example.net",
                                               display_name="Sam", status=Status.APPROVED)
    backdate(Reflection, old_reflection.pk, submitted_at=LONG_AGO)
    new_reflection = Reflection.objects.create(theme="forward", text="Onward", email="keep.refl@example.net")
    backdate(OutboxEmail, OutboxEmail.objects.create(to=["old1@example.net"], subject="s", body="Dear Old Name").pk,
             created_at=LONG_AGO)
    return {
        "old_events": [old_person, old_org, old_pending], "upcoming": upcoming,
        "old_message": old_message, "new_message": new_message, "registrations": regs,
        "old_reflection": old_reflection, "new_reflection": new_reflection,
    }


PRIVATE_VALUES = ["1234 W Private St", "773-555-0100", "old.friend@example.net", "old1@example.net",
                  "old2@example.net", "Old Name", "Old Two", "Old Org", "60615", "Wheelchair seat",
                  "My aunt Rosa", "old.reflection@example.net", "41.881234", "-87.629876"]


def everything_stored() -> str:
    """Every row of every model (and audit history) that holds personal data, as text."""
    from django.core import serializers

    querysets = [HealingEvent.objects.all(), HealingEvent.history.all(), HealingMessage.objects.all(),
                 HealingMessage.history.all(), Registration.objects.all(), Registration.history.all(),
                 Reflection.objects.all(), Reflection.history.all(), OutboxEmail.objects.all()]
    return "".join(serializers.serialize("json", qs) for qs in querysets)


def test_purge_leaves_no_contact_detail_of_old_rows_anywhere(old_and_new):
    old_person, old_org, old_pending = old_and_new["old_events"]
    stored = everything_stored()
    assert all(value in stored for value in PRIVATE_VALUES)  # the test would see them
    for event in old_and_new["old_events"]:
        assert event.contact_email in stored

    out = StringIO()
    call_command("purge_personal_data", "--before", CUTOFF, stdout=out)

    stored = everything_stored()
    for value in PRIVATE_VALUES:
        assert value not in stored, value
    for event in old_and_new["old_events"]:
        for value in (event.contact_email, event.contact_name, event.contact_phone):
            assert value not in stored
    assert "events: 3" in out.getvalue() and "registrations: 2" in out.getvalue()
    assert "messages: 1" in out.getvalue() and "reflections: 1" in out.getvalue()
    assert "stored emails: 1" in out.getvalue()


def test_purge_keeps_public_and_statistical_fields(old_and_new):
    old_person, old_org, _ = old_and_new["old_events"]
    call_command("purge_personal_data", "--before", CUTOFF, stdout=StringIO())
    old_person.refresh_from_db()
    old_org.refresh_from_db()
    assert (old_person.title, old_person.host_name, old_person.participants, old_person.community_area.number,
            old_person.status) == ("A circle, edited", "Maria", 15, 32, Status.APPROVED)
    # The only point left is the public (snapped) one, and the map still shows it there.
    assert (old_person.latitude, old_person.longitude) == (old_person.public_latitude, old_person.public_longitude)
    assert old_person.public_latitude is not None and old_person.address == ""
    # An organization's address is not personal data.
    assert old_org.address == "1 Org Plaza" and old_org.contact_email == ""
    # Saving it again in admin changes nothing public.
    public = (old_person.public_latitude, old_person.public_longitude)
    save_event_by_staff(event=old_person)
    assert (old_person.public_latitude, old_person.public_longitude) == public
    registration = Registration.objects.get(pk=old_and_new["registrations"][0].pk)
    assert (registration.status, registration.role, registration.needs_interpretation,
            registration.heard_about) == ("confirmed", "partner", True, "other")
    assert registration.email.endswith("@purged.invalid") and registration.name == ""
    reflection = Reflection.objects.get(pk=old_and_new["old_reflection"].pk)
    assert (reflection.text, reflection.display_name, reflection.email) == ("We grew", "Sam", "")


def test_recent_rows_are_untouched(old_and_new):
    call_command("purge_personal_data", "--before", CUTOFF, stdout=StringIO())
    upcoming = HealingEvent.objects.get(pk=old_and_new["upcoming"].pk)
    assert upcoming.contact_email == old_and_new["upcoming"].contact_email and upcoming.address == "9 Keep St"
    assert HealingMessage.objects.get(pk=old_and_new["new_message"].pk).email == "new.friend@example.net"
    assert Registration.objects.get(email="keep@example.net").name == "Keep Me"
    assert Reflection.objects.get(pk=old_and_new["new_reflection"].pk).email == "keep.refl@example.net"


def test_the_dashboard_adds_up_the_same_afterwards(old_and_new):
    def numbers():
        board = build_dashboard()
        return {slug: [row[1:] for row in table.rows] for slug, table in board.tables.items() if slug != "queue"}

    before = numbers()
    call_command("purge_personal_data", "--before", CUTOFF, stdout=StringIO())
    assert numbers() == before


def test_dry_run_counts_and_changes_nothing(old_and_new):
    stored = everything_stored()
    out = StringIO()
    call_command("purge_personal_data", "--before", CUTOFF, "--dry-run", stdout=out)
    assert "Would remove" in out.getvalue() and "events: 3" in out.getvalue()
    assert everything_stored() == stored


def test_purging_twice_finds_nothing_the_second_time(old_and_new):
    purge_personal_data(before=date.fromisoformat(CUTOFF))
    counts = purge_personal_data(before=date.fromisoformat(CUTOFF))
    assert counts == {"events": 0, "event history rows": 0, "messages": 0, "registrations": 0,
                      "reflections": 0, "stored emails": 0, "report photos": 0, "report intake notes": 0}


@pytest.mark.parametrize("value", ["yesterday", "2027-02-30", ""])
def test_the_date_is_checked(value):
    with pytest.raises(CommandError, match="--before must be a date"):
        call_command("purge_personal_data", "--before", value)
