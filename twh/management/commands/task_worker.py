"""`manage.py task_worker`: django-tasks-db's `db_worker`, kept alive through a database outage.

`db_worker` exits on the first database error other than a lock (a PostgreSQL restart, a failover,
a dropped connection). Under systemd that costs a restart; under `make serve` it stopped the whole
site, and in between queued emails waited. This worker logs the error, closes the broken
connections, waits (1 s, doubling to 30 s) and carries on; same options as `db_worker`.

It runs at a lower CPU priority (TASK_WORKER_NICE, 10 by default): its work is background work
(rebuilding the map's documents after an approval, sending email), and on a machine it shares
with the app servers, a visitor's request should never queue behind it.
"""

import logging
import os
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("twh.tasks")

MAX_BACKOFF_SECONDS = 30.0
# A worker that ran this long since its last error had recovered: start the back-off afresh.
HEALTHY_SECONDS = 60.0


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        delay = 1.0
        while self.running:
            started = time.monotonic()
            try:
                return super().run()
            except (DatabaseError, InterfaceError) as error:
                if time.monotonic() - started > HEALTHY_SECONDS:
                    delay = 1.0
                logger.warning("task worker: database unavailable (%s); retrying in %.0f s",
                               type(error).__name__, delay)
                for connection in connections.all(initialized_only=True):
                    connection.close_if_unusable_or_obsolete()
                close_old_connections()
                self._wait(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)

    def _wait(self, seconds: float) -> None:
        """Sleep in short steps so that SIGTERM (which clears `running`) stops the wait."""
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))


class Command(db_worker.Command):
    help = "Run the task worker (db_worker), riding out database outages"

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options) -> None:
        self.configure_logging(verbosity)
        if settings.TASK_WORKER_NICE:
            os.nice(settings.TASK_WORKER_NICE)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloader's child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
