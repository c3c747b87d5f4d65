"""Removing contact details from old events and messages, keeping what the statistics need.

What goes: the private contact (name, email, phone), the staff intake note, and for events
hosted by an individual the address and the precise point (replaced by the public, snapped
point, so the map, the area and every count stay as they were). Audit-history rows of those
events are scrubbed the same way (contact fields were never recorded there).

What stays: everything public or counted: title, kind, format, dates, participants, area,
host display name, status, the message of healing. Reports keep their figures and words;
their photos (files included) and intake notes go.

"Older than DATE" means the row's business was over before DATE: an event submitted *and*
held before it, a message submitted before it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from events.models import HealingEvent, HealingMessage
from twh.core.moderation import Status
from twh.core.publication import public_data_changed


def cutoff(before: date) -> datetime:
    """The start of `before` in the site's time zone."""
    return timezone.make_aware(datetime.combine(before, time.min))


def _old_events(moment: datetime):
    return HealingEvent.objects.filter(submitted_at__lt=moment, starts_at__lt=moment)


CONTACT_LEFT = ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="") | ~Q(source_note="")
INDIVIDUAL = Q(host_type=HealingEvent.HostType.INDIVIDUAL)
# An individual's event that still holds an address or a point other than the public one.
PRECISE_LEFT = INDIVIDUAL & (
    ~Q(address="")
    | Q(latitude__isnull=False, public_latitude__isnull=True)
    | Q(latitude__isnull=False) & (~Q(latitude=F("public_latitude")) | ~Q(longitude=F("public_longitude")))
)


@transaction.atomic
def purge_events(*, before: date, dry_run: bool = False) -> dict:
    """Remove contact details from events older than `before`; returns counts."""
    old = _old_events(cutoff(before))
    count = old.filter(CONTACT_LEFT | PRECISE_LEFT).count()
    history = HealingEvent.history.model.objects.filter(id__in=old.values("pk"))
    history_private = Q(id__in=old.filter(INDIVIDUAL).values("pk")) & (Q(latitude__isnull=False) | ~Q(address=""))
    history_count = history.filter(~Q(source_note="") | history_private).count()
    if not dry_run:
        old.filter(CONTACT_LEFT).update(contact_name="", contact_email="", contact_phone="", source_note="")
        # The public point is where the map already shows the event; it becomes the only point.
        old.filter(PRECISE_LEFT).update(address="", latitude=F("public_latitude"), longitude=F("public_longitude"))
        history.exclude(source_note="").update(source_note="")
        history.filter(history_private).update(address="", latitude=None, longitude=None)
        if count:
            public_data_changed()
    return {"events": count, "event history rows": history_count}


@transaction.atomic
def purge_reports(*, before: date, dry_run: bool = False) -> dict:
    """Photos (the files in storage too) and intake notes of reports on events older than `before`.

    The figures and words stay: they are what the statistics and the event's page are made of.
    A photo may show people, so it goes with the rest of their personal data.
    """
    from events.models import EventReport

    old = EventReport.objects.filter(event__in=_old_events(cutoff(before)))
    with_photo = old.exclude(photo="")
    count = with_photo.count()
    notes = old.exclude(source_note="").count()
    if not dry_run:
        names = list(with_photo.values_list("photo", flat=True))
        with_photo.update(photo="", photo_alt="", photo_status=Status.REJECTED)
        old.exclude(source_note="").update(source_note="")
        EventReport.history.model.objects.filter(id__in=old.values("pk")).update(
            photo="", photo_alt="", source_note="")
        # Files go once the rows no longer name them; a rolled-back purge keeps both.
        transaction.on_commit(lambda: _delete_files(names))
        if count:
            public_data_changed()
    return {"report photos": count, "report intake notes": notes}


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


@transaction.atomic
def purge_messages(*, before: date, dry_run: bool = False) -> dict:
    """Remove the private email from messages of healing submitted before `before`."""
    old = HealingMessage.objects.filter(submitted_at__lt=cutoff(before)).exclude(email="")
    count = old.count()
    if not dry_run:
        old.update(email="")
    return {"messages": count}
