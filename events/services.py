"""Writes with side effects for events and messages: submit, edit, withdraw.

Each runs in one transaction and queues its emails in it (sent after commit by the outbox).
Views, admin actions and commands all call these.
"""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.geometry import area_for_point
from events.location import decide_location
from events.models import HealingEvent, HealingMessage
from events.privacy import apply_public_point
from events.tokens import manage_url
from twh.core import history
from twh.core.moderation import Status
from twh.core.once import earlier, save_once
from twh.core.outbox import queue_email
from twh.core.publication import public_data_changed

# The fields a submitter fills in; everything else is set by the site or by staff.
SUBMITTED_FIELDS = [
    "title", "description", "kind", "format", "starts_at", "ends_at", "participants",
    "language_of_event", "stakeholders", "rsvp_url", "host_type", "host_name", "website",
    "list_as_partner", "location_basis", "address", "latitude", "longitude", "publish_exact_location",
    "community_area", "message", "message_consent", "contact_name", "contact_email",
    "contact_phone",
]


def _normalise(event: HealingEvent) -> None:
    """The rules that hold for every saved event, whoever edits it."""
    if event.host_type == HealingEvent.HostType.INDIVIDUAL:
        event.website = ""
        event.publish_exact_location = False
        event.list_as_partner = False
        if not event.host_name.strip():
            event.host_name = str(HealingEvent.INDIVIDUAL_DEFAULT_NAME)
    # With boundaries loaded the point decides the area; otherwise the submitter's choice stays.
    area_id = area_for_point(event.latitude, event.longitude)
    if area_id is not None:
        event.community_area_id = area_id
    apply_public_point(event)
    if event.latitude is not None:
        event.needs_location = False


def submit_event(
    *,
    data: dict,
    submission_token: uuid.UUID | None,
    language: str = "en",
    source: str = HealingEvent.Source.WEB,
    source_note: str = "",
) -> tuple[HealingEvent, bool]:
    """Store a new pending event and email the submitter and staff.

    Returns (event, created). The same submission token always gives the same event, so a
    double click or a retried POST creates exactly one; so does the same content from the same
    person within DUPLICATE_WINDOW_MINUTES. Where it is mapped is decided first, outside the
    transaction (events/location.py); raises AddressOutsideCity for an address out of town.
    """
    existing = _same_submission(data, submission_token)
    if existing is not None:
        return existing, False
    place = decide_location(latitude=data.get("latitude"), longitude=data.get("longitude"),
                            address=data.get("address", ""))
    data = {**data, "latitude": place.latitude, "longitude": place.longitude}
    return _store_event(data=data, submission_token=submission_token, language=language,
                        needs_location=place.needs_location, source=source, source_note=source_note)


def _same_submission(data: dict, submission_token: uuid.UUID | None) -> HealingEvent | None:
    twin = None
    if data.get("contact_email") and data.get("title") and data.get("starts_at"):
        twin = {"contact_email__iexact": data["contact_email"], "title": data["title"],
                "starts_at": data["starts_at"]}
    return earlier(HealingEvent.objects, submission_token=submission_token, twin=twin)


@transaction.atomic
def _store_event(*, data, submission_token, language, needs_location, source, source_note):
    existing = _same_submission(data, submission_token)  # again, now inside the transaction
    if existing is not None:
        return existing, False
    event = HealingEvent(
        **{name: data.get(name) for name in SUBMITTED_FIELDS if name in data},
        submission_token=submission_token,
        language=language,
        needs_location=needs_location,
        source=source,
        source_note=source_note,
        status=Status.PENDING,
    )
    _normalise(event)
    history.record_actor(event, history.SUBMITTER_FORM)
    event, created = save_once(event, submission_token=submission_token)
    if created:
        _queue_submission_emails(event)
    return event, created


