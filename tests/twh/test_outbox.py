"""The outbox on the task engine: retries with backoff, giving up, and claims (never twice)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from twh.core.outbox import retry_delay, send_outbox_email, send_pending_emails
from twh.models import OutboxEmail

pytestmark = pytest.mark.django_db


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_RETRY_SECONDS = 60
    settings.EMAIL_MAX_ATTEMPTS = 3


def stored(**overrides) -> OutboxEmail:
    return OutboxEmail.objects.create(to=["a@example.net"], subject="Hello", body="Hi", **overrides)


def test_the_delay_doubles_and_is_capped_at_six_hours(settings):
    settings.EMAIL_RETRY_SECONDS = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(50) == timedelta(hours=6)


def test_a_failed_send_waits_its_backoff_on_a_deferred_task(smtp_down):
    email = stored()
    before = timezone.now()
    assert send_outbox_email(email.pk) is False
    email.refresh_from_db()
    assert email.attempts == 1 and email.sent_at is None and email.claimed_until is None
    assert "ConnectionRefusedError" in email.last_error
    assert before + timedelta(seconds=60) <= email.next_attempt_at <= timezone.now() + timedelta(seconds=60)
    (retry,) = DBTaskResult.objects.all()
    assert retry.run_after == email.next_attempt_at and retry.args_kwargs["args"] == [email.pk]
    assert not OutboxEmail.objects.due().exists()  # the cron sweep leaves it alone until then
    assert send_pending_emails() == (0, 0)


def test_after_the_last_attempt_it_waits_in_the_admin(smtp_down):
    email = stored(attempts=2)
    assert send_outbox_email(email.pk) is False
    email.refresh_from_db()
    assert email.attempts == 3 and email.next_attempt_at is None and email.sent_at is None
    assert not DBTaskResult.objects.exists() and not OutboxEmail.objects.due().exists()


def test_an_email_a_worker_is_sending_is_not_sent_again_until_its_claim_lapses():
    email = stored(claimed_until=timezone.now() + timedelta(minutes=5))
    assert send_outbox_email(email.pk) is False and mail.outbox == []
    OutboxEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert send_outbox_email(email.pk) is True and len(mail.outbox) == 1
    assert send_outbox_email(email.pk) is False and len(mail.outbox) == 1  # sent: never twice
