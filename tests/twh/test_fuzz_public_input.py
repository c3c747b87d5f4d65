"""Hostile input on every public form and query string: never a 5xx.

Invalid input gets a 400 (query strings) or the form again with its errors (forms).
"""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import HealingEvent, HealingMessage
from tests.conftest import event_form_data, make_event
from tests.twh.public_pages import FILTERED, PAGES, existing, missing, url
from twh.core.antispam import make_form_token

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every C0 and C1 control (CR and LF among them) and the Unicode line separators.
control_characters = st.one_of(st.characters(min_codepoint=0, max_codepoint=0x9F),
                               st.sampled_from(["\u2028", "\u2029", "\x85"]))
# Dates and times from year 1 to year 9999 as a form or a query string carries them.
any_datetime = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
date_text = st.one_of(
    any_datetime.map(lambda d: d.isoformat(timespec="minutes")),
    any_datetime.map(lambda d: d.date().isoformat()),
    st.sampled_from(["9999-12-31T23:00", "9999-12-31T23:59", "9999-12-31", "0001-01-01T00:00",
                     "2100-12-31T23:59", "2101-01-01", "10000-01-01T00:00", "1999-12-31"]),
)

# Text that breaks naive code: control characters, NUL, surrogates-free unicode, markup, SQL,
# and dates at the ends of time.
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.one_of(st.characters(blacklist_categories=["Cs"]), control_characters),
            max_size=60),
    date_text,
    st.sampled_from([
        "X\rBcc: someone@example.net", "A title\r\n", "\t", "\x1b[31m",
        "", " ", "\x00", "\x00abc", "%00", "' OR 1=1 --", "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0", "9" * 400, "-1", "1e309",
        "NaN", "inf", "-inf", "0x10", "１２", "\u202e", "2026-02-30", "2026-13-01T25:61",
        "../../etc/passwd", "{{ 7*7 }}", "${7*7}", "a" * 5000, "\r\nSet-Cookie: x=1",
    ]),
)

EVENT_FIELDS = [
    "title", "kind", "format", "starts_at", "ends_at", "participants", "language_of_event",
    "description", "stakeholders", "rsvp_url", "host_type", "host_name", "website",
    "location_basis", "address", "community_area", "latitude", "longitude",
    "publish_exact_location", "message", "message_consent", "contact_name", "contact_email",
    "contact_phone", "form_token", "homepage",
]


def _check_form_response(response, thanks_prefix):
    assert response.status_code < 500
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 302:
        assert response["Location"].startswith(thanks_prefix)


@pytest.fixture
def staff(db, settings):
    """A signed-in moderator's browser, to load the staff pages after each accepted submission."""
    from django.contrib.auth import get_user_model

    settings.ADMIN_REQUIRE_2FA = False
    user = get_user_model().objects.create_superuser("fuzz-staff", "staff@example.org", "x-long-pw-1")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def _all_answer_200(client, paths):
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def _token_of(response):
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


def _event_survives_every_page(client, staff, response):
    """What validated can be stored, read back, shown and exported: by staff, the submitter
    (thanks and private pages) and, once approved, everyone (the map's data and pages)."""
    from events.moderation import approve
    from events.tokens import make_manage_token

    event = HealingEvent.objects.get(submission_token=_token_of(response))
    _all_answer_200(client, [response["Location"], reverse("events:manage", args=[make_manage_token(event)])])
    _all_answer_200(staff, ["/admin/events/healingevent/", f"/admin/events/healingevent/{event.pk}/change/",
                            f"/admin/events/healingevent/{event.pk}/history/", "/admin/dashboard/"])
    approve(event, moderator=staff.user)
    _all_answer_200(Client(), [f"/events/{event.pk}/", "/map/events.geojson", "/map/events.csv",
                               "/map/list/", "/"])


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(EVENT_FIELDS), nasty_text, min_size=1, max_size=6))
def test_event_form_never_fails_on_hostile_values(staff, changes):
    client = Client()
    data = event_form_data(**changes)
    response = client.post(reverse("events:submit"), data)
    _check_form_response(response, "/events/submit/thanks/")
    if response.status_code == 200:
        assert response.context["form"].errors or response.context.get("rate_limited")
    if response.status_code == 302:
        _event_survives_every_page(client, staff, response)


