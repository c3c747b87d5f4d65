"""The site's languages as staff meet them: a submission's language by name, and an admin filter.

Every submission stores the site language the person used (`language`); moderators filter and
sort by it to route each item to a reviewer who reads that language.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


def site_language(code) -> str | None:
    """The code as in LANGUAGES (case-insensitive), or None when it is not a site language."""
    code = str(code or "").lower()
    return next((known for known, _name in settings.LANGUAGES if known == code), None)


def language_name(code) -> str:
    """The language's name in the active language ("Polish", "polaco"...), or the code itself."""
    language = site_language(code)
    if language is None:
        return str(code or "")
    return str(get_language_info(language)["name_translated"])


class LanguageListFilter(admin.SimpleListFilter):
    """Filter a moderated list (or registrations) by the language the person used."""

    title = _("language used")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, language_name(code)) for code, _name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(language=self.value())
        return queryset


@admin.display(description=_("language used"), ordering="language")
def language_column(obj) -> str:
    """A list column: the submission's language by name."""
    return language_name(obj.language)
