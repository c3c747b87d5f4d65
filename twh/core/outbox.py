"""Queue emails in the caller's transaction; the task worker sends them, once, with retries.

The request (or admin action, or command) only writes: an OutboxEmail row and, with the
database task backend, the task that sends it, both in the caller's transaction. The worker
(`manage.py db_worker`, any number of them on any number of machines) talks to SMTP outside any
transaction. A failed send is retried by a deferred task with exponential backoff, and
`manage.py send_pending_emails` (cron) picks up anything left behind, so nothing is lost.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django_tasks import task
from django_tasks_db import DatabaseBackend

from twh.core.models import OutboxEmail
from twh.core.validation import one_line

logger = logging.getLogger(__name__)

# How long a worker owns an email it is sending. Longer than any send can take (each SMTP step
# is bounded by EMAIL_TIMEOUT); a worker that died mid-send frees its email after this.
CLAIM = timedelta(minutes=10)


def queue_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str = "en",
    attachments: list[tuple[str, str, str]] | None = None,
) -> OutboxEmail:
    """Render `template`_subject.txt, _body.txt and _body.html in `language`, store the email, queue its send.

    The HTML alternative is rendered from the same context (and the subject, its heading) and
    stored in the row, so a retry sends exactly what was written.

    Must be called inside the transaction that makes the email true, so that a rolled-back
    submission never sends, and a committed one always has its email stored.
    """
    context = {"site_url": settings.SITE_URL, "campaign_name": settings.CAMPAIGN_NAME,
               "campaign_city": settings.CAMPAIGN_CITY, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        subject = one_line(subject)  # no stored text can ever break the header
        body = render_to_string(f"{template}_body.txt", context)
        html_body = _render_html(template, {**context, "subject": subject})
    email = OutboxEmail.objects.create(
        to=list(to), subject=subject[:255], body=body, html_body=html_body,
        attachments=[list(a) for a in attachments or []],
    )
    if isinstance(send_email.get_backend(), DatabaseBackend):
        # The task is a row in the same database: it commits, or rolls back, with the email.
        send_email.enqueue(email.pk)
    else:  # the immediate backend (tests, or a site without a worker): send once committed
        transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def _render_html(template: str, context: dict) -> str:
    """The HTML alternative, `template`_body.html (autoescaped, unlike the text), or "" if none."""
    try:
        html = get_template(f"{template}_body.html")
    except TemplateDoesNotExist:
        return ""
    return html.render(context)


@task()
def send_email(outbox_id: int) -> bool:
    """The task the worker runs for each queued email."""
    return send_outbox_email(outbox_id)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … times EMAIL_RETRY_SECONDS after each failure, at most six hours apart."""
    return timedelta(seconds=min(settings.EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 6 * 60 * 60))


def _claim(pk: int) -> OutboxEmail | None:
    """Take one unsent email for this worker in a short transaction, or None if it is not ours."""
    now = timezone.now()
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        email.claimed_until = now + CLAIM
        email.save(update_fields=["attempts", "claimed_until"])
        return email


def send_outbox_email(pk: int) -> bool:
    """Send one stored email unless it was sent (or is being sent) already; True when sent now.

    SMTP is never spoken inside a transaction: the email is claimed, sent, then marked.
    """
    email = _claim(pk)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL, to=email.to
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for filename, content, mimetype in email.attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception as exc:  # any transport failure: retried later, with backoff
        _failed(email, exc)
        return False
    OutboxEmail.objects.filter(pk=pk).update(
        sent_at=timezone.now(), last_error="", claimed_until=None, next_attempt_at=None
    )
    return True


def _failed(email: OutboxEmail, exc: Exception) -> None:
    give_up = email.attempts >= settings.EMAIL_MAX_ATTEMPTS
    next_attempt = None if give_up else timezone.now() + retry_delay(email.attempts)
    OutboxEmail.objects.filter(pk=email.pk).update(
        last_error=f"{type(exc).__name__}: {exc}"[:255], claimed_until=None, next_attempt_at=next_attempt
    )
    logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, type(exc).__name__)
    if next_attempt is not None and send_email.get_backend().supports_defer:
        send_email.using(run_after=next_attempt).enqueue(email.pk)


def send_pending_emails(*, limit: int = 500) -> tuple[int, int]:
    """Send every unsent email that is due (its backoff has passed), oldest first.

    Returns (sent, still failing). Safe to run from cron on every machine at once.
    """
    sent = failed = 0
    for pk in OutboxEmail.objects.due().order_by("created_at").values_list("pk", flat=True)[:limit]:
        if send_outbox_email(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
