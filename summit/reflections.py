"""Reflection writes: share one, and staff decisions (approve, reject with a reason).

Each runs in one transaction and queues its emails in it (sent after commit by the outbox).
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from summit.models import Reflection, Summit
from twh.core.moderation import RejectionReason, Status
from twh.core.outbox import queue_email
from twh.core.submissions import recent_twin, saved_on_commit


@transaction.atomic
def submit_reflection(
    *, data: dict, summit: Summit | None, submission_token: uuid.UUID | None, language: str = "en"
) -> tuple[Reflection, bool]:
    """Store a pending reflection; the same form token always gives the same reflection."""
    if submission_token is not None:
        existing = Reflection.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing, False
    twin = recent_twin(Reflection.objects, text=data["text"], theme=data["theme"],
                       email=data.get("email", "").strip().lower(),
                       display_name=data.get("display_name", "").strip())
    if twin is not None:
        return twin, False
    reflection = Reflection(
        summit=summit,
        theme=data["theme"],
        summit_prompt=data.get("summit_prompt"),
        text=data["text"],
        display_name=data.get("display_name", "").strip(),
        email=data.get("email", "").strip().lower(),
        submission_token=submission_token,
        language=language,
    )
    try:
        with transaction.atomic():
            reflection.save()
    except IntegrityError:
        if submission_token is None:
            raise
        return Reflection.objects.get(submission_token=submission_token), False
    saved_on_commit()
    if settings.STAFF_NOTIFICATION_EMAILS:
        queue_email(to=settings.STAFF_NOTIFICATION_EMAILS, template="summit/email/staff_new_reflection",
                    context={"reflection": reflection}, language=settings.LANGUAGE_CODE)
    return reflection, True


def _decide(reflection: Reflection, *, moderator, status: str, reason: str = "", note: str = "") -> bool:
    if reflection.status == status and reflection.rejection_reason == reason:
        return False
    if reflection.status == Status.WITHDRAWN:
        return False
    reflection.status = status
    reflection.rejection_reason = reason
    reflection.rejection_note = note
    reflection.moderated_by = moderator
    reflection.moderated_at = timezone.now()
    reflection.save()
    return True


@transaction.atomic
def approve_reflection(reflection: Reflection, *, moderator) -> bool:
    """Publish a reflection and tell its author, if they left an email."""
    reflection = Reflection.objects.select_for_update().get(pk=reflection.pk)
    if not _decide(reflection, moderator=moderator, status=Status.APPROVED):
        return False
    if reflection.email:
        queue_email(to=[reflection.email], template="summit/email/reflection_approved",
                    context={"reflection": reflection}, language=reflection.language)
    return True


@transaction.atomic
def reject_reflection(reflection: Reflection, *, moderator, reason: str, note: str = "") -> bool:
    """Keep a reflection off the site and email its author the reason, if they left an email."""
    if reason not in RejectionReason.values:
        raise ValueError(f"Unknown rejection reason: {reason!r}")
    reflection = Reflection.objects.select_for_update().get(pk=reflection.pk)
    if not _decide(reflection, moderator=moderator, status=Status.REJECTED, reason=reason, note=note):
        return False
    if reflection.email:
        queue_email(to=[reflection.email], template="summit/email/reflection_rejected",
                    context={"reflection": reflection, "reason": RejectionReason(reason).label,
                             "note": note},
                    language=reflection.language)
    return True
