"""The reminder command is idempotent; the demo summit is deterministic and idempotent."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from summit.demo import summit_date
from summit.models import Reflection, Summit
from tests.summit.conftest import MEETING_URL, make_summit, sign_up

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("send_summit_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminders_go_once_to_confirmed_registrants_only(django_capture_on_commit_callbacks):
    summit = make_summit(starts_at=timezone.now() + timedelta(hours=20), capacity=2)
    confirmed = [sign_up(summit).registration for _ in range(2)]
    waiting = sign_up(summit).registration
    mail.outbox.clear()
    dry = _run("--dry-run")
    assert confirmed[0].email in dry and waiting.email not in dry and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in confirmed)
    assert all(MEETING_URL in m.body for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        output = _run()
    assert len(mail.outbox) == 2 and "Reminded 0" in output
    assert "would remind 0" in _run("--dry-run")


def test_someone_promoted_after_the_reminders_gets_one_next_time(django_capture_on_commit_callbacks):
    from summit.services import cancel_registration

    summit = make_summit(starts_at=timezone.now() + timedelta(hours=20), capacity=1)
    first = sign_up(summit).registration
    waiting = sign_up(summit).registration
    _run()
    cancel_registration(registration=first)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert [m.to for m in mail.outbox] == [[waiting.email]]


def test_summits_far_off_are_not_reminded_unless_named():
    summit = make_summit(starts_at=timezone.now() + timedelta(days=20))
    sign_up(summit)
    assert "nothing to send" in _run()
    assert "reminded 1" in _run("--summit", str(summit.pk))


def test_seed_summit_is_idempotent_and_deterministic(settings):
    settings.CAMPAIGN_END = date(2027, 1, 31)
    call_command("seed_summit", stdout=StringIO())
    call_command("seed_summit", stdout=StringIO())
    summit = Summit.objects.get()
    assert summit.is_current and timezone.localtime(summit.starts_at).date() == date(2027, 1, 29)
    assert summit.agenda_items.count() == 5 and summit.prompts.count() == 2
    assert Reflection.objects.approved().count() == 4


def test_summit_date_is_the_last_friday_on_or_before_the_campaign_end(settings):
    settings.CAMPAIGN_END = date(2027, 1, 31)  # a Sunday
    assert summit_date() == date(2027, 1, 29)
    settings.CAMPAIGN_END = date(2027, 1, 29)  # a Friday itself
    assert summit_date() == date(2027, 1, 29)


def test_summit_date_without_a_campaign_end(settings):
    settings.CAMPAIGN_END = None
    assert summit_date(date(2026, 11, 21)) == date(2027, 1, 29)
    assert summit_date(date(2027, 11, 21)) == date(2028, 1, 28)
