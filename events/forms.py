"""The public submission forms: a healing event, and a message of healing.

Forms validate what was typed and never call the network: where an event is mapped (the pin,
the geocoded address, or "needs location") is decided by events/location.py, from the service.
"""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.location import in_city
from events.models import CommunityArea, EventReport, HealingEvent, HealingMessage
from events.photos import clean_photo
from events.services import EventDetails
from twh.core.antispam import SpamProtectedForm
from twh.core.area_words import area_label, with_area_word

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# How far from today an event's date may be: a typo in the year gets an error, not a record.
DATE_SLACK = timedelta(days=400)


class EventForm(SpamProtectedForm, forms.ModelForm):
    stakeholders = forms.MultipleChoiceField(
        label=_("Stakeholders at the table"), required=False,
        choices=HealingEvent.Stakeholder.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: who took part or will take part."),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    community_area = forms.ModelChoiceField(
        label=area_label(), queryset=CommunityArea.objects.order_by("name"),
        empty_label=with_area_word(_("Choose a %(area)s")),
        help_text=with_area_word(_("The %(area)s of the point you give below.")),
    )

    class Meta:
        model = HealingEvent
        fields = list(EventDetails.__annotations__)  # what the services take, in form order
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "kind": forms.RadioSelect,
            "format": forms.RadioSelect,
            "host_type": forms.RadioSelect,
            "location_basis": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "message": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        }
        labels = {
            "host_name": _("Host name to show"),
            "address": _("Address or nearest intersection"),
            "publish_exact_location": _("Show our exact location on the map (organizations only)"),
            "message_consent": _("You may publish my message of healing on the site"),
            "list_as_partner": _("List our organization as a partner"),
            "contact_name": _("Your name"),
            "contact_email": _("Your email"),
            "contact_phone": _("Your phone (optional)"),
        }
        help_texts = {
            "host_name": lazy(lambda: gettext("An organization's name; for an individual, a first name, or "
                                             "leave it empty to show “%(default)s”.")
                              % {"default": HealingEvent.INDIVIDUAL_DEFAULT_NAME}, str)(),
            "address": _("Where the host is based, or where the event would ideally be held in "
                         "person. For individuals this stays private: the map shows only an "
                         "approximate point (about 500 m)."),
            "list_as_partner": _("Organizations only: the about page lists your organization's name "
                                 "and website among the campaign's partners once your event is approved."),
            "contact_name": _("Private: only staff see it."),
            "contact_email": _("Private: we send your confirmation and a link to edit it here."),
            "contact_phone": _("Private: only if staff need to reach you."),
            "message_consent": _("Tick this if we may show your message on the site, with the "
                                 "host name above. Leave it empty to keep your message private."),
        }

    AUTOCOMPLETE = {
        "title": "off", "host_name": "organization", "website": "url", "address": "street-address",
        "contact_name": "name", "contact_email": "email", "contact_phone": "tel", "rsvp_url": "url",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_name"].required = False
        self.fields["kind"].choices = HealingEvent.Kind.choices
        self.fields["format"].choices = HealingEvent.Format.choices
        self.fields["host_type"].choices = HealingEvent.HostType.choices
        self.fields["location_basis"].choices = HealingEvent.LocationBasis.choices
        for name, value in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["contact_email"].widget.attrs["inputmode"] = "email"
        self.fields["contact_phone"].widget.attrs["inputmode"] = "tel"
        self.helper = self._layout()

    def _layout(self) -> FormHelper:
        return self.form_helper(
            Fieldset(_("Your healing event"), "title", "kind", "format", "starts_at", "ends_at",
                     "participants", "language_of_event", "description", "stakeholders", "rsvp_url"),
            Fieldset(_("The host"), "host_type", "host_name", "website", "list_as_partner"),
            Fieldset(
                _("Where to map it"),
                HTML('{% include "events/_location_help.html" %}'),
                "location_basis", "address", "community_area", "latitude", "longitude",
                HTML('{% include "events/_pin_map.html" %}'),
                "publish_exact_location",
            ),
            Fieldset(_("Your message of healing for the city"), "message", "message_consent"),
            Fieldset(_("How we reach you (private)"), "contact_name", "contact_email", "contact_phone"),
        )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        now = timezone.now()
        if not now - DATE_SLACK <= starts_at <= now + DATE_SLACK:
            raise forms.ValidationError(_("Please check the date: it should be within a year of today."))
        return starts_at

    def clean_host_name(self):
        return self.cleaned_data.get("host_name", "").strip()

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        if cleaned.get("host_type") == HealingEvent.HostType.ORGANIZATION and not cleaned.get("host_name"):
            self.add_error("host_name", _("Please give the organization's name."))
        if cleaned.get("host_type") == HealingEvent.HostType.INDIVIDUAL:
            cleaned["publish_exact_location"] = False
            cleaned["list_as_partner"] = False
        self._clean_location(cleaned)
        return cleaned

    def _clean_location(self, cleaned) -> None:
        """A pin must be in the city, and without one an address is needed. Where the event is
        then mapped (the pin, or the geocoded address) is decided by events/location.py."""
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        address = (cleaned.get("address") or "").strip()
        if (latitude is None) != (longitude is None):
            cleaned["latitude"] = cleaned["longitude"] = latitude = longitude = None
        if latitude is not None:
            if not in_city(latitude, longitude):
                self.add_error("address", _("The pin is outside the city. Please place it in %(city)s.")
                               % {"city": settings.CAMPAIGN_CITY})
            return
        if not address:
            self.add_error("address", _("Please give an address or nearest intersection, "
                                        "or place the pin on the map."))


class MessageForm(SpamProtectedForm, forms.ModelForm):
    community_area = forms.ModelChoiceField(
        label=with_area_word(_("%(Area)s (optional)")), queryset=CommunityArea.objects.order_by("name"),
        required=False, empty_label=_("Not given"),
    )

    class Meta:
        model = HealingMessage
        fields = ["text", "display_name", "community_area", "email"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5, "maxlength": 500})}
        labels = {
            "text": _("Your message of healing"),
            "display_name": _("Name to show (optional)"),
            "email": _("Your email (optional, private)"),
        }
        help_texts = {
            "text": _("Up to 500 characters. Staff read every message before it is shown."),
            "display_name": _("A first name or a nickname; leave it empty to appear as “Anonymous”."),
            "email": _("Only to tell you when your message is published. Never shown."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.helper = self.form_helper("text", "display_name", "community_area", "email")

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write a message."))
        return text


class ReportForm(SpamProtectedForm, forms.ModelForm):
    """The host's report after the event; the activity's question is asked by kind."""

    missing_stakeholders = forms.MultipleChoiceField(
        label=_("Who was missing from the table?"), required=False,
        choices=HealingEvent.Stakeholder.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: who you wish had been there."),
    )
    photo = forms.FileField(
        label=_("One photo (optional)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, up to 8 MB. We remove its location and camera details "
                    "and resize it. Staff check it before it is shown. Only with the agreement "
                    "of the people in it."),
    )

    class Meta:
        model = EventReport
        fields = ["participants", "what_happened", "answer", "commitment", "missing_stakeholders",
                  "photo", "photo_alt", "quote", "quote_consent"]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 4, "maxlength": 1500}),
            "answer": forms.Textarea(attrs={"rows": 4, "maxlength": 1500}),
            "quote": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        }
        labels = {
            "participants": _("How many people actually took part?"),
            "what_happened": _("What happened? (short)"),
            "commitment": _("One commitment for the path forward"),
            "photo_alt": _("Describe the photo (alt text)"),
            "quote": _("A quote for the public wall (optional)"),
            "quote_consent": _("You may publish this quote on the site"),
        }
        help_texts = {
            "participants": _("Your best count of everyone who took part, hosts included."),
            "what_happened": _("A few sentences: shown on the event's public page once staff approve it."),
            "commitment": _("One thing the group will do next. Shared, without names, with the "
                            "summit's facilitators."),
            "photo_alt": _("Required with a photo: what it shows, for people who cannot see it."),
            "quote": _("A sentence someone said or wrote, without their name."),
        }

    def __init__(self, *args, question: tuple[str, str] = ("", ""), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].min_value = 0
        self.fields["participants"].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["what_happened"].required = True
        self.fields["answer"].label = question[0] or _("What came out of it?")
        self.fields["answer"].help_text = question[1]
        self.fields["answer"].required = True
        self.clean_photo_file = None
        self.helper = self.form_helper(
            Fieldset(_("What happened"), "participants", "what_happened", "answer", "commitment",
                     "missing_stakeholders"),
            Fieldset(_("A photo (optional)"), "photo", "photo_alt"),
            Fieldset(_("For the public wall (optional)"), "quote", "quote_consent"),
        )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        self.clean_photo_file = clean_photo(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not (cleaned.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Please describe the photo for people who cannot see it."))
        if cleaned.get("quote_consent") and not (cleaned.get("quote") or "").strip():
            self.add_error("quote", _("Please write the quote, or untick the box below it."))
        if "photo" in self.errors:
            # A file input cannot be filled in again by the browser: say so next to the field.
            self.fields["photo"].help_text = _("Please choose the photo again (or another one).")
        return cleaned
