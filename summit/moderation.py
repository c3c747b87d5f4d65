"""Staff decisions on reflections: approve or reject with a reason, and tell the author."""

from django.db import transaction

from summit.models import Reflection
from twh.core.moderation import RejectionReason, Status, decide
from twh.core.outbox import queue_email


@transaction.atomic
def approve(reflection: Reflection, *, moderator) -> bool:
    """Publish a reflection and tell its author, if they left an email."""
    reflection, changed = decide(reflection, moderator=moderator, status=Status.APPROVED)
    if not changed:
        return False
    if reflection.email:
        queue_email(to=[reflection.email], template="summit/email/reflection_approved",
                    context={"reflection": reflection}, language=reflection.language)
    return True


@transaction.atomic
def reject(reflection: Reflection, *, moderator, reason: str, note: str = "") -> bool:
    """Keep a reflection off the site and email its author the reason, if they left an email."""
    reflection, changed = decide(reflection, moderator=moderator, status=Status.REJECTED,
                                 reason=reason, note=note)
    if not changed:
        return False
    if reflection.email:
        queue_email(to=[reflection.email], template="summit/email/reflection_rejected",
                    context={"reflection": reflection, "reason": RejectionReason(reason).label,
                             "note": note},
                    language=reflection.language)
    return True
