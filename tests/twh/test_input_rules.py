"""Input that validates can be stored, read back, shown and sent (issue 10, items 4 to 6).

Year 9999 in every date field and query parameter, a body that is not valid in its charset on
every public form, and CR/LF and other control characters in every free-text field.
"""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import HealingEvent, HealingMessage
from summit.models import AgendaItem, Reflection, Registration, Summit
from tests.conftest import area, event_form_data, make_event
from tests.summit.conftest import make_summit, registration_form_data
from twh.core.antispam import make_form_token
from twh.core.validation import one_line

pytestmark = pytest.mark.django_db

FAR_FUTURE = ["9999-12-31T23:00", "9999-12-31T23:59", "2101-01-01T00:00", "1999-12-31T23:00"]


def message_data(**overrides):
    return {"text": "We heal together.", "display_name": "", "email": "", "form_token": make_form_token(),
            **overrides}


def reflection_data(**overrides):
    return {"prompt": "progress", "text": "We grew.", "display_name": "", "email": "",
            "form_token": make_form_token(), **overrides}


# --- Dates

@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("value", FAR_FUTURE)
def test_a_far_date_on_the_event_form_is_a_field_error(client, field, value):
    response = client.post(reverse("events:submit"), event_form_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HealingEvent.objects.exists()


def test_the_year_error_is_clear(client, settings):
    response = client.post(reverse("events:submit"), event_form_data(ends_at="9999-12-31T23:00"))
    assert "Please check the year: dates from 2000 to 2100 are accepted." in response.content.decode()


def test_a_far_end_on_the_private_edit_page_is_refused(client):
    from events.tokens import make_manage_token

    client.post(reverse("events:submit"), event_form_data())
    event = HealingEvent.objects.get()
    token = make_manage_token(event)
    response = client.post(reverse("events:manage", args=[token]),
                           event_form_data(ends_at="9999-12-31T23:00"))
    assert response.status_code == 200 and "ends_at" in response.context["form"].errors
    event.refresh_from_db()
    assert event.ends_at.year < 2100


def _far(year=9999):
    return timezone.make_aware(datetime(year, 12, 31, 23, 0))


@pytest.mark.parametrize("model,field", [
    (HealingEvent, "starts_at"), (HealingEvent, "ends_at"),
    (Summit, "starts_at"), (Summit, "ends_at"), (Summit, "registration_opens_at"),
    (Summit, "registration_closes_at"), (AgendaItem, "starts_at"),
])
def test_every_date_field_in_the_models_refuses_year_9999(model, field):
    """The admin (a ModelForm) runs these validators, so staff cannot store such a date either."""
    with pytest.raises(ValidationError) as caught:
        model._meta.get_field(field).clean(_far(), None)
    assert "year" in str(caught.value)
    model._meta.get_field(field).clean(timezone.now(), None)  # a date this year is fine


def test_the_admin_refuses_year_9999_for_an_event(client, superuser):
    client.force_login(superuser)
    event = make_event()
    from django.contrib import admin

    from events.admin import HealingEventAdmin  # noqa: F401 - registered in the admin site

    model_admin = admin.site._registry[HealingEvent]
    request = type("R", (), {"user": superuser})()
    Form = model_admin.get_form(request, event)
    data = {name: getattr(event, name) for name in Form.base_fields if hasattr(event, name)}
    data.update(community_area=event.community_area_id, ends_at_0="9999-12-31", ends_at_1="23:00",
                starts_at_0=timezone.localtime(event.starts_at).strftime("%Y-%m-%d"),
                starts_at_1="10:00")
    form = Form(data=data, instance=event)
    assert not form.is_valid() and "ends_at" in form.errors


MAP_PATHS = ["healingmap:map", "healingmap:event_list", "healingmap:events_geojson", "healingmap:events_csv",
             "healingmap:embed"]


@pytest.mark.parametrize("name", MAP_PATHS)
@pytest.mark.parametrize("params", [
    {"end": "9999-12-31"}, {"start": "9999-12-31"}, {"start": "0001-01-01", "end": "1900-01-01"},
    {"end": "9999-12-31", "when": "upcoming", "sort": "-date", "page": "9" * 30},
    {"area": "9" * 30, "q": "\x00", "bbox": "1e308,1e308,1e308,1e308"}, {"q": "a\r\nb"},
])
def test_far_dates_and_huge_parameters_on_the_map_never_fail(client, name, params):
    make_event()
    response = client.get(reverse(name), params)
    assert response.status_code in (200, 400), (name, params, response.status_code)
    if name in ("healingmap:events_geojson", "healingmap:events_csv") and ("9999" in str(params) or "1900" in str(params)):
        assert response.status_code == 400


@pytest.mark.parametrize("path", [
    "/admin/events/healingevent/?submitted_at__year=9999&submitted_at__month=12&submitted_at__day=31",
    "/admin/events/healingevent/?submitted_at__year=9999&submitted_at__month=12",
    "/admin/events/healingevent/?submitted_at__year=99999",
    "/admin/events/healingevent/?submitted_at__gte=9999-12-31",
    "/admin/events/healingevent/?q=%00",
    "/admin/events/healingmessage/?submitted_at__year=9999&submitted_at__month=12&submitted_at__day=31",
    "/admin/summit/registration/?created_at__year=9999&created_at__month=12&created_at__day=31",
    "/admin/summit/reflection/?submitted_at__year=9999&submitted_at__month=12&submitted_at__day=31",
])
def test_the_admin_lists_survive_far_dates_in_their_filters(client, superuser, path):
    make_event(status="pending")
    client.force_login(superuser)
    response = client.get(path)
    assert response.status_code in (200, 302, 400), (path, response.status_code)


# --- Bodies that are not valid in their charset

PUBLIC_FORMS = ["events:submit", "events:new_message", "summit:register", "summit:new_reflection"]


@pytest.fixture
def open_summit():
    return make_summit(capacity=50)


@pytest.mark.parametrize("name", PUBLIC_FORMS)
@pytest.mark.parametrize("content_type,body", [
    ("application/x-www-form-urlencoded; charset=utf-16", "text=h\xe9llo&title=x".encode("utf-16")),
    ("application/x-www-form-urlencoded; charset=utf-16", b"text=hello"),
    ("application/x-www-form-urlencoded; charset=utf-32", "text=hi".encode("utf-32")),
    ("application/x-www-form-urlencoded; charset=no-such-charset", b"text=hello"),
    ("application/x-www-form-urlencoded; charset=utf-8", b"text=\xff\xfe\xfd"),
    ("application/x-www-form-urlencoded; charset=ascii", b"text=\xe9"),
    ("application/x-www-form-urlencoded; charset=latin-1", b"text=caf\xe9"),  # Django reads UTF-8 only
    ("multipart/form-data; boundary=x; charset=utf-16", b"--x\r\n"),
])
def test_a_body_not_valid_in_its_charset_is_a_400_on_every_public_form(open_summit, name, content_type, body):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse(name))
    response = client.generic("POST", reverse(name), body, content_type=content_type,
                              HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code in (400, 403), response.status_code
    assert response.status_code == 400 or "multipart" in content_type


# --- Control characters

HEADER_INJECTION = "X\rBcc: someone@example.net"
SINGLE_LINE_BAD = [HEADER_INJECTION, "X\nBcc: someone@example.net", "a\x00b", "a\x85b\u2028"]
MULTI_LINE_BAD = ["a\x00b", "a\x1b[31mb", "a\x0cb\x85"]

EVENT_SINGLE = ["title", "host_name", "address", "contact_name", "contact_phone", "contact_email"]
EVENT_MULTI = ["description", "message"]


@pytest.mark.parametrize("field", EVENT_SINGLE)
@pytest.mark.parametrize("value", SINGLE_LINE_BAD)
def test_line_breaks_and_controls_in_one_line_event_fields_are_refused(client, field, value):
    response = client.post(reverse("events:submit"), event_form_data(**{field: value}))
    assert response.status_code == 200 and field in response.context["form"].errors, field
    assert not HealingEvent.objects.exists()


@pytest.mark.parametrize("field", EVENT_MULTI)
@pytest.mark.parametrize("value", MULTI_LINE_BAD)
def test_controls_in_event_text_are_refused(client, field, value):
    response = client.post(reverse("events:submit"), event_form_data(**{field: value}))
    assert response.status_code == 200 and field in response.context["form"].errors


def test_event_text_keeps_its_lines_and_tabs_with_browser_line_breaks_made_plain(client):
    response = client.post(reverse("events:submit"), event_form_data(
        description="First line\r\nSecond\tline\rThird", message="May we\r\nlisten"))
    assert response.status_code == 302
    event = HealingEvent.objects.get()
    assert event.description == "First line\nSecond\tline\nThird" and event.message == "May we\nlisten"


@pytest.mark.parametrize("field,value,ok", [
    ("display_name", HEADER_INJECTION, False), ("display_name", "a\x00", False),
    ("text", "a\x00b", False), ("text", "a\x1bb", False), ("text", "line\r\nline", True),
    ("email", "a@example.net\r\nBcc: b@example.net", False),
])
def test_the_message_form_refuses_controls(client, field, value, ok):
    response = client.post(reverse("events:new_message"), message_data(**{field: value}))
    assert (response.status_code == 302) is ok, response.status_code
    if ok:
        assert HealingMessage.objects.get().text == "line\nline"


REGISTRATION_TEXT = ["name", "organization", "area_or_zip", "interpretation_language",
                     "access_needs_other", "heard_about_other", "email"]


@pytest.mark.parametrize("field", REGISTRATION_TEXT)
@pytest.mark.parametrize("value", [HEADER_INJECTION, "a\x00b", "a\u2028b"])
def test_the_registration_form_refuses_controls_in_every_text_field(open_summit, client, field, value):
    data = registration_form_data(**{field: value})
    if field == "interpretation_language":
        data["needs_interpretation"] = "on"
    response = client.post(reverse("summit:register"), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Registration.objects.exists()


@pytest.mark.parametrize("field,value,ok", [
    ("display_name", HEADER_INJECTION, False), ("text", "a\x00b", False),
    ("text", "We\r\ngrew", True), ("email", "a@example.net\nBcc: b@example.net", False),
])
def test_the_reflection_form_refuses_controls(open_summit, client, field, value, ok):
    response = client.post(reverse("summit:new_reflection"), reflection_data(**{field: value}))
    assert (response.status_code == 302) is ok, response.content.decode()[:300]
    if ok:
        assert Reflection.objects.get().text == "We\ngrew"


def test_a_title_that_slipped_past_the_forms_still_sends_its_emails(
    moderator, django_capture_on_commit_callbacks
):
    """Defence in depth: a row stored with a CR in its title (say, before these rules) still
    gets one-line subjects, so its emails never fail with BadHeaderError."""
    from events.moderation import approve
    from events.services import submit_event

    data = {name: value for name, value in event_form_data().items()}
    data.update(title=HEADER_INJECTION, starts_at=timezone.now() + timedelta(days=3), ends_at=None,
                participants=5, community_area=area(41), latitude=41.79, longitude=-87.6,
                stakeholders=[], publish_exact_location=False, message_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        event, _created = submit_event(data=data, submission_token=None)
        approve(event, moderator=moderator)
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert "\r" not in message.subject and "\n" not in message.subject
        message.message()  # builds the headers: would raise BadHeaderError
    assert all(m.to != ["someone@example.net"] for m in mail.outbox)


@pytest.mark.parametrize("text,expected", [
    ("X\rBcc: y", "X Bcc: y"), ("a\r\n\r\nb", "a b"), ("a\u2028b\x85c", "a b c"), ("  x  ", "x"),
    ("\x00", ""),
])
def test_one_line(text, expected):
    assert one_line(text) == expected


def _free_text_fields():
    from django.db import models

    from events.models import CommunityArea
    from summit.models import SummitPrompt

    for model in (HealingEvent, HealingMessage, CommunityArea, Summit, AgendaItem, SummitPrompt,
                  Registration, Reflection):
        for field in model._meta.get_fields():
            # `language` is set by the site from settings.LANGUAGES, never typed.
            if (isinstance(field, models.CharField | models.TextField) and field.editable
                    and not field.choices and field.name != "language"
                    and not isinstance(field, models.EmailField | models.URLField)):
                yield pytest.param(model, field.name, isinstance(field, models.TextField),
                                   id=f"{model.__name__}.{field.name}")


@pytest.mark.parametrize("model,name,multiline", list(_free_text_fields()))
def test_every_free_text_model_field_refuses_controls_so_the_admin_does_too(model, name, multiline):
    field = model._meta.get_field(name)
    for bad in ("a\x00b", "a\x1bb", "a\u2028b"):
        with pytest.raises(ValidationError):
            field.run_validators(bad)
    if multiline:
        field.run_validators("line\r\nline\ttab")
    else:
        with pytest.raises(ValidationError):
            field.run_validators(HEADER_INJECTION)
        field.run_validators("one\tline")


def test_an_event_stored_in_year_10000_no_longer_breaks_moderation(client, superuser):
    """Rows stored before these rules (PostgreSQL kept year 10000 in UTC) are repaired."""
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL could store such a date")
    event = make_event(status="pending")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_healingevent SET ends_at = '10000-01-01 04:59:00+00' WHERE id = %s",
                       [event.pk])
    client.force_login(superuser)
    migration = import_module("events.migrations.0009_clear_far_event_ends")
    migration.clear_far_ends(None, connection.schema_editor())
    assert client.get("/admin/events/healingevent/").status_code == 200
    event.refresh_from_db()
    assert event.ends_at is None
