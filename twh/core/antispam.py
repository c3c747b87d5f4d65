"""Protections shared by every public form: a signed per-render token, a honeypot, a minimum
fill time and a per-IP rate limit. A trapped submission re-renders with everything the person
typed and a clear message; nothing is ever dropped silently.
"""

import time
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from twh.core.validation import multi_line, normalize_newlines, single_line

TOKEN_SALT = "twh.core.antispam.form-token"
HONEYPOT_FIELD = "homepage"


def make_form_token() -> str:
    """A signed token naming this rendering of a form and when it was rendered."""
    return signing.dumps({"t": uuid.uuid4().hex, "at": time.time()}, salt=TOKEN_SALT)


def read_form_token(token: str) -> tuple[uuid.UUID, float]:
    """(submission id, render time); raises signing.BadSignature when forged or expired."""
    payload = signing.loads(token, salt=TOKEN_SALT, max_age=settings.FORM_MAX_AGE_SECONDS)
    try:
        return uuid.UUID(payload["t"]), float(payload["at"])
    except (KeyError, TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed form token") from exc


class SpamProtectedForm(forms.Form):
    """A mixin for public forms: add it first in the bases, and read `submission_token`."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_text_rules()
        if self.is_bound:
            self.data = self.data.copy()
            self._normalize_newlines()
        else:
            self.initial.setdefault("form_token", make_form_token())
        self.submission_token: uuid.UUID | None = None

    def form_helper(self, *layout) -> FormHelper:
        """The crispy helper every public form uses: its own fields in this layout, then the
        hidden honeypot and the form token; the template writes the <form> tag and CSRF."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(*layout, Div(HONEYPOT_FIELD, css_class="visually-hidden-honeypot"),
                               "form_token")
        return helper

    def _text_fields(self):
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and name not in ("form_token", HONEYPOT_FIELD):
                yield name, field, isinstance(field.widget, forms.Textarea)

    def _add_text_rules(self):
        """Every free-text field: no control characters (a textarea keeps its line breaks)."""
        for _name, field, multiline in self._text_fields():
            rule = multi_line if multiline else single_line
            if rule not in field.validators:
                field.validators = [*field.validators, rule]

    def _normalize_newlines(self):
        for name, _field, multiline in self._text_fields():
            key = self.add_prefix(name)
            value = self.data.get(key)
            if multiline and isinstance(value, str) and "\r" in value:
                self.data[key] = normalize_newlines(value)

    def _renew_token(self):
        self.data["form_token"] = make_form_token()

    def clean(self):
        # Added, not raised: the form's own checks still run, so a trapped submission shows
        # every problem next to its field instead of model constraints' messages at the top.
        cleaned = super().clean()
        problem = self._spam_problem()
        if problem is not None:
            self.add_error(None, problem)
        return cleaned

    def _spam_problem(self) -> forms.ValidationError | None:
        try:
            self.submission_token, rendered_at = read_form_token(self.data.get("form_token", ""))
        except signing.BadSignature:
            self._renew_token()
            return forms.ValidationError(
                _("This form has expired. Please check your entries and submit it again."),
                code="expired",
            )
        if self.data.get(HONEYPOT_FIELD):
            self.data[HONEYPOT_FIELD] = ""
            return forms.ValidationError(
                _("A field meant to catch automated spam was filled in, perhaps by your browser. "
                  "We have emptied it: please check your entries, then submit again."),
                code="honeypot",
            )
        if time.time() - rendered_at < settings.FORM_MIN_FILL_SECONDS:
            return forms.ValidationError(
                _("That was very quick! Please check your entries, then submit again."),
                code="too_fast",
            )
        return None


def submission_rate_limited(request, group: str) -> bool:
    """Count this POST against the client's address; True once it is over the limit."""
    return is_ratelimited(
        request, group=group, key="ip", rate=settings.SUBMIT_RATE_LIMIT, method="POST", increment=True
    )


def rate_limited_page(request, *, group: str, template: str, context: dict) -> HttpResponse | None:
    """The view guard of every public form: count this POST, and once the client is over the
    limit, the form's page again with what they typed and a notice, as a 429; None otherwise.

        if limited := rate_limited_page(request, group="events.submit", template=..., context=...):
            return limited
    """
    if not submission_rate_limited(request, group):
        return None
    return render(request, template, {**context, "rate_limited": True}, status=429)