def _queue_submission_emails(event: HealingEvent) -> None:
    _queue_receipt(event)
    if settings.STAFF_NOTIFICATION_EMAILS:
        queue_email(
            to=settings.STAFF_NOTIFICATION_EMAILS,
            template="events/email/staff_new_event",
            context={"event": event},
            language=settings.LANGUAGE_CODE,
        )


def _queue_receipt(event: HealingEvent) -> None:
    """The submitter's confirmation with their private link, in their language."""
    queue_email(
        to=[event.contact_email],
        template="events/email/submitted",
        context={"event": event, "manage_url": manage_url(event)},
        language=event.language,
    )
def update_pending_event(*, event: HealingEvent, data: dict) -> HealingEvent:
    """Apply a submitter's edit; only a pending event can be edited.

    The location is decided again first, outside the transaction; raises AddressOutsideCity.
    """
    if event.status != Status.PENDING:
        raise ValueError("Only pending events can be edited.")
    place = decide_location(latitude=data.get("latitude"), longitude=data.get("longitude"),
                            address=data.get("address", ""))
    data = {**data, "latitude": place.latitude, "longitude": place.longitude}
    return _store_edit(event=event, data=data, needs_location=place.needs_location)


@transaction.atomic
def _store_edit(*, event: HealingEvent, data: dict, needs_location: bool) -> HealingEvent:
    event = HealingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != Status.PENDING:
        raise ValueError("Only pending events can be edited.")
    for name in SUBMITTED_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.needs_location = needs_location
    _normalise(event)
    history.record_actor(event, history.SUBMITTER_LINK)
    event.save()
    public_data_changed()
    return event


@transaction.atomic
def withdraw_event(*, event: HealingEvent) -> HealingEvent:
    """The submitter takes their event back: it leaves the map and the queue at once."""
    event = HealingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != Status.WITHDRAWN:
        event.status = Status.WITHDRAWN
        history.record_actor(event, history.SUBMITTER_LINK)
        event.save(update_fields=["status", "updated_at"])
        public_data_changed()
    return event


@transaction.atomic
def save_event_by_staff(*, event: HealingEvent) -> HealingEvent:
    """Staff edits in admin (assisted intake, moving the pin): keep the privacy rules.

    An event staff enter on someone's behalf gets the same receipt and private link as one sent
    through the form, when staff typed the person's email.
    """
    adding = event._state.adding
    if adding:
        if not event.source_note and event.source == HealingEvent.Source.WEB:
            event.source = HealingEvent.Source.STAFF
        if event.submission_token is None:
            event.submission_token = uuid.uuid4()  # the secret in the private link
    _normalise(event)
    event.save()
    if adding and event.contact_email:
        _queue_receipt(event)
    public_data_changed()
    return event


@transaction.atomic
def submit_message(
    *, data: dict, submission_token: uuid.UUID | None, language: str = "en"
) -> tuple[HealingMessage, bool]:
    """Store a pending message of healing; the same token gives the same message."""
    existing = earlier(HealingMessage.objects, submission_token=submission_token, twin={
        "text": data["text"], "email": data.get("email", ""),
        "display_name": data.get("display_name", "").strip(),
    })
    if existing is not None:
        return existing, False
    message = HealingMessage(
        display_name=data.get("display_name", "").strip(),
        community_area=data.get("community_area"),
        text=data["text"],
        email=data.get("email", ""),
        submission_token=submission_token,
        language=language,
    )
    history.record_actor(message, history.SUBMITTER_FORM)
    message, created = save_once(message, submission_token=submission_token)
    if not created:
        return message, False
    if message.email:
        queue_email(
            to=[message.email], template="events/email/message_received",
            context={"message": message}, language=language,
        )
    if settings.STAFF_NOTIFICATION_EMAILS:
        queue_email(
            to=settings.STAFF_NOTIFICATION_EMAILS, template="events/email/staff_new_message",
            context={"message": message, "submitted_at": timezone.now()},
            language=settings.LANGUAGE_CODE,
        )
    return message, True
