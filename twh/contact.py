"""Messages to the Office from the contact form: sent to staff, never stored for publication."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from twh.core.outbox import queue_email

# A resubmitted form (a double click, a reload) is sent once; kept as long as a form token lives.
SENT_KEY = "twh.contact.sent:{}"


def send_contact_message(*, name: str, email: str, topic: str, message: str, language: str,
                         submission_token: uuid.UUID) -> bool:
    """Queue the message to STAFF_NOTIFICATION_EMAILS; False when this form was already sent."""
    if not cache.add(SENT_KEY.format(submission_token), True, settings.FORM_MAX_AGE_SECONDS):
        return False
    try:
        with transaction.atomic():
            _queue(name=name, email=email, topic=topic, message=message, language=language)
    except Exception:
        cache.delete(SENT_KEY.format(submission_token))  # nothing was sent: let them try again
        raise
    return True


def _queue(*, name, email, topic, message, language):
    queue_email(
        to=settings.STAFF_NOTIFICATION_EMAILS,
        template="twh/email/staff_contact",
        context={"name": name, "email": email, "topic": topic, "message": message, "language": language},
        language=settings.LANGUAGE_CODE,
    )