# Offsets from now, so some dates are accepted (within a year of today) and some are not.
near_offset = st.timedeltas(min_value=timedelta(days=-500), max_value=timedelta(days=500))
event_date = st.one_of(
    near_offset.map(lambda offset: (timezone.localtime() + offset).strftime("%Y-%m-%dT%H:%M")),
    date_text,
)


@settings(FUZZ, max_examples=15)
@given(starts_at=event_date, ends_at=st.one_of(event_date, st.just("")),
       text=st.text(alphabet=st.one_of(st.characters(blacklist_categories=["Cs"]), control_characters),
                    min_size=1, max_size=40))
def test_event_dates_and_controls_anywhere_never_break_a_page(staff, starts_at, ends_at, text):
    client = Client()
    data = event_form_data(starts_at=starts_at, ends_at=ends_at, title=f"Circle {text}",
                           description=f"About {text}")
    response = client.post(reverse("events:submit"), data)
    _check_form_response(response, "/events/submit/thanks/")
    if response.status_code == 302:
        _event_survives_every_page(client, staff, response)


@FUZZ
@given(garbage=st.dictionaries(st.text(max_size=20), nasty_text, max_size=8))
def test_event_form_with_arbitrary_fields_never_fails(garbage):
    response = Client().post(reverse("events:submit"), garbage)
    _check_form_response(response, "/events/submit/thanks/")


MESSAGE_FIELDS = ["text", "display_name", "community_area", "email", "form_token", "homepage"]


@FUZZ
@given(values=st.fixed_dictionaries({name: nasty_text for name in MESSAGE_FIELDS}))
def test_message_form_never_fails_on_hostile_values(staff, values):
    values["form_token"] = values["form_token"] or make_form_token()
    client = Client()
    response = client.post(reverse("events:new_message"), values)
    _check_form_response(response, "/events/messages/thanks/")
    if response.status_code == 302:
        from events.moderation import approve

        message = HealingMessage.objects.get(submission_token=_token_of(response))
        _all_answer_200(client, [response["Location"]])
        _all_answer_200(staff, ["/admin/events/healingmessage/",
                                f"/admin/events/healingmessage/{message.pk}/change/"])
        approve(message, moderator=staff.user)
        _all_answer_200(Client(), ["/map/messages/", "/"])


def test_a_valid_message_with_hostile_text_is_stored_as_typed():
    text = "<b>bold</b> ' OR 1=1 -- {{ 7*7 }}"
    response = Client().post(reverse("events:new_message"), {
        "text": text, "display_name": "", "email": "", "form_token": make_form_token(),
    })
    assert response.status_code == 302
    assert HealingMessage.objects.get().text == text


@pytest.mark.parametrize("body,content_type", [
    (b"title=%FF%FE%00&kind=\xff", "application/x-www-form-urlencoded"),
    (b"--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nabc", "multipart/form-data; boundary=x"),
    (b"not multipart at all", "multipart/form-data"),
    (b"{\"title\": 1}", "application/json"),
    ("&".join(f"f{i}=1" for i in range(2000)).encode(), "application/x-www-form-urlencoded"),
])
def test_malformed_request_bodies_never_fail(client, body, content_type):
    for name in ("events:submit", "events:new_message"):
        response = client.generic("POST", reverse(name), body, content_type=content_type)
        assert response.status_code in (200, 400), (name, response.status_code)


# Parameter names the public endpoints read (filters, paging, sorting, bbox), and some they don't.
PARAM_NAMES = [
    "kind", "format", "area", "community_area", "from", "to", "date_from", "date_to", "start",
    "end", "q", "search", "when", "upcoming", "past", "page", "sort", "order", "bbox", "lang",
    "language", "prompt", "limit", "offset", "callback", "format[]", "kind[]", "id",
]
param_value = st.one_of(
    nasty_text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.floats(allow_nan=True), min_size=1, max_size=6).map(lambda v: ",".join(map(str, v))),
)
query = st.dictionaries(st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=10)),
                        param_value, max_size=5)


@pytest.fixture
def some_events(db):
    make_event()
    make_event(kind=HealingEvent.Kind.LEARNING, format=HealingEvent.Format.IN_PERSON)


