"""Every email a person receives is in the language they used on the site, in all six.

Each subject must differ from the English (except in English) and equal the catalog's own
translation, so the test holds whatever words the translators chose.
"""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from events import moderation
from events.models import HealingEvent, HealingMessage
from summit import moderation as summit_moderation
from summit import services as summit_services
from summit.models import Reflection, Registration
from tests.conftest import event_form_data
from tests.summit.conftest import make_summit, registration_form_data
from twh.core.antispam import make_form_token
from twh.models import OutboxEmail

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TITLE = "Story circle on our block"


def catalog(language: str, msgid: str, **params) -> str:
    with translation.override(language):
        text = gettext(msgid)
    return text % params if params else text


def email_to(address: str) -> OutboxEmail:
    emails = list(OutboxEmail.objects.filter(to=[address]).order_by("-pk"))
    assert emails, f"no email to {address}"
    return emails[0]


def assert_in_language(email: OutboxEmail, language: str, msgid: str, **params):
    expected = catalog(language, msgid, **params)
    assert email.subject == expected
    if language != settings.LANGUAGE_CODE:
        assert email.subject != catalog(settings.LANGUAGE_CODE, msgid, **params), (
            f"{language}: the subject is still the English {email.subject!r}")


def visit_in(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_event_submitters_emails_are_in_their_language(client, moderator, language):
    visit_in(client, language)
    response = client.post("/events/submit/", event_form_data(title=TITLE, contact_email=f"host-{language}@example.net"))
    assert response.status_code == 302
    event = HealingEvent.objects.get(contact_email=f"host-{language}@example.net")
    assert event.language == language
    received = email_to(event.contact_email)
    assert_in_language(received, language, "We received your healing event: %(title)s", title=TITLE)

    moderation.approve(event, moderator=moderator)
    assert_in_language(email_to(event.contact_email), language,
                       "Your healing event is on the map: %(title)s", title=TITLE)

    event.refresh_from_db()
    moderation.reject(event, moderator=moderator, reason="hateful", note="")
    rejected = email_to(event.contact_email)
    assert_in_language(rejected, language, "About your healing event: %(title)s", title=TITLE)
    # The reason is a choice label: it is translated in the email too.
    assert catalog(language, "Hateful or abusive language") in rejected.body
    if language != settings.LANGUAGE_CODE:
        assert "Hateful or abusive language" not in rejected.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_senders_emails_are_in_their_language(client, moderator, language):
    visit_in(client, language)
    address = f"friend-{language}@example.net"
    response = client.post("/events/messages/new/", {
        "text": "May we heal together.", "display_name": "Rosa", "community_area": "",
        "email": address, "form_token": make_form_token(), "homepage": ""})
    assert response.status_code == 302
    message = HealingMessage.objects.get(email=address)
    assert message.language == language
    assert_in_language(email_to(address), language, "We received your message of healing")
    moderation.approve(message, moderator=moderator)
    assert_in_language(email_to(address), language, "Your message of healing is published")
    message.refresh_from_db()
    moderation.reject(message, moderator=moderator, reason="duplicate")
    rejected = email_to(address)
    assert_in_language(rejected, language, "About your message of healing")
    assert catalog(language, "Duplicate of another submission") in rejected.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reflections_decision_emails_are_in_its_authors_language(client, moderator, language):
    make_summit()
    visit_in(client, language)
    address = f"author-{language}@example.net"
    response = client.post("/summit/reflections/new/", {
        "prompt": "progress", "text": "Our block listened to each other.", "display_name": "Rosa",
        "email": address, "form_token": make_form_token(), "homepage": ""})
    assert response.status_code == 302
    reflection = Reflection.objects.get(email=address)
    assert reflection.language == language
    summit_moderation.approve(reflection, moderator=moderator)
    assert_in_language(email_to(address), language, "Your summit reflection is published")
    reflection.refresh_from_db()
    summit_moderation.reject(reflection, moderator=moderator, reason="not_healing")
    rejected = email_to(address)
    assert_in_language(rejected, language, "About your summit reflection")
    assert catalog(language, "Not a healing event or message") in rejected.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_registrants_emails_are_in_their_language(client, language):
    summit = make_summit(title="Healing summit", capacity=1)
    visit_in(client, language)
    first, second = f"first-{language}@example.net", f"second-{language}@example.net"
    for address in (first, second):
        response = client.post("/summit/register/", registration_form_data(email=address))
        assert response.status_code == 302
    confirmed, waiting = Registration.objects.get(email=first), Registration.objects.get(email=second)
    assert (confirmed.language, waiting.language) == (language, language)
    assert_in_language(email_to(first), language, "You are registered: %(title)s", title="Healing summit")
    assert_in_language(email_to(second), language, "You are on the waitlist: %(title)s", title="Healing summit")

    summit_services.send_reminders(summit=summit)
    assert_in_language(email_to(first), language, "Reminder: %(title)s is coming up", title="Healing summit")

    summit_services.cancel_registration(registration=confirmed)
    assert_in_language(email_to(first), language, "Your registration is cancelled: %(title)s",
                       title="Healing summit")
    assert_in_language(email_to(second), language, "A place opened: you are registered for %(title)s",
                       title="Healing summit")


def test_the_summit_title_in_a_registrants_email_is_in_their_language_when_staff_translated_it(client):
    make_summit(title="Healing summit", title_es="Cumbre de sanación")
    visit_in(client, "es")
    client.post("/summit/register/", registration_form_data(email="ana@example.net"))
    email = email_to("ana@example.net")
    assert email.subject == catalog("es", "You are registered: %(title)s", title="Cumbre de sanación")
    assert "Cumbre de sanación" in email.body


@pytest.mark.parametrize("language", ["es", "ar"])
def test_staff_are_told_the_language_of_each_submission(client, language):
    visit_in(client, language)
    client.post("/events/submit/", event_form_data(title=TITLE))
    client.post("/events/messages/new/", {
        "text": "May we heal together.", "display_name": "", "community_area": "", "email": "",
        "form_token": make_form_token(), "homepage": ""})
    make_summit()
    client.post("/summit/reflections/new/", {
        "prompt": "progress", "text": "We listened.", "display_name": "", "email": "",
        "form_token": make_form_token(), "homepage": ""})
    name = {"es": "Spanish", "ar": "Arabic"}[language]
    staff = list(OutboxEmail.objects.filter(to=settings.STAFF_NOTIFICATION_EMAILS))
    assert len(staff) == 3
    for email in staff:
        assert email.subject.endswith(f"[{name}]"), email.subject
        assert f"Written in: {name}" in email.body
