"""Staff decisions on events and messages: approve or reject with a reason, and tell the person."""

from django.db import transaction
from django.utils import timezone

from events.models import HealingEvent, HealingMessage
from twh.core.moderation import RejectionReason, Status
from twh.core.outbox import queue_email
from twh.core.publication import public_data_changed


def _decide(obj, *, moderator, status: str, reason: str = "", note: str = "") -> bool:
    """Record a decision; False when it changes nothing (so no second email is sent)."""
    if obj.status == status and obj.rejection_reason == reason:
        return False
    if obj.status == Status.WITHDRAWN:
        return False  # the submitter took it back; staff cannot publish it
    obj.status = status
    obj.rejection_reason = reason
    obj.rejection_note = note
    obj.moderated_by = moderator
    obj.moderated_at = timezone.now()
    obj.save()
    # Publishing only adds to the map, so caches may serve the previous map while rebuilding;
    # a rejection must be gone from every public document at once.
    public_data_changed(additive=status == Status.APPROVED)
    return True


def _recipient(obj) -> str:
    return obj.contact_email if isinstance(obj, HealingEvent) else obj.email


def _template(obj, decision: str) -> str:
    kind = "event" if isinstance(obj, HealingEvent) else "message"
    return f"events/email/{kind}_{decision}"


@transaction.atomic
def approve(obj: HealingEvent | HealingMessage, *, moderator) -> bool:
    """Publish an event or message and email the submitter a link to it."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not _decide(obj, moderator=moderator, status=Status.APPROVED):
        return False
    if _recipient(obj):
        queue_email(to=[_recipient(obj)], template=_template(obj, "approved"),
                    context={"obj": obj}, language=obj.language)
    return True


@transaction.atomic
def reject(obj: HealingEvent | HealingMessage, *, moderator, reason: str, note: str = "") -> bool:
    """Keep an event or message off the site and email the submitter the reason."""
    if reason not in RejectionReason.values:
        raise ValueError(f"Unknown rejection reason: {reason!r}")
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not _decide(obj, moderator=moderator, status=Status.REJECTED, reason=reason, note=note):
        return False
    if _recipient(obj):
        queue_email(to=[_recipient(obj)], template=_template(obj, "rejected"),
                    context={"obj": obj, "reason": RejectionReason(reason).label, "note": note},
                    language=obj.language)
    return True
