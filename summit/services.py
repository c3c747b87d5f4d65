"""The summit's rules and writes: sign up (confirmed or waitlisted), cancel (not after the
summit), promote from the waitlist within capacity, remind, check in.

Every change to who holds a place runs in one transaction under a row lock on the summit, so
concurrent sign-ups and cancellations are serialized and capacity is never exceeded. Emails are
queued in the same transaction and sent after it commits (twh.core.outbox).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from summit.calendar import build_ics, google_calendar_url, outlook_calendar_url, summit_page_url
from summit.models import Registration, Summit
from summit.tokens import registration_url
from twh.core import history
from twh.core.outbox import queue_email
from twh.core.submissions import saved_on_commit


class RegistrantDetails(TypedDict, total=False):
    """What a registrant tells us: the shape of RegistrationForm.cleaned_data.

    RegistrationForm's fields are these keys, in this order; everything else on a registration
    is set by the site or by staff. Other keys of a mapping passed in are ignored. The email is
    required.
    """

    name: str
    email: str
    organization: str
    area_or_zip: str
    role: str
    needs_asl: bool
    needs_captions: bool
    needs_interpretation: bool
    interpretation_language: str
    access_needs_other: str
    heard_about: str
    heard_about_other: str
    consent: bool

Status = Registration.Status


class RegistrationClosed(Exception):
    """Sign-ups are not taken for this summit now."""


class CancellationClosed(Exception):
    """The summit is over: a place can no longer be given up."""


@dataclass(frozen=True)
class SignUp:
    registration: Registration
    # "new": registered now; "repeat": the same form sent twice; "duplicate": the email was
    # already registered (the confirmation is sent again, at most once per
    # SUMMIT_RESEND_MINUTES; nothing changes). The person sees the same page for all three.
    outcome: str


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _lock(summit: Summit) -> Summit:
    return Summit.objects.select_for_update().get(pk=summit.pk)


@transaction.atomic
def register_attendee(
    *, summit: Summit, data: RegistrantDetails, submission_token: uuid.UUID | None, language: str = "en"
) -> SignUp:
    """Register someone: confirmed while places are left, otherwise on the waitlist."""
    summit = _lock(summit)
    if summit.registration_state() != "open":
        raise RegistrationClosed(summit.registration_state())
    if submission_token is not None:
        repeat = Registration.objects.filter(submission_token=submission_token).first()
        if repeat is not None:
            return SignUp(repeat, "repeat")
    email = normalize_email(data["email"])
    registration = Registration.objects.filter(summit=summit, email=email).first()
    if registration is not None and registration.status != Status.CANCELLED:
        _resend_status_email(registration)
        return SignUp(registration, "duplicate")
    # A new person, or someone who cancelled and signs up again (at the end of the queue).
    registration = registration or Registration(summit=summit, email=email)
    for name in RegistrantDetails.__annotations__:
        if name in data and name != "email":  # the email is stored normalized, above
            setattr(registration, name, data[name])
    registration.submission_token = submission_token
    registration.language = language
    registration.cancelled_at = None
    _fill_from_waitlist(summit)  # people already waiting go before anyone new
    now = timezone.now()
    if summit.registrations.confirmed().count() < summit.capacity:
        registration.status, registration.queued_at = Status.CONFIRMED, None
    else:
        registration.status, registration.queued_at = Status.WAITLISTED, now
    history.record_actor(registration, history.REGISTRANT_FORM)
    registration.status_email_sent_at = now
    registration.save()
    saved_on_commit()
    _queue_status_email(registration)
    return SignUp(registration, "new")


def _resend_status_email(registration: Registration) -> None:
    """Someone signed up again with a registered email: remind them, at most once a window.

    The page they see is the same as for a new registration, so the form never tells anyone
    whether an address is registered; the window stops it being used to flood that address.
    """
    now = timezone.now()
    window = timedelta(minutes=settings.SUMMIT_RESEND_MINUTES)
    claimed = Registration.objects.filter(pk=registration.pk).filter(
        Q(status_email_sent_at__isnull=True) | Q(status_email_sent_at__lte=now - window)
    ).update(status_email_sent_at=now)
    if claimed:
        registration.status_email_sent_at = now
        _queue_status_email(registration)


def can_cancel(registration: Registration) -> bool:
    """Whether the registrant may still give their place up: not after the summit."""
    return registration.status != Status.CANCELLED and not registration.summit.is_past()


@transaction.atomic
def cancel_registration(*, registration: Registration) -> list[Registration]:
    """Give the place up; the first people waiting are promoted and emailed. Returns them.

    Raises CancellationClosed once the summit is over (an already cancelled one stays as it is).
    """
    summit = _lock(registration.summit)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        return []
    if not can_cancel(registration):
        raise CancellationClosed()
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.queued_at = None
    history.record_actor(registration, history.REGISTRANT_LINK)
    registration.save()
    queue_email(to=[registration.email], template="summit/email/cancelled",
                context=_email_context(registration), language=registration.language)
    return _fill_from_waitlist(summit)


@transaction.atomic
def promote_from_waitlist(*, registrations) -> list[Registration]:
    """Staff promote the chosen people (in waitlist order) while places are left."""
    promoted = []
    by_summit: dict[int, list[int]] = {}
    for registration in registrations:
        by_summit.setdefault(registration.summit_id, []).append(registration.pk)
    for summit_id, pks in by_summit.items():
        summit = Summit.objects.select_for_update().get(pk=summit_id)
        places = summit.capacity - summit.registrations.confirmed().count()
        for registration in summit.registrations.waitlisted().filter(pk__in=pks)[:max(places, 0)]:
            _promote(registration)
            promoted.append(registration)
    return promoted


@transaction.atomic
def fill_from_waitlist(*, summit: Summit) -> list[Registration]:
    """Promote the first people waiting into any free places (after capacity is raised)."""
    return _fill_from_waitlist(_lock(summit))


def _fill_from_waitlist(summit: Summit) -> list[Registration]:
    """Promote in order into the free places. The caller holds the summit's row lock."""
    if summit.is_past():
        return []
    places = summit.capacity - summit.registrations.confirmed().count()
    if places <= 0:
        return []
    promoted = list(summit.registrations.waitlisted().select_for_update()[:places])
    for registration in promoted:
        _promote(registration)
    return promoted


