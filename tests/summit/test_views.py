"""The summit's public pages, the registration form and the registrant's private page."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import resolve, reverse
from django.utils import timezone
from icalendar import Calendar

from summit.models import Reflection, Registration
from summit.tokens import SALT, make_registration_token, read_registration_token
from tests.summit.conftest import MEETING_URL, make_summit, registration_form_data, sign_up

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name,kwargs", [
    ("index", {}), ("detail", {"pk": 3}), ("calendar", {}), ("register", {}),
    ("already_registered", {}), ("registration", {"token": "abc"}), ("cancel", {"token": "abc"}),
    ("registration_calendar", {"token": "abc"}), ("reflection_list", {}), ("new_reflection", {}),
])
def test_reverse_and_resolve_agree(name, kwargs):
    url = reverse(f"summit:{name}", kwargs=kwargs)
    assert resolve(url).view_name == f"summit:{name}"


def test_the_summit_page_shows_time_agenda_status_and_calendar_links(client, summit):
    summit.agenda_items.create(starts_at=summit.starts_at, title="Opening circle", speakers="Ana Ruiz")
    response = client.get("/summit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chicago time" in html and 'class="summit-local-time' in html
    assert "Opening circle" in html and "Ana Ruiz" in html
    assert "2 places left" in html and reverse("summit:register") in html
    assert "/summit/calendar.ics" in html and "calendar.google.com" in html and "outlook.live.com" in html
    assert "<script>" not in html  # the local time comes from a static file (CSP)


def test_a_full_summit_offers_the_waitlist(client, summit):
    sign_up(summit)
    sign_up(summit)
    assert "Join the waitlist" in client.get("/summit/").content.decode()


def test_a_closed_registration_says_so_and_the_form_is_refused(client):
    make_summit(registration_opens_at=timezone.now() - timedelta(days=2),
                registration_closes_at=timezone.now() - timedelta(days=1))
    assert "Registration is closed" in client.get("/summit/").content.decode()
    closed = client.get("/summit/register/")
    assert closed.status_code == 200 and "Registration for this summit is closed" in closed.content.decode()
    assert 'name="email"' not in closed.content.decode()
    assert client.post("/summit/register/", registration_form_data()).status_code == 403
    assert not Registration.objects.exists()


def test_no_summit_yet_is_a_friendly_page(client):
    assert client.get("/summit/").status_code == 200
    assert "No summit is open for registration yet" in client.get("/summit/register/").content.decode()
    assert client.post("/summit/register/", registration_form_data()).status_code == 403
    listing = client.get("/summit/calendar.ics")
    assert listing.status_code == 200
    assert Calendar.from_ical(listing.content).walk("VEVENT") == []


def _private_link(email) -> str:
    """The registrant's private page, as linked from their email."""
    match = re.search(r"/summit/registration/([^/\s]+)/", email.body)
    assert match, email.body
    return match.group(0)


