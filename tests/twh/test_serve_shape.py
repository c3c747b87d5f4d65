"""`make serve`'s shape with several gunicorn workers and no REDIS_URL.

- Plain gunicorn, three workers, each with its own local-memory cache and no Redis at all: a
  rejected event leaves every worker's next answer, because the public-data version that keys
  their caches is read from the database (twh/core/publication.py).
- scripts/serve.py (what `make serve` runs) without REDIS_URL starts a Redis of its own, so the
  form limit and the admin sign-in limit count across its workers, and its task worker sends the
  emails the requests queued.

PostgreSQL only: app servers in other processes need the test database (SQLite's is in memory).
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from bench.serving import ROOT, Client, free_port, gunicorn, production_env, serve
from events import moderation
from tests.conftest import event_form_data, make_event
from tests.twh.test_two_instances import served_database_url
from twh.core.moderation import RejectionReason, Status
from twh.models import OutboxEmail

pytestmark = pytest.mark.django_db(transaction=True)

READS = 24  # per URL: each on a new connection, so gunicorn hands them to whichever worker


@pytest.fixture
def app_env(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("app servers in other processes need a shared PostgreSQL test database "
                    "(set DATABASE_URL=postgres://...); runs in CI on PostgreSQL")
    return production_env(
        database_url=served_database_url(), redis_url="",
        DJANGO_SETTINGS_MODULE="tests.twh.serving_settings", DB_CONN_MAX_AGE="60",
        SUBMIT_RATE_LIMIT="4/d", ADMIN_LOGIN_RATE="5/d",  # long windows: no reset mid-test
        PAGE_CACHE_SECONDS="600", TASK_WORKERS="1",
        # Decisions must show at once here: serving the previous map while the worker rebuilds it
        # after an approval is tested on its own (tests/healingmap/test_documents.py).
        MAP_SERVE_STALE="false",
    )


def fresh_get(port: int, path: str):
    client = Client(port)
    try:
        return client.get(path)
    finally:
        client.close()


def shows(port: int, event) -> list[bool]:
    """For READS GeoJSON reads and READS list reads: does each one show the event?"""
    seen = []
    for _ in range(READS):
        geojson = fresh_get(port, "/map/events.geojson")
        assert geojson.status == 200
        seen.append(event.pk in {int(f["properties"]["id"]) for f in json.loads(geojson.body)["features"]})
        listing = fresh_get(port, "/map/list/")
        assert listing.status == 200
        seen.append(event.title in listing.text)
    return seen


def test_without_redis_a_rejected_event_leaves_every_workers_next_answer(app_env, moderator):
    event = make_event(title="A circle at a private home", status=Status.PENDING)
    port = free_port()
    with gunicorn(port=port, env=app_env, workers=3):
        assert not any(shows(port, event))
        moderation.approve(event, moderator=moderator)
        assert all(shows(port, event))  # every worker has now cached it, in its own memory
        moderation.reject(event, moderator=moderator, reason=RejectionReason.PRIVATE_PERSON)
        assert not any(shows(port, event))


def submit(port: int, title: str) -> int:
    client = Client(port)
    try:
        fields = client.form_fields("/events/submit/")
        return client.post("/events/submit/", event_form_data(title=title, **fields)).status
    finally:
        client.close()


def wrong_sign_in(port: int) -> int:
    client = Client(port)
    try:
        fields = client.form_fields("/admin/login/")
        return client.post("/admin/login/", {**fields, "username": "moderator",
                                             "password": "not-the-password"}).status
    finally:
        client.close()


@pytest.mark.skipif(shutil.which("redis-server") is None,
                    reason="needs Debian's redis-server (apt-get install redis-server)")
def test_make_serve_without_redis_url_counts_limits_across_workers_and_sends_mail(
    app_env, moderator, tmp_path
):
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log, serve(port=port, env=app_env, workers=3, log=log):
        statuses = [submit(port, f"Circle {n}") for n in range(10)]
        assert statuses == [302] * 4 + [429] * 6  # 4 a day from one address, on any worker

        sign_ins = [wrong_sign_in(port) for _ in range(10)]
        assert sign_ins == [200] * 5 + [429] * 5  # 5 wrong passwords, then throttled everywhere

        event = make_event(title="Approved then rejected", status=Status.PENDING)
        moderation.approve(event, moderator=moderator)
        assert all(shows(port, event))
        moderation.reject(event, moderator=moderator, reason=RejectionReason.PRIVATE_PERSON)
        assert not any(shows(port, event))

        # serve's task worker sends what the requests and decisions queued (bounded wait).
        deadline = time.monotonic() + 60
        while OutboxEmail.objects.unsent().exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert OutboxEmail.objects.count() == 4 * 2 + 2 and not OutboxEmail.objects.unsent().exists()
    assert "a Redis of its own answers on 127.0.0.1:" in log_path.read_text()


def test_serve_refuses_several_workers_without_any_redis(tmp_path):
    """No REDIS_URL and no redis-server to start: more than one worker would count limits apart."""
    env = {**os.environ, "REDIS_URL": "", "PATH": str(tmp_path)}  # no redis-server on this PATH
    result = subprocess.run(
        [sys.executable, str(Path(ROOT) / "scripts" / "serve.py"), "prod", "--port", "1", "--workers", "2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "REDIS_URL is empty and redis-server is not installed" in result.stderr
    assert "WEB_CONCURRENCY=1" in result.stderr


def test_the_deploy_check_fails_when_rate_limits_are_counted_per_process():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "test-" + "k3y-for-the-deploy-check-only-" * 3,
        "DJANGO_ALLOWED_HOSTS": "healing.example.org", "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "twh.E001" in result.stderr and "REDIS_URL" in result.stderr
