"""Queue emails in the caller's transaction and send them once it commits."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from twh.models import OutboxEmail

logger = logging.getLogger(__name__)


def queue_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str = "en",
    attachments: list[tuple[str, str, str]] | None = None,
) -> OutboxEmail:
    """Render `template`_subject.txt and _body.txt in `language`, store the email, send on commit.

    Must be called inside the transaction that makes the email true, so that a rolled-back
    submission never sends, and a committed one always has its email stored.
    """
    context = {"site_url": settings.SITE_URL, "campaign_name": settings.CAMPAIGN_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip().replace("\n", " ")
        body = render_to_string(f"{template}_body.txt", context)
    email = OutboxEmail.objects.create(
        to=list(to), subject=subject[:255], body=body, attachments=[list(a) for a in attachments or []]
    )
    transaction.on_commit(lambda: send_outbox_email(email.pk))
    return email


def send_outbox_email(pk: int) -> bool:
    """Send one stored email unless it was sent already; True when it is sent now."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=pk, sent_at__isnull=True).first()
        if email is None:
            return False
        message = EmailMessage(
            subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL, to=email.to
        )
        for filename, content, mimetype in email.attachments:
            message.attach(filename, content, mimetype)
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # any transport failure: keep it for the retry command
            email.last_error = f"{type(exc).__name__}: {exc}"[:255]
            email.save(update_fields=["attempts", "last_error"])
            logger.warning("Email %s not sent yet (attempt %s): %s", pk, email.attempts, type(exc).__name__)
            return False
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "last_error", "sent_at"])
        return True


def send_pending_emails(*, limit: int = 500) -> tuple[int, int]:
    """Retry every unsent email, oldest first; returns (sent, still failing)."""
    sent = failed = 0
    for pk in OutboxEmail.objects.unsent().order_by("created_at").values_list("pk", flat=True)[:limit]:
        if send_outbox_email(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