def _promote(registration: Registration) -> None:
    registration.status = Status.CONFIRMED
    registration.promoted_at = timezone.now()
    registration.queued_at = None
    registration.save()
    _queue_status_email(registration, promoted=True)


def _email_context(registration: Registration, **extra) -> dict:
    summit = registration.summit
    confirmed = registration.status == Status.CONFIRMED
    meeting_url = summit.meeting_url if confirmed else ""
    return {
        "registration": registration,
        "summit": summit,
        "summit_url": summit_page_url(summit),
        "manage_url": registration_url(registration),
        "meeting_url": meeting_url,
        "google_url": google_calendar_url(summit, meeting_url=meeting_url),
        "outlook_url": outlook_calendar_url(summit, meeting_url=meeting_url),
        "position": registration.waitlist_position(),
        **extra,
    }


def _queue_status_email(registration: Registration, *, promoted: bool = False) -> None:
    """The confirmation (with the invitation) or the waitlist notice, in the person's language."""
    if registration.status == Status.CONFIRMED:
        with translation.override(registration.language):
            ics = build_ics(registration.summit, registration=registration)
        queue_email(
            to=[registration.email], template="summit/email/confirmation",
            context=_email_context(registration, promoted=promoted), language=registration.language,
            attachments=[("summit.ics", ics, "text/calendar")],
        )
    elif registration.status == Status.WAITLISTED:
        queue_email(to=[registration.email], template="summit/email/waitlisted",
                    context=_email_context(registration), language=registration.language)


def summits_due_for_reminder(now=None):
    """Summits starting within SUMMIT_REMINDER_HOURS_BEFORE that have not started yet."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.SUMMIT_REMINDER_HOURS_BEFORE)
    return Summit.objects.filter(starts_at__gt=now, starts_at__lte=horizon).order_by("starts_at")


def send_reminders(*, summit: Summit, dry_run: bool = False) -> list[Registration]:
    """Remind every confirmed registrant once (with the meeting link); returns who got one.

    The reminder is claimed with a conditional update in the email's transaction, so running
    the command twice, or twice at once, never sends anyone a second reminder.
    """
    due = list(summit.registrations.due_reminder().select_related("summit").order_by("pk"))
    if dry_run:
        return due
    sent = []
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, status=Status.CONFIRMED, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if claimed:
                queue_email(to=[registration.email], template="summit/email/reminder",
                            context=_email_context(registration), language=registration.language)
                sent.append(registration)
    return sent


@transaction.atomic
def mark_attended(*, registration: Registration, attended: bool = True) -> bool:
    """Check someone in (or undo it); False when nothing changes."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if bool(registration.attended_at) == attended:
        return False
    registration.attended_at = timezone.now() if attended else None
    registration.save()
    return True


@transaction.atomic
def mark_access_needs_done(*, registration: Registration, done: bool = True) -> bool:
    """Record that staff arranged a person's access needs (or reopen it)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if bool(registration.access_needs_done_at) == done:
        return False
    registration.access_needs_done_at = timezone.now() if done else None
    registration.save()
    return True
