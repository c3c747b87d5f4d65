"""Form protections: one helper lays out every public form, one guard answers 429."""

import pytest
from django.test import RequestFactory, override_settings

from events.forms import EventForm, MessageForm, ReportForm
from summit.forms import ReflectionForm, RegistrationForm
from twh.core.antispam import HONEYPOT_FIELD, rate_limited_page
from twh.forms import ContactForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class", [EventForm, MessageForm, ReportForm, RegistrationForm,
                                        ReflectionForm, ContactForm])
def test_every_public_form_ends_with_the_hidden_honeypot_and_the_token(form_class):
    helper = form_class().helper
    assert (helper.form_tag, helper.disable_csrf) == (False, True)
    *_fields, honeypot, token = helper.layout.fields
    assert honeypot.fields == [HONEYPOT_FIELD] and "visually-hidden-honeypot" in honeypot.css_class
    assert token == "form_token"


@override_settings(SUBMIT_RATE_LIMIT="2/h")
def test_the_guard_lets_posts_through_until_the_limit_then_re_renders_the_form_as_429():
    def post():
        request = RequestFactory().post("/contact/", {"message": "Kept"}, REMOTE_ADDR="203.0.113.77")
        return rate_limited_page(request, group="tests.guard", template="twh/contact.html",
                                 context={"form": ContactForm(request.POST)})

    assert post() is None and post() is None
    response = post()
    assert response.status_code == 429 and b"Kept" in response.content
