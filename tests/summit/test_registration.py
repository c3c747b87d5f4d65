"""Capacity, the waitlist, cancellations, duplicates and the emails that go with them."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone

from summit import services
from summit.models import Registration, Summit
from tests.summit.conftest import MEETING_URL, make_summit, registrant, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status


def test_sign_ups_beyond_capacity_join_the_waitlist_in_order(summit):
    first, second = sign_up(summit).registration, sign_up(summit).registration
    third, fourth = sign_up(summit).registration, sign_up(summit).registration
    assert [r.status for r in (first, second)] == [Status.CONFIRMED, Status.CONFIRMED]
    assert [r.status for r in (third, fourth)] == [Status.WAITLISTED, Status.WAITLISTED]
    assert (third.waitlist_position(), fourth.waitlist_position()) == (1, 2)
    assert summit.registrations.confirmed().count() == summit.capacity
    assert first.waitlist_position() is None


def test_cancel_promotes_the_first_person_waiting_and_emails_them(summit, django_capture_on_commit_callbacks):
    first = sign_up(summit).registration
    sign_up(summit)
    waiting = sign_up(summit, name="Wanda Waiting").registration
    last = sign_up(summit).registration
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(registration=first)
    assert promoted == [waiting]
    waiting.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, waiting.status) == (Status.CANCELLED, Status.CONFIRMED)
    assert waiting.promoted_at is not None and waiting.queued_at is None
    assert Registration.objects.get(pk=last.pk).waitlist_position() == 1
    to_waiting = [m for m in mail.outbox if m.to == [waiting.email]]
    assert len(to_waiting) == 1 and "A place opened" in to_waiting[0].subject
    assert MEETING_URL in to_waiting[0].body
    assert to_waiting[0].attachments[0][0] == "summit.ics"
    assert [m.to for m in mail.outbox if m.to == [first.email]] == [[first.email]]  # cancellation note


def test_cancelling_twice_changes_nothing_more(summit):
    first = sign_up(summit).registration
    services.cancel_registration(registration=first)
    assert services.cancel_registration(registration=first) == []


def test_a_place_cannot_be_given_up_after_the_summit(summit, django_capture_on_commit_callbacks):
    person = sign_up(summit).registration
    sign_up(summit)
    Summit.objects.filter(pk=summit.pk).update(  # the summit took place yesterday
        starts_at=timezone.now() - timedelta(days=1, hours=2), ends_at=timezone.now() - timedelta(days=1))
    person.refresh_from_db()
    mail.outbox.clear()
    assert services.can_cancel(person) is False
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.CancellationClosed):
        services.cancel_registration(registration=person)
    person.refresh_from_db()
    assert person.status == Status.CONFIRMED and person.cancelled_at is None and mail.outbox == []


def test_new_sign_ups_do_not_jump_the_queue_when_capacity_is_raised(summit):
    for _ in range(3):
        sign_up(summit)
    waiting = summit.registrations.waitlisted().get()
    summit.capacity = 4
    summit.save()
    newcomer = sign_up(summit).registration
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED  # promoted first
    assert newcomer.status == Status.CONFIRMED
    assert summit.registrations.confirmed().count() == 4


def test_the_same_email_gives_one_registration_and_resends_the_confirmation(
    summit, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(summit, email="Sam@Example.NET").registration
        # Past the re-send window (SUMMIT_RESEND_MINUTES), so the confirmation goes again.
        Registration.objects.filter(pk=first.pk).update(
            status_email_sent_at=timezone.now() - timedelta(minutes=settings.SUMMIT_RESEND_MINUTES + 1))
        again = services.register_attendee(
            summit=summit, data=registrant(email="  sam@example.net", name="Someone Else"),
            submission_token=uuid.uuid4(),
        )
    assert again.outcome == "duplicate" and again.registration.pk == first.pk
    assert Registration.objects.filter(summit=summit).count() == 1
    first.refresh_from_db()
    assert first.email == "sam@example.net" and first.name != "Someone Else"
    confirmations = [m for m in mail.outbox if m.to == ["sam@example.net"]]
    assert len(confirmations) == 2
    assert all(m.subject.startswith("You are registered") for m in confirmations)


def test_the_same_form_sent_twice_registers_once(summit, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register_attendee(summit=summit, data=registrant(), submission_token=token)
        second = services.register_attendee(summit=summit, data=registrant(), submission_token=token)
    assert (first.outcome, second.outcome) == ("new", "repeat")
    assert first.registration.pk == second.registration.pk
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1


def test_someone_who_cancelled_may_register_again_at_the_end_of_the_queue(summit):
    leaving = sign_up(summit, email="back@example.net").registration
    sign_up(summit)
    services.cancel_registration(registration=leaving)
    sign_up(summit)  # takes the freed place
    back = sign_up(summit, email="back@example.net")
    assert back.outcome == "new" and back.registration.pk == leaving.pk
    assert back.registration.status == Status.WAITLISTED and back.registration.waitlist_position() == 1


def test_waitlisted_people_get_their_position_and_no_meeting_link(summit, django_capture_on_commit_callbacks):
    sign_up(summit)
    sign_up(summit)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = sign_up(summit).registration
    email = mail.outbox[-1]
    assert email.to == [waiting.email] and "number 1" in email.body
    assert MEETING_URL not in email.body and not email.attachments


def test_emails_are_sent_only_after_commit(summit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sign_up(summit)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_failed_registration_sends_nothing(summit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(KeyError):
        services.register_attendee(summit=summit, data={"name": "No email"}, submission_token=None)
    assert mail.outbox == [] and not Registration.objects.exists()


@pytest.mark.parametrize("change", [
    {"registration_opens_at": timezone.now() + timedelta(days=1)},
    {"registration_closes_at": timezone.now() - timedelta(minutes=1),
     "registration_opens_at": timezone.now() - timedelta(days=1)},
])
def test_registration_outside_its_window_is_refused(change):
    summit = make_summit(**change)
    with pytest.raises(services.RegistrationClosed):
        sign_up(summit)
    assert not Registration.objects.exists()


def test_admin_promotion_stops_at_capacity(summit):
    for _ in range(4):
        sign_up(summit)
    waiting = list(summit.registrations.waitlisted())
    assert services.promote_from_waitlist(registrations=waiting) == []
    summit.capacity = 3
    summit.save()
    promoted = services.promote_from_waitlist(registrations=list(reversed(waiting)))
    assert promoted == [waiting[0]]  # in waitlist order, however they were chosen


def test_check_in_and_access_needs_marks_are_recorded_once(summit):
    person = sign_up(summit, needs_asl=True).registration
    assert services.mark_attended(registration=person) is True
    assert services.mark_attended(registration=person) is False
    assert Registration.objects.access_needs_pending().get() == person
    assert services.mark_access_needs_done(registration=person) is True
    assert not Registration.objects.access_needs_pending().exists()
    assert person.history.count() >= 3  # the audit trail keeps each change


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_for_the_last_place_never_overbook(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serializes every write, so there is no race to test. "
                    "CI runs this with DATABASE_URL=postgres://...")
    summit = make_summit(capacity=3)
    sign_up(summit)
    sign_up(summit)  # one place left
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    outcomes, errors = [], []
    queue_email = services._queue_status_email

    def slow_queue_email(*args, **kwargs):
        # Widen the window between deciding and committing, so an unlocked check would overbook.
        time.sleep(0.05)
        queue_email(*args, **kwargs)

    monkeypatch.setattr(services, "_queue_status_email", slow_queue_email)

    def register(n):
        try:
            Registration.objects.exists()  # connect before the race starts
            barrier.wait(timeout=10)
            outcomes.append(services.register_attendee(
                summit=summit, data=registrant(email=f"racer{n}@example.net"), submission_token=None
            ).registration.status)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert outcomes.count(Status.CONFIRMED) == 1
    assert outcomes.count(Status.WAITLISTED) == threads_count - 1
    assert summit.registrations.confirmed().count() == summit.capacity
    positions = sorted(r.waitlist_position() for r in summit.registrations.waitlisted())
    assert positions == list(range(1, threads_count))
