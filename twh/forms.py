"""The site's own public form: a message to the Office."""

from django import forms
from django.utils.translation import gettext_lazy as _

from twh.core.antispam import SpamProtectedForm


class ContactForm(SpamProtectedForm):
    class Topic:
        CHOICES = [
            ("hosting", _("Hosting an event")),
            ("submission", _("An event or message I shared")),
            ("summit", _("The summit")),
            ("access", _("Accessibility or language help")),
            ("other", _("Something else")),
        ]

    name = forms.CharField(label=_("Your name"), max_length=120,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your email"), max_length=254,
                             help_text=_("So that we can answer you. Private: only staff see it."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}))
    topic = forms.ChoiceField(label=_("What it is about"), choices=Topic.CHOICES, initial="other")
    message = forms.CharField(
        label=_("Your message"), max_length=3000,
        help_text=_("Up to 3,000 characters. Only campaign staff read it; it is never published."),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 3000}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.form_helper("name", "email", "topic", "message")

    def clean_message(self):
        return self.cleaned_data["message"].strip()

    def topic_label(self) -> str:
        return str(dict(self.Topic.CHOICES).get(self.cleaned_data.get("topic"), ""))
