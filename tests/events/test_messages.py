"""The message-of-healing form has the same protections as the event form."""

import pytest
from django.core import mail

from events.models import HealingMessage
from twh.core.antispam import make_form_token

pytestmark = pytest.mark.django_db

URL = "/events/messages/new/"


def data(**overrides):
    values = {"text": "May we heal together.", "display_name": "Rosa", "community_area": "",
              "email": "rosa.private@example.net", "form_token": make_form_token(), "homepage": ""}
    values.update(overrides)
    return values


def test_a_message_is_saved_pending_and_acknowledged(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data())
    message = HealingMessage.objects.get()
    assert response.status_code == 302 and message.status == "pending"
    assert "We will email you when it is published" in client.get(response["Location"]).content.decode()
    assert {tuple(m.to) for m in mail.outbox} == {("rosa.private@example.net",), ("staff@example.org",)}


@pytest.mark.parametrize("field,value,error", [
    ("text", "", "This field is required."),
    ("text", "   ", "This field is required."),
    ("text", "x" * 501, "at most 500 characters"),
    ("email", "rosa", "Enter a valid email address."),
    ("display_name", "n" * 81, "at most 80 characters"),
    ("community_area", "abc", "Select a valid choice."),
])
def test_bad_input_re_renders_with_data(client, field, value, error):
    response = client.post(URL, data(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200 and error in html
    assert HealingMessage.objects.count() == 0
    if field != "display_name":
        assert 'value="Rosa"' in html


def test_honeypot_and_double_submit(client):
    trapped = client.post(URL, data(homepage="x"))
    assert trapped.status_code == 200 and "May we heal together." in trapped.content.decode()
    same = data()
    client.post(URL, same)
    client.post(URL, same)
    assert HealingMessage.objects.count() == 1


def test_rate_limited_message_gets_429(client, settings):
    settings.SUBMIT_RATE_LIMIT = "1/m"
    client.post(URL, data())
    response = client.post(URL, data(text="Second message"))
    assert response.status_code == 429 and "Second message" in response.content.decode()
