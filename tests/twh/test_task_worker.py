"""`manage.py task_worker` rides out a database outage instead of exiting (as db_worker does)."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

from twh.management.commands.task_worker import ResilientWorker


def worker():
    return ResilientWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                           startup_delay=False, max_tasks=None, worker_id="test-worker",
                           excluded_queue_names=[])


@pytest.mark.django_db
def test_a_database_error_is_logged_and_the_worker_carries_on(caplog):
    outage = [OperationalError("server closed the connection unexpectedly"),
              InterfaceError("connection already closed"), None]
    resilient = worker()
    with mock.patch.object(db_worker.Worker, "run", side_effect=outage) as run, \
            mock.patch.object(ResilientWorker, "_wait") as wait:
        resilient.run()
    assert run.call_count == 3
    assert [call.args[0] for call in wait.call_args_list] == [1.0, 2.0]  # backing off
    assert "database unavailable (OperationalError)" in caplog.text


def test_other_errors_still_stop_the_worker():
    with mock.patch.object(db_worker.Worker, "run", side_effect=ValueError("a bug")), \
            mock.patch.object(ResilientWorker, "_wait"):
        with pytest.raises(ValueError):
            worker().run()


def test_a_stopped_worker_does_not_wait_out_its_back_off():
    resilient = worker()
    resilient.running = False
    with mock.patch("twh.management.commands.task_worker.time.sleep") as sleep:
        resilient._wait(30)
    sleep.assert_not_called()


def test_the_command_takes_db_workers_options(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_WORKER_NICE = 7
    with mock.patch.object(ResilientWorker, "run", autospec=True) as run, \
            mock.patch("twh.management.commands.task_worker.os.nice") as nice:
        call_command("task_worker", "--batch", "--no-startup-delay", "--interval", "0")
    (resilient,), _ = run.call_args
    assert resilient.batch is True and resilient.interval == 0
    nice.assert_called_once_with(7)  # background work yields the CPU to the app servers
