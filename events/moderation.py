"""Staff decisions on events and messages: approve or reject with a reason, and tell the person."""

from django.db import transaction

from events.models import HealingEvent, HealingMessage
from twh.core.moderation import RejectionReason, Status, decide
from twh.core.outbox import queue_email
from twh.core.publication import public_data_changed


def _recipient(obj) -> str:
    return obj.contact_email if isinstance(obj, HealingEvent) else obj.email


def _template(obj, decision: str) -> str:
    kind = "event" if isinstance(obj, HealingEvent) else "message"
    return f"events/email/{kind}_{decision}"


@transaction.atomic
def approve(obj: HealingEvent | HealingMessage, *, moderator) -> bool:
    """Publish an event or message and email the submitter a link to it."""
    obj, changed = decide(obj, moderator=moderator, status=Status.APPROVED)
    if not changed:
        return False
    # Publishing only adds to the map, so caches may serve the previous map while rebuilding.
    public_data_changed(additive=True)
    if _recipient(obj):
        queue_email(to=[_recipient(obj)], template=_template(obj, "approved"),
                    context={"obj": obj}, language=obj.language)
    return True


@transaction.atomic
def reject(obj: HealingEvent | HealingMessage, *, moderator, reason: str, note: str = "") -> bool:
    """Keep an event or message off the site and email the submitter the reason."""
    obj, changed = decide(obj, moderator=moderator, status=Status.REJECTED, reason=reason, note=note)
    if not changed:
        return False
    # A rejection must be gone from every public document at once.
    public_data_changed()
    if _recipient(obj):
        queue_email(to=[_recipient(obj)], template=_template(obj, "rejected"),
                    context={"obj": obj, "reason": RejectionReason(reason).label, "note": note},
                    language=obj.language)
    return True
