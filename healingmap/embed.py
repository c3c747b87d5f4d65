"""The partner embed builder: the map's filters plus height and language, turned into an iframe snippet."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from healingmap.filters import MapFilterForm
from twh.core.area_words import areas_label

DEFAULT_HEIGHT = 500


class EmbedBuilderForm(MapFilterForm):
    """Every filter the embed honours (the map's own form), and how the frame looks."""

    height = forms.IntegerField(
        label=_("Height in pixels"), required=False, min_value=250, max_value=1500, initial=DEFAULT_HEIGHT,
        help_text=_("From 250 to 1,500. The map always fills the width of its space."),
    )
    lang = forms.ChoiceField(label=_("Language of the map"), required=False, choices=[])

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name in ("bbox", "page", "sort"):
            del self.fields[name]
        self.fields["area"].choices = self.fields["area"].choices[1:]  # no "All" among checkboxes
        self.fields["area"].widget = forms.CheckboxSelectMultiple(choices=self.fields["area"].choices)
        self.fields["area"].label = areas_label()
        self.fields["area"].help_text = _("Choose one or several; none means the whole city.")
        self.fields["lang"].choices = [(code, name) for code, name in settings.LANGUAGES]

    def language(self) -> str:
        return (self.cleaned_data.get("lang") if self.is_valid() else None) or translation.get_language()

    def frame_height(self) -> int:
        return (self.cleaned_data.get("height") if self.is_valid() else None) or DEFAULT_HEIGHT

    def embed_query(self) -> str:
        query = self.normalized_query()
        return "&".join(part for part in (query, urlencode({"lang": self.language()})) if part)

    def embed_url(self, request) -> str:
        return request.build_absolute_uri(reverse("healingmap:embed")) + "?" + self.embed_query()

    def map_url(self, request) -> str:
        query = self.normalized_query()
        return request.build_absolute_uri(reverse("healingmap:map")) + (f"?{query}" if query else "")

    def frame_title(self) -> str:
        with translation.override(self.language()):
            return gettext("%(campaign)s: Healing Map of racial healing events") % {"campaign": settings.CAMPAIGN_NAME}

    def snippet(self, request) -> str:
        """The HTML a partner pastes: an iframe with a title for screen readers."""
        return format_html(
            '<iframe src="{}" title="{}" width="100%" height="{}" style="border:0;max-width:100%" '
            'loading="lazy"></iframe>',
            self.embed_url(request), self.frame_title(), self.frame_height(),
        )
