"""Writes with side effects for events and messages: submit, edit, withdraw.

Each runs in one transaction and queues its emails in it (sent after commit by the outbox).
Views, admin actions and commands all call these.
"""

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.location import apply_location, decide_location
from events.models import CommunityArea, HealingEvent, HealingMessage
from events.tokens import manage_url
from twh.core import history
from twh.core.moderation import Status
from twh.core.once import earlier, save_once
from twh.core.outbox import queue_email
from twh.core.publication import public_data_changed


class EventDetails(TypedDict, total=False):
    """What a submitter tells us about their event: the shape of EventForm.cleaned_data.

    EventForm's fields are these keys, in this order, so the form and the services cannot
    drift apart; everything else on an event is set by the site or by staff. Other keys of a
    mapping passed in (the form's honeypot and token) are ignored.
    """

    title: str
    kind: str
    format: str
    starts_at: datetime
    ends_at: datetime | None
    participants: int | None
    language_of_event: str
    description: str
    stakeholders: list[str]
    rsvp_url: str
    host_type: str
    host_name: str
    website: str
    list_as_partner: bool
    location_basis: str
    address: str
    community_area: CommunityArea
    latitude: float | None
    longitude: float | None
    publish_exact_location: bool
    message: str
    message_consent: bool
    contact_name: str
    contact_email: str
    contact_phone: str


def _event_details(data: Mapping) -> EventDetails:
    """The EventDetails keys present in `data`, and nothing else."""
    return {name: data[name] for name in EventDetails.__annotations__ if name in data}


def _normalise(event: HealingEvent) -> None:
    """The rules that hold for every saved event, whoever edits it."""
    if event.host_type == HealingEvent.HostType.INDIVIDUAL:
        event.website = ""
        event.publish_exact_location = False
        event.list_as_partner = False
        if not event.host_name.strip():
            event.host_name = str(HealingEvent.INDIVIDUAL_DEFAULT_NAME)
    apply_location(event)


def submit_event(
    *,
    data: EventDetails,
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


def _same_submission(data: EventDetails, submission_token: uuid.UUID | None) -> HealingEvent | None:
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
        **_event_details(data),
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
def update_pending_event(*, event: HealingEvent, data: EventDetails) -> HealingEvent:
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
def _store_edit(*, event: HealingEvent, data: EventDetails, needs_location: bool) -> HealingEvent:
    event = HealingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != Status.PENDING:
        raise ValueError("Only pending events can be edited.")
    for name, value in _event_details(data).items():
        setattr(event, name, value)
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
