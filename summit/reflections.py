"""Reflection writes: share one (staff decisions are in summit/moderation.py).

Each runs in one transaction and queues its emails in it (sent after commit by the outbox).
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from summit.models import Reflection, Summit
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