def _get_never_fails(client, path, params):
    response = client.get(path, params)
    assert response.status_code < 500, (path, params, response.status_code)
    assert response.status_code in (200, 304, 400, 404), (path, params, response.status_code)
    return response


@pytest.mark.parametrize("name", existing(PAGES))
def test_every_public_page_survives_hostile_query_strings(name, some_events):
    client = Client()

    @settings(max_examples=15, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(params=query)
    def check(params):
        _get_never_fails(client, url(name), params)

    check()


@pytest.mark.parametrize("name", FILTERED)
def test_filtered_endpoints_answer_malformed_parameters_with_400(name, some_events):
    assert url(name) is not None, f"{name} is gone: point this test at its new name"
    client = Client()

    @settings(max_examples=30, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(params=query)
    def check(params):
        _get_never_fails(client, url(name), params)

    check()
    if name == "healingmap:events_geojson":
        # The issue names bbox=minLon,minLat,maxLon,maxLat: a malformed one is a 400.
        for bbox in ("1,2,3", "a,b,c,d", "nan,nan,nan,nan", "1,2,3,4,5", "-200,0,0,0"):
            response = client.get(url(name), {"bbox": bbox})
            assert response.status_code == 400, (bbox, response.status_code)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(pk=st.integers(min_value=-(2**70), max_value=2**70))
def test_event_pages_with_any_number_are_404_not_500(pk):
    client = Client()
    path = reverse("events:detail", args=[abs(pk)])
    assert client.get(path).status_code == 404


@settings(max_examples=15, deadline=None, derandomize=True)
@given(token=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1,
                     max_size=200).filter(lambda t: "/" not in t))
def test_manage_links_with_any_token_are_refused_not_500(token):
    from urllib.parse import quote

    client = Client()
    response = client.get(f"/events/manage/{quote(token, safe='')}/")
    assert response.status_code in (404, 400)
    assert client.post(f"/events/manage/{quote(token, safe='')}/withdraw/").status_code in (404, 400, 403)


def test_every_public_page_and_endpoint_is_covered():
    """A renamed URL would silently drop out of the tests above; this says so instead."""
    assert missing(PAGES + FILTERED) == []


# --- The summit's public forms: registration and reflections.

REGISTRATION_FIELDS = [
    "name", "email", "organization", "area_or_zip", "role", "needs_asl", "needs_captions",
    "needs_interpretation", "interpretation_language", "access_needs_other", "heard_about",
    "heard_about_other", "consent", "form_token", "homepage",
]
REFLECTION_FIELDS = ["prompt", "text", "display_name", "email", "form_token", "homepage"]


@pytest.fixture
def open_summit(db):
    from tests.summit.conftest import make_summit

    return make_summit(capacity=5)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(REGISTRATION_FIELDS), nasty_text, min_size=1,
                               max_size=6))
def test_summit_registration_never_fails_on_hostile_values(open_summit, staff, changes):
    from summit.models import Registration
    from summit.tokens import make_registration_token
    from tests.summit.conftest import registration_form_data

    client = Client()
    response = client.post(reverse("summit:register"), registration_form_data(**changes))
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 200:
        assert response.context["form"].errors or response.context.get("rate_limited")
    if response.status_code == 302:
        _all_answer_200(client, [response["Location"]])
        registration = Registration.objects.filter(submission_token=_token_of(response)).first()
        if registration is not None:
            _all_answer_200(client, [
                reverse("summit:registration", args=[make_registration_token(registration)]),
                reverse("summit:registration_calendar", args=[make_registration_token(registration)]),
            ])
            _all_answer_200(staff, ["/admin/summit/registration/", "/admin/summit/accessrequest/",
                                    f"/admin/summit/registration/{registration.pk}/change/"])


@FUZZ
@given(values=st.fixed_dictionaries({name: nasty_text for name in REFLECTION_FIELDS}))
def test_summit_reflection_never_fails_on_hostile_values(open_summit, staff, values):
    from summit.models import Reflection

    values["form_token"] = values["form_token"] or make_form_token()
    client = Client()
    response = client.post(reverse("summit:new_reflection"), values)
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 302:
        reflection = Reflection.objects.get(submission_token=_token_of(response))
        _all_answer_200(client, [response["Location"]])
        _all_answer_200(staff, ["/admin/summit/reflection/",
                                f"/admin/summit/reflection/{reflection.pk}/change/"])
