"""The public summit forms: registration, and a reflection."""

import re

from crispy_forms.layout import HTML, Fieldset
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from summit.models import Reflection, Registration, Summit
from summit.services import RegistrantDetails
from twh.core.antispam import SpamProtectedForm
from twh.core.area_words import with_area_word

ZIP_RE = re.compile(r"^\d{5}(-\d{4})?$")


class RegistrationForm(SpamProtectedForm, forms.ModelForm):
    email = forms.EmailField(
        label=_("Your email"), max_length=254,
        help_text=_("Private: we send your confirmation, the calendar invitation and the meeting "
                    "link here."),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the campaign stores these details "
                "to run the summit."),
        error_messages={"required": _("Please agree to the privacy notice to register.")},
    )

    class Meta:
        model = Registration
        fields = list(RegistrantDetails.__annotations__)  # what the service takes, in form order
        widgets = {"role": forms.RadioSelect}
        labels = {
            "name": _("Your name"),
            "organization": _("Organization (optional)"),
            "area_or_zip": with_area_word(_("%(Area)s or ZIP code (optional)")),
            "role": _("How are you part of the campaign?"),
            "needs_asl": _("ASL interpretation"),
            "needs_captions": _("Live captions"),
            "needs_interpretation": _("Interpretation into another language"),
            "interpretation_language": _("Which language?"),
            "access_needs_other": _("Anything else we can do so you can take part? (optional)"),
            "heard_about": _("How did you hear about the summit? (optional)"),
            "heard_about_other": _("If other, how? (optional)"),
        }
        help_texts = {
            "name": _("Private: only campaign staff see it."),
            "area_or_zip": _("For example “Pilsen” or “60608”. It helps us see which neighbourhoods "
                             "take part."),
            "interpretation_language": _("Only if you asked for interpretation."),
        }

    AUTOCOMPLETE = {"name": "name", "email": "email", "organization": "organization",
                    "area_or_zip": "postal-code", "interpretation_language": "off"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Registration.Role.choices
        self.fields["heard_about"].choices = [("", _("Choose one")), *Registration.HeardAbout.choices]
        for name, value in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["email"].widget.attrs["inputmode"] = "email"
        self.helper = self.form_helper(
            Fieldset(_("About you"), "name", "email", "organization", "area_or_zip", "role"),
            Fieldset(
                _("Access needs"),
                HTML(format_html('<p class="form-text">{}</p>', _(
                    "Tell us what you need to take part fully; staff arrange it before the summit."))),
                "needs_asl", "needs_captions", "needs_interpretation", "interpretation_language",
                "access_needs_other",
            ),
            Fieldset(_("One last thing"), "heard_about", "heard_about_other", "consent"),
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_area_or_zip(self):
        value = self.cleaned_data.get("area_or_zip", "").strip()
        if value and value[0].isdigit() and not ZIP_RE.match(value):
            raise forms.ValidationError(_("A ZIP code has five digits, like 60608."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("needs_interpretation") and not cleaned.get("interpretation_language", "").strip():
            self.add_error("interpretation_language", _("Please tell us which language."))
        if not cleaned.get("needs_interpretation"):
            cleaned["interpretation_language"] = ""
        return cleaned


def prompt_choices(summit: Summit | None) -> list[tuple[str, str]]:
    """The standing prompts, then the summit's own (keyed by id), as used by form and filter."""
    choices = [(Reflection.Theme.PROGRESS.value, Reflection.Theme.PROGRESS.label),
               (Reflection.Theme.FORWARD.value, Reflection.Theme.FORWARD.label)]
    if summit is not None:
        choices += [(str(prompt.pk), prompt.text) for prompt in summit.prompts.all()]
    return choices


class ReflectionForm(SpamProtectedForm):
    prompt = forms.ChoiceField(label=_("Which prompt are you answering?"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Your reflection"), max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 1500}),
        help_text=_("Up to 1,500 characters. Staff read every reflection before it is shown."),
    )
    display_name = forms.CharField(
        label=_("Name to show (optional)"), max_length=80, required=False,
        help_text=_("A first name or a nickname; leave it empty to appear as “Anonymous”."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Your email (optional, private)"), required=False, max_length=254,
        help_text=_("Only to tell you when your reflection is published. Never shown. If you "
                    "registered for the summit, use the same email to appear as a summit participant."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, summit: Summit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.summit = summit
        self.fields["prompt"].choices = prompt_choices(summit)
        self.helper = self.form_helper("prompt", "text", "display_name", "email")

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write your reflection."))
        return text

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("prompt")
        if key in (Reflection.Theme.PROGRESS, Reflection.Theme.FORWARD):
            cleaned["theme"], cleaned["summit_prompt"] = key, None
        elif key:
            cleaned["theme"] = Reflection.Theme.SUMMIT
            cleaned["summit_prompt"] = self.summit.prompts.get(pk=int(key))
        return cleaned
