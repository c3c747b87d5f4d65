"""Small factories for summit tests."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from summit import services
from summit.models import Summit
from twh.core.antispam import make_form_token

_counter = itertools.count(1)
MEETING_URL = "https://meet.example.org/secret-room-4242"


def make_summit(**overrides) -> Summit:
    starts_at = overrides.pop("starts_at", timezone.now() + timedelta(days=30))
    values = {
        "title": f"Healing summit {next(_counter)}",
        "description": "We reflect on the year together.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "meeting_url": MEETING_URL,
        "capacity": 2,
        "is_current": True,
    }
    values.update(overrides)
    return Summit.objects.create(**values)


def registrant(**overrides) -> dict:
    n = next(_counter)
    data = {"name": f"Person {n}", "email": f"person{n}@example.net", "role": "ambassador",
            "consent": True}
    data.update(overrides)
    return data


def sign_up(summit, **overrides):
    """Register someone through the service, as the view does; returns the SignUp."""
    return services.register_attendee(summit=summit, data=registrant(**overrides), submission_token=None)


def registration_form_data(**overrides) -> dict:
    data = {
        "name": "Alex Private", "email": "alex.private@example.net", "organization": "Block Club",
        "area_or_zip": "60608", "role": "partner", "interpretation_language": "",
        "access_needs_other": "", "heard_about": "friend", "heard_about_other": "", "consent": "on",
        "form_token": make_form_token(), "homepage": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def summit(db):
    return make_summit()
