"""Reflection writes: share one (staff decisions are in summit/moderation.py).

Each runs in one transaction and queues its emails in it (sent after commit by the outbox).
"""

import uuid

from django.conf import settings
from django.db import transaction

from summit.models import Reflection, Summit
from twh.core.once import earlier, save_once
from twh.core.outbox import queue_email


@transaction.atomic
def submit_reflection(
    *, data: dict, summit: Summit | None, submission_token: uuid.UUID | None, language: str = "en"
) -> tuple[Reflection, bool]:
    """Store a pending reflection; the same form token always gives the same reflection."""
    existing = earlier(Reflection.objects, submission_token=submission_token, twin={
        "text": data["text"], "theme": data["theme"], "email": data.get("email", "").strip().lower(),
        "display_name": data.get("display_name", "").strip(),
    })
    if existing is not None:
        return existing, False
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
    reflection, created = save_once(reflection, submission_token=submission_token)
    if not created:
        return reflection, False
    if settings.STAFF_NOTIFICATION_EMAILS:
        queue_email(to=settings.STAFF_NOTIFICATION_EMAILS, template="summit/email/staff_new_reflection",
                    context={"reflection": reflection}, language=settings.LANGUAGE_CODE)
    return reflection, True