def test_register_then_the_page_says_check_your_email(client, summit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/summit/register/", registration_form_data(email="Alex@Example.net"))
    registration = Registration.objects.get()
    assert response.status_code == 302 and response.url == reverse("summit:registered",
                                                                   args=[registration.submission_token])
    page = client.get(response.url).content.decode()
    assert "check your email" in page and MEETING_URL not in page
    assert registration.email == "alex@example.net" and registration.area_or_zip == "60608"
    (email,) = mail.outbox
    # The link is signed with a timestamp, so compare what it opens, not its characters.
    link = _private_link(email)
    assert read_registration_token(link.split("/")[3]) == (registration.pk, str(registration.manage_key))
    assert "your place is confirmed" in client.get(link).content.decode()
    assert "calendar.google.com" in email.body and "outlook.live.com" in email.body
    assert email.attachments[0][2] == "text/calendar"


def test_waitlisted_people_learn_their_position_from_their_private_link(
    client, summit, django_capture_on_commit_callbacks
):
    sign_up(summit)
    sign_up(summit)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/summit/register/", registration_form_data(), follow=True)
    assert "check your email" in response.content.decode()
    (email,) = [m for m in mail.outbox if m.to == ["alex.private@example.net"]]
    assert "number 1 on the waitlist" in client.get(_private_link(email)).content.decode()


def _comparable(html: str) -> str:
    """A page without what differs on every render (the CSP nonce, the CSRF token, the form's id)."""
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_same_form_twice_and_the_same_email_twice_register_once(client, summit):
    data = registration_form_data()
    first = client.post("/summit/register/", data)
    again = client.post("/summit/register/", data)
    assert first.url == again.url
    other = client.post("/summit/register/", registration_form_data(email="ALEX.private@example.net"))
    assert other.status_code == 302 and other.url.startswith("/summit/register/done/")
    assert Registration.objects.count() == 1


def test_the_form_does_not_reveal_whether_an_email_is_registered(
    client, summit, django_capture_on_commit_callbacks
):
    sign_up(summit, email="known@example.net")
    answers = []
    for email in ("known@example.net", "unknown@example.net"):
        response = client.post("/summit/register/", registration_form_data(email=email))
        answers.append((response.status_code, response.url.split("/done/")[0],
                        _comparable(client.get(response.url).content.decode())))
    assert answers[0] == answers[1]


def test_probing_a_registered_email_sends_it_one_email_per_window(
    client, summit, settings, django_capture_on_commit_callbacks
):
    settings.SUMMIT_RESEND_MINUTES = 15
    known = sign_up(summit, email="known@example.net").registration
    Registration.objects.filter(pk=known.pk).update(status_email_sent_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            client.post("/summit/register/", registration_form_data(email="known@example.net"))
    assert len([m for m in mail.outbox if m.to == ["known@example.net"]]) == 1
    Registration.objects.filter(pk=known.pk).update(status_email_sent_at=timezone.now() - timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/summit/register/", registration_form_data(email="known@example.net"))
    assert len([m for m in mail.outbox if m.to == ["known@example.net"]]) == 2
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("field,value,message", [
    ("name", "", "This field is required"),
    ("name", "x" * 121, "at most 120"),
    ("email", "not-an-email", "valid email"),
    ("email", "", "This field is required"),
    ("role", "astronaut", "valid choice"),
    ("role", "", "This field is required"),
    ("area_or_zip", "6060", "five digits"),
    ("heard_about", "carrier-pigeon", "valid choice"),
    ("consent", "", "privacy notice"),
    ("needs_interpretation", "on", "which language"),
    ("access_needs_other", "y" * 301, "at most 300"),
])
def test_bad_input_re_renders_with_the_data_kept(client, summit, field, value, message):
    data = registration_form_data(**{"name": "Kept Name", "organization": "Kept Org", field: value})
    response = client.post("/summit/register/", data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'id="form-problem"' in html
    if field != "name":
        assert 'value="Kept Name"' in html
    assert 'value="Kept Org"' in html
    assert not Registration.objects.exists()


def test_honeypot_and_forged_form_token_re_render(client, summit):
    trapped = client.post("/summit/register/", registration_form_data(homepage="http://spam"))
    assert trapped.status_code == 200 and "Leave this field empty" in trapped.content.decode()
    forged = client.post("/summit/register/", registration_form_data(form_token="forged"))
    assert "expired" in forged.content.decode()
    assert 'value="Alex Private"' in forged.content.decode()
    assert not Registration.objects.exists()


def test_rate_limit_answers_429_with_the_data_kept(client, summit, settings):
    settings.SUBMIT_RATE_LIMIT = "1/m"
    client.post("/summit/register/", registration_form_data(email="a@example.net"))
    response = client.post("/summit/register/", registration_form_data(email="b@example.net", name="Blocked"))
    assert response.status_code == 429 and 'value="Blocked"' in response.content.decode()
    assert Registration.objects.count() == 1


def test_the_private_link_shows_the_registration_and_cancels_it(client, summit):
    person = sign_up(summit).registration
    sign_up(summit)
    waiting = sign_up(summit).registration
    token = make_registration_token(waiting)
    assert "number 1 on the waitlist" in client.get(f"/summit/registration/{token}/").content.decode()
    own = make_registration_token(person)
    response = client.post(f"/summit/registration/{own}/cancel/")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Your registration is cancelled" in page and "Cancel my registration" not in page
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_cancel_asks_for_confirmation_first_and_offers_the_way_back(client, summit):
    person = sign_up(summit).registration
    token = make_registration_token(person)
    private = client.get(f"/summit/registration/{token}/").content.decode()
    assert f'href="/summit/registration/{token}/cancel/"' in private
    assert f'action="/summit/registration/{token}/cancel/"' not in private  # no one-click cancel
    response = client.get(f"/summit/registration/{token}/cancel/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cancel your registration?" in html and "Your place goes to the next person waiting" in html
    assert "Yes, cancel my registration" in html
    assert f'href="/summit/registration/{token}/"' in html and "No, keep my place" in html
    person.refresh_from_db()
    assert person.status == "confirmed"


def test_a_cancel_sent_after_the_summit_is_refused_and_reported(client, summit):
    person = sign_up(summit).registration
    token = make_registration_token(person)
    summit.starts_at, summit.ends_at = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    summit.save()
    response = client.post(f"/summit/registration/{token}/cancel/")
    assert response.status_code == 302 and response.url == f"/summit/registration/{token}/"
    page = client.get(response.url).content.decode()
    assert "Your registration is cancelled" not in page and "Cancel my registration" not in page
    person.refresh_from_db()
    assert person.status == "confirmed"


def _forged_tokens(person):
    valid = make_registration_token(person)
    return [
        valid[:-2] + ("AA" if not valid.endswith("AA") else "BB"),
        signing.dumps({"r": person.pk, "k": "not-the-key"}, salt=SALT),
        signing.dumps({"r": person.pk, "k": str(person.manage_key)}, salt="another-salt"),
        signing.dumps({"r": "x"}, salt=SALT),
        "garbage",
    ]


def test_forged_tokens_are_refused(client, summit):
    person = sign_up(summit).registration
    for token in _forged_tokens(person):
        assert client.get(f"/summit/registration/{token}/").status_code == 404
        assert client.post(f"/summit/registration/{token}/cancel/").status_code == 404
        assert client.get(f"/summit/registration/{token}/calendar.ics").status_code == 404
    person.refresh_from_db()
    assert person.status == "confirmed"


def test_expired_tokens_are_refused(client, summit, settings, monkeypatch):
    person = sign_up(summit).registration
    token = make_registration_token(person)
    assert client.get(f"/summit/registration/{token}/").status_code == 200
    later = timezone.now() + timedelta(days=settings.SUMMIT_LINK_MAX_AGE_DAYS + 1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert client.get(f"/summit/registration/{token}/").status_code == 404
    assert client.post(f"/summit/registration/{token}/cancel/").status_code == 404


def test_the_meeting_link_shows_on_the_private_page_only_near_the_start(client, settings):
    settings.SUMMIT_LINK_VISIBLE_MINUTES_BEFORE = 30
    summit = make_summit(starts_at=timezone.now() + timedelta(minutes=45), capacity=1)
    person = sign_up(summit).registration
    waiting = sign_up(summit).registration
    url = f"/summit/registration/{make_registration_token(person)}/"
    assert MEETING_URL not in client.get(url).content.decode()
    settings.SUMMIT_LINK_VISIBLE_MINUTES_BEFORE = 60
    assert MEETING_URL in client.get(url).content.decode()
    waiting_page = client.get(f"/summit/registration/{make_registration_token(waiting)}/")
    assert MEETING_URL not in waiting_page.content.decode()
    own_ics = client.get(f"{url}calendar.ics").content.decode().replace("\r\n ", "")
    assert MEETING_URL in own_ics


def test_the_meeting_link_appears_nowhere_public(client, summit, settings):
    settings.SUMMIT_LINK_VISIBLE_MINUTES_BEFORE = 10**6
    person = sign_up(summit).registration
    Reflection.objects.create(theme="progress", text="We grew.", status="approved", summit=summit,
                              email=person.email)
    past = make_summit(is_current=False, starts_at=timezone.now() - timedelta(days=400))
    for url in ["/summit/", "/summit/calendar.ics", f"/summit/{past.pk}/", f"/summit/{past.pk}/calendar.ics",
                "/summit/register/", "/summit/reflections/", "/summit/reflections/new/", "/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode().replace("\r\n ", "")
        assert MEETING_URL not in body and "secret-room" not in body, url
        assert person.email not in body and person.name not in body, url


@pytest.mark.parametrize("query", ["?prompt=nonsense", "?prompt=1;drop", "?page=abc", "?page=-1",
                                   "?page=99999999999999999999", "?prompt=99999999999999999999"])
def test_malformed_reflection_queries_answer_400(client, summit, query):
    assert client.get(f"/summit/reflections/{query}").status_code == 400


def test_a_past_summit_stays_viewable_without_registration(client, summit):
    past = make_summit(is_current=False, title="Last year's summit",
                       starts_at=timezone.now() - timedelta(days=365))
    index = client.get("/summit/").content.decode()
    assert "Last year&#x27;s summit" in index or "Last year's summit" in index
    page = client.get(f"/summit/{past.pk}/").content.decode()
    assert "This summit has taken place" in page and reverse("summit:register") not in page
    assert client.get(f"/summit/{summit.pk}/").status_code == 302
    assert client.get("/summit/999999/").status_code == 404
