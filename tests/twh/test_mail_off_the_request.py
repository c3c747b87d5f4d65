"""A mail server that accepts connections and never answers slows no request: submissions,
summit registrations and "Approve selected" only store the email and its task; the task worker
sends each email exactly once when a real SMTP server answers."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from events.models import HealingEvent
from tests.conftest import event_form_data, make_event, run_task_worker
from tests.summit.conftest import make_summit, registration_form_data
from tests.twh.smtp_servers import HungSMTPServer, RecordingSMTPServer
from twh.core.antispam import make_form_token
from twh.core.moderation import Status
from twh.core.outbox import send_pending_emails
from twh.models import OutboxEmail

CHANGELIST = "/admin/events/healingevent/"


@pytest.fixture
def hung_smtp(settings):
    server = HungSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_TIMEOUT = 120  # a request that waited on it would hang far past the test
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_RETRY_SECONDS = 0  # a failed email is due again at once
    yield server
    server.close()


@pytest.fixture
def real_smtp():
    server = RecordingSMTPServer()
    yield server
    server.close()


def use_real_smtp(settings, server):
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 10


def everything_a_person_and_a_moderator_do(client, moderator):
    """An event submission, a message, a summit registration, and approving six events at once."""
    make_summit(capacity=10)
    responses = [
        client.post(reverse("events:submit"), event_form_data()),
        client.post(reverse("events:new_message"), {
            "text": "We heal together", "email": "writer@example.net", "form_token": make_form_token()}),
        client.post(reverse("summit:register"), registration_form_data()),
    ]
    pending = [make_event(status=Status.PENDING) for _ in range(6)]
    client.force_login(moderator)
    responses.append(client.post(CHANGELIST, {"action": "approve_selected",
                                              "_selected_action": [e.pk for e in pending]}))
    client.logout()
    assert [r.status_code for r in responses] == [302, 302, 302, 302]
    assert HealingEvent.objects.filter(pk__in=[e.pk for e in pending], status=Status.APPROVED).count() == 6


def delivered(server) -> Counter:
    return Counter((to, message["Subject"]) for to, message in server.messages)


def expected(emails) -> Counter:
    return Counter((tuple(e.to), e.subject) for e in emails)


@pytest.mark.django_db
def test_requests_only_queue_email_and_the_worker_sends_each_once_when_smtp_answers(
    client, moderator, settings, hung_smtp, real_smtp
):
    everything_a_person_and_a_moderator_do(client, moderator)

    # Every answer came back, and not one request so much as opened a connection to SMTP.
    assert hung_smtp.connections == [] and not hung_smtp.answered
    queued = list(OutboxEmail.objects.all())
    assert len(queued) == 2 + 2 + 1 + 6  # submitter+staff, writer+staff, registrant, six approvals
    assert all(e.sent_at is None and e.attempts == 0 for e in queued)
    assert DBTaskResult.objects.ready().count() == len(queued)  # one task each, stored with it

    use_real_smtp(settings, real_smtp)
    assert run_task_worker() == len(queued)
    assert delivered(real_smtp) == expected(queued)
    assert OutboxEmail.objects.unsent().count() == 0

    # Exactly once: the queue is empty, and the cron sweep finds nothing to send again.
    assert run_task_worker() == 0
    assert send_pending_emails() == (0, 0)
    assert delivered(real_smtp) == expected(queued)


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_neither_an_email_nor_its_task(settings):
    from django.db import transaction

    from twh.core.outbox import queue_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to=["a@example.net"], template="events/email/message_received",
                    context={"message": {"text": "x"}})
        assert OutboxEmail.objects.count() == 1 and DBTaskResult.objects.count() == 1
        raise RuntimeError("the cause rolled back")
    assert OutboxEmail.objects.count() == 0 and DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason=(
    "a worker thread beside the test client needs PostgreSQL (SQLite's test database locks "
    "whole tables across threads); runs in CI on PostgreSQL"))
def test_a_worker_stuck_on_a_hung_smtp_server_slows_no_request(
    reference_data, client, moderator, settings, hung_smtp, real_smtp
):
    """The production shape: a worker is already waiting on the silent SMTP server while people
    submit, register and moderate; every request is answered while it still waits."""
    first = make_event(status=Status.PENDING)
    from events.moderation import approve

    approve(first, moderator=moderator)  # one email queued for the worker to get stuck on
    worker = threading.Thread(target=_worker_in_thread, daemon=True)
    worker.start()
    assert hung_smtp.connected.wait(30), "the worker never reached the SMTP server"

    everything_a_person_and_a_moderator_do(client, moderator)
    assert worker.is_alive() and not hung_smtp.answered  # answered while SMTP was still silent
    assert len(hung_smtp.connections) == 1  # only the worker ever spoke to it

    hung_smtp.close()  # the silent server hangs up: the worker's attempt fails and is retried
    worker.join(timeout=60)
    assert not worker.is_alive()
    use_real_smtp(settings, real_smtp)
    run_task_worker()
    send_pending_emails()
    assert delivered(real_smtp) == expected(OutboxEmail.objects.all())
    assert OutboxEmail.objects.unsent().count() == 0


def _worker_in_thread():
    try:
        run_task_worker(max_tasks=1)  # the one email it gets stuck on
    finally:
        connection.close()
