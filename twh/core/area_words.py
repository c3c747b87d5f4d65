"""What the city's areas are called (settings.AREA_WORD): translatable words, singular and plural.

Pages and messages say "{{ area_word.many }}" rather than "community areas", so a city of wards
or districts reads right in every language the catalogs carry.
"""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

AREA_WORDS = {
    "community_area": (_("community area"), _("community areas")),
    "ward": (_("ward"), _("wards")),
    "neighbourhood": (_("neighbourhood"), _("neighbourhoods")),
    "district": (_("district"), _("districts")),
}


def area_word() -> str:
    """The singular, in the active language ("community area")."""
    return str(AREA_WORDS[settings.AREA_WORD][0])


def area_words() -> str:
    """The plural, in the active language ("community areas")."""
    return str(AREA_WORDS[settings.AREA_WORD][1])


class AreaWord:
    """For templates: `one`, `many`, and `One`, `Many` to start a sentence; read when rendered,
    so each page gets the words in its own language."""

    def __getitem__(self, key):
        raise KeyError(key)

    @property
    def one(self) -> str:
        return area_word()

    @property
    def many(self) -> str:
        return area_words()

    @property
    def One(self) -> str:  # noqa: N802 - reads as the capitalised word in templates
        return capfirst(area_word())

    @property
    def Many(self) -> str:  # noqa: N802
        return capfirst(area_words())


def area_vars() -> dict[str, str]:
    """%(area)s, %(areas)s, %(Area)s and %(Areas)s for a message, in the active language, and
    %(city)s, the city's name."""
    one, many = area_word(), area_words()
    return {"area": one, "areas": many, "Area": capfirst(one), "Areas": capfirst(many),
            "city": settings.CAMPAIGN_CITY}


def _fill(message) -> str:
    return str(message) % area_vars()


# A lazy message with the area word filled in when it is shown: form labels and help texts are
# made once, at import, but each request reads them in its own language.
with_area_word = lazy(_fill, str)
# "Community area" / "Community areas" as a label, lazily.
area_label = lazy(lambda: capfirst(area_word()), str)
areas_label = lazy(lambda: capfirst(area_words()), str)
