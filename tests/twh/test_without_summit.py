"""The roof works on a site without the summit app: the dashboard and the purge leave it out."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from summit.models import Reflection, Registration, Summit
from tests.conftest import make_event
from twh.core.moderation import Status
from twh.dashboard import build_dashboard
from twh.retention import purge_personal_data

pytestmark = pytest.mark.django_db

WITHOUT_SUMMIT = [app for app in settings.INSTALLED_APPS if app != "summit"]
LONG_AGO = timezone.now() - timedelta(days=400)


@pytest.fixture
def old_summit_rows():
    make_event()
    summit = Summit.objects.create(title="Past summit", description="d", starts_at=LONG_AGO,
                                   ends_at=LONG_AGO + timedelta(hours=3), capacity=5)
    registration = Registration.objects.create(summit=summit, status="confirmed", name="Old Name",
                                               email="old@example.net", role="partner")
    Registration.objects.filter(pk=registration.pk).update(created_at=LONG_AGO)
    reflection = Reflection.objects.create(theme="progress", text="We grew", status=Status.APPROVED,
                                           email="writer@example.net")
    Reflection.objects.filter(pk=reflection.pk).update(submitted_at=LONG_AGO)
    return registration, reflection


def labels(dashboard) -> set[str]:
    return {str(row[0]) for row in dashboard["totals"].rows}


def test_the_dashboard_leaves_the_summit_out_when_it_is_not_installed(old_summit_rows):
    assert "Reflections received" in labels(build_dashboard())
    with override_settings(INSTALLED_APPS=WITHOUT_SUMMIT):
        assert not apps.is_installed("summit")
        dashboard = build_dashboard()
    assert "Approved events" in labels(dashboard)
    assert not {"Reflections received", "Summit waitlist"} & labels(dashboard)


def test_the_purge_runs_without_the_summit_and_leaves_its_rows_alone(old_summit_rows):
    registration, reflection = old_summit_rows
    before = timezone.localdate() - timedelta(days=30)
    with override_settings(INSTALLED_APPS=WITHOUT_SUMMIT):
        counts = purge_personal_data(before=before, dry_run=True)
        out = StringIO()
        call_command("purge_personal_data", "--before", before.isoformat(), stdout=out)
    assert counts and "stored emails" in counts  # the other purges still ran
    assert "registrations" not in counts and "reflections" not in counts
    registration.refresh_from_db()
    reflection.refresh_from_db()
    assert registration.email == "old@example.net" and reflection.email == "writer@example.net"
    assert purge_personal_data(before=before, dry_run=True)["registrations"] == 1
