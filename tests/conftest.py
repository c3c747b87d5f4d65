"""Shared fixtures and small factories for the whole suite."""

import itertools
import os
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from events.models import CommunityArea, HealingEvent, HealingMessage
from events.privacy import apply_public_point
from twh.core.antispam import make_form_token
from twh.core.moderation import Status

_counter = itertools.count(1)

# Task workers the tests start (make serve's shape, the mail tests) run at normal priority: on a
# loaded test machine a niced one (TASK_WORKER_NICE, 10 in production) could starve and make a
# test wait on the clock.
os.environ.setdefault("TASK_WORKER_NICE", "0")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Offline, fast and deterministic: the fake geocoder, no fill-time wait, local caches."""
    settings.GEOCODER = "fake"
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.SUBMIT_RATE_LIMIT = "1000/m"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run in the test process once the transaction commits (tests that need the real
    # queue, tests/twh/test_mail_off_the_request.py, switch to the database backend).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@example.org"]
    settings.SUBMISSIONS_OPEN = None
    settings.SUBMISSIONS_CLOSE = None
    settings.MAP_SERVE_STALE = False  # tests of stale serving turn it on and run rebuilds by hand
    settings.EDITION_MEMO_SECONDS = 0  # tests change editions in ways no signal sees (rollbacks)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    from twh.core.page_cache import forget_pages

    cache.clear()
    forget_pages()
    # A request leaves its language active in the thread; every test starts in English, so a
    # factory's `title=` (a translated field on some models) is always the English one.
    translation.activate(settings.LANGUAGE_CODE)
    from events.geometry import clear_area_index

    clear_area_index()  # a rolled-back test's polygons must not outlive it in this process
    yield
    translation.deactivate()


def current_edition(**changes):
    """The current campaign edition, with these fields changed and saved (its dates, its window)."""
    from twh.core.editions import Edition

    edition = Edition.objects.current()
    for name, value in changes.items():
        setattr(edition, name, value)
    if changes:
        edition.save()
    return edition


def area(number: int = 32) -> CommunityArea:
    return CommunityArea.all_objects.get(number=number)  # retired ones too


def make_event(**overrides) -> HealingEvent:
    """A valid event; approved unless told otherwise. Saved."""
    n = next(_counter)
    starts_at = overrides.pop("starts_at", timezone.now() + timedelta(days=3))
    values = {
        "title": f"Healing circle {n}",
        "description": "Neighbours talk about belonging.",
        "kind": HealingEvent.Kind.DIALOGUE,
        "format": HealingEvent.Format.VIRTUAL,
        "starts_at": starts_at,
        "participants": 20,
        "host_type": HealingEvent.HostType.ORGANIZATION,
        "host_name": f"Block Club {n}",
        "location_basis": HealingEvent.LocationBasis.HOST,
        "address": "121 N LaSalle St",
        "latitude": 41.8837,
        "longitude": -87.6319,
        "community_area": area(32),
        "message": "May we listen to each other.",
        "message_consent": True,
        "contact_name": f"Private Person {n}",
        "contact_email": f"private{n}@example.net",
        "contact_phone": f"312-555-{n:04d}",
        "status": Status.APPROVED,
    }
    values.update(overrides)
    event = HealingEvent(**values)
    apply_public_point(event)
    event.save()
    return event


def make_message(**overrides) -> HealingMessage:
    n = next(_counter)
    values = {"text": f"Healing message {n}", "display_name": f"Friend {n}",
              "email": f"friend{n}@example.net", "status": Status.APPROVED}
    values.update(overrides)
    return HealingMessage.objects.create(**values)


def event_form_data(**overrides) -> dict:
    """POST data for the public event form that passes validation."""
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "title": "Story circle on our block",
        "kind": "dialogue",
        "format": "virtual",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "participants": "25",
        "language_of_event": "en",
        "description": "Neighbours share stories about growing up here.",
        "host_type": "organization",
        "host_name": "Hyde Park Neighbours",
        "website": "https://example.org/",
        "location_basis": "host",
        "address": "5801 S Ellis Ave",
        "community_area": str(area(41).pk),
        "latitude": "",
        "longitude": "",
        "message": "We heal together.",
        "message_consent": "on",
        "contact_name": "Jordan Private",
        "contact_email": "jordan.private@example.net",
        "contact_phone": "773-555-0199",
        "form_token": make_form_token(),
        "homepage": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user("moderator", "mod@example.org", "a-long-test-password-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.org", "a-long-test-password-2")


def restore_reference_data() -> None:
    """Re-create what migrations create (the areas and the Moderators group).

    Transactional tests (the browser ones) flush every table afterwards, data migrations'
    rows included; this puts them back the way the migrations made them.
    """
    from importlib import import_module

    from django.apps import apps

    from events.areas import AREAS

    moderators = import_module("events.migrations.0003_moderators_group")

    for number, official_name, name, latitude, longitude in AREAS:
        CommunityArea.objects.get_or_create(
            number=number,
            defaults={"official_name": official_name, "name": name,
                      "centroid_latitude": latitude, "centroid_longitude": longitude},
        )
    from twh.core.roles import grant_to_moderators

    grant_to_moderators(apps, moderators.PERMISSIONS)
    reports = import_module("events.migrations.0007_report_questions_and_moderators")
    reports.seed_questions(apps)
    grant_to_moderators(apps, reports.PERMISSIONS)
    summit_moderators = import_module("summit.migrations.0002_moderators_group")
    grant_to_moderators(apps, summit_moderators.PERMISSIONS)


@pytest.fixture
def reference_data(transactional_db):
    restore_reference_data()


def run_task_worker(*, max_tasks: int | None = None) -> int:
    """Run the database task queue like `manage.py db_worker --batch`: every ready task, then stop.

    Returns how many tasks ran. (The command itself would also take over this process's signals.)
    """
    from unittest import mock

    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=max_tasks, worker_id="test-worker",
                    excluded_queue_names=[])
    if connection.in_atomic_block:
        # Inside a test's transaction: the worker's connection clean-up would close it.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            worker.run()
    else:
        worker.run()
    return worker._run_tasks
