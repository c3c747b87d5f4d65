"""The event services take EventForm.cleaned_data (EventDetails) and nothing beyond it."""

import pytest

from events import services
from events.forms import EventForm
from events.models import HealingEvent
from tests.conftest import event_form_data, make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db


def _cleaned(**overrides) -> dict:
    form = EventForm(event_form_data(latitude="41.79", longitude="-87.6", **overrides))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_the_event_form_has_exactly_the_fields_the_services_take():
    assert list(EventForm().fields)[:len(services.EventDetails.__annotations__)] == list(
        services.EventDetails.__annotations__)


def test_submit_event_stores_only_what_a_submitter_may_set():
    data = {**_cleaned(), "status": Status.APPROVED, "needs_location": True, "source_note": "forged"}
    event, created = services.submit_event(data=data, submission_token=None)
    event.refresh_from_db()
    assert created and event.title == "Story circle on our block"
    assert (event.status, event.source_note) == (Status.PENDING, "")


def test_an_edit_changes_only_what_a_submitter_may_set():
    event = make_event(status=Status.PENDING, host_type=HealingEvent.HostType.ORGANIZATION)
    data = {**_cleaned(title="Corrected"), "status": Status.APPROVED, "source_note": "forged"}
    services.update_pending_event(event=event, data=data)
    event.refresh_from_db()
    assert (event.title, event.status, event.source_note) == ("Corrected", Status.PENDING, "")
