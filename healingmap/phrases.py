"""The map's counted phrases, translated with the catalogs' own plural forms, for the server and the script.

Each phrase is written once, as a real `ngettext` call (so makemessages extracts it as a plural
entry). The server renders them with `counted()`; the map script gets the same catalog entries
and the language's plural formula from `MapCatalog` (Django's JavaScriptCatalog, cut down to
these phrases) and picks the form with `django.ngettext`, so Polish and Arabic get every form.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import ngettext
from django.views.i18n import JavaScriptCatalog


def _phrases(n: int) -> dict[str, str]:
    return {
        "participants": ngettext("About %(n)s participant", "About %(n)s participants", n),
        "group": ngettext("%(n)s event hosted by a resident in %(area)s",
                          "%(n)s events hosted by residents in %(area)s", n),
        "cluster": ngettext("%(n)s event", "%(n)s events", n),
        "count": ngettext("%(n)s event on the map.", "%(n)s events on the map.", n),
    }


def counted(key: str, n: int, **values) -> str:
    """The phrase `key` for the count n in the active language, with %(n)s and the values filled in."""
    return _phrases(n)[key] % {"n": n, **values}


def msgids() -> dict[str, list[str]]:
    """{key: [singular, plural]} as written above (in English): what the script looks up."""
    with translation.override("en"):
        one, many = _phrases(1), _phrases(2)
    return {key: [one[key], many[key]] for key in one}


class MapCatalog(JavaScriptCatalog):
    """`django.ngettext` and the plural formula of one language, with the map's phrases only.

    The language is in the URL (not the visitor's cookie), so the script can be cached and the
    embed, whose language the partner chooses, loads the right one.
    """

    domain = "django"  # the phrases live in the site's own catalogs, beside the server's strings

    def get(self, request, *args, **kwargs):
        language = kwargs.pop("language")
        if language not in dict(settings.LANGUAGES):
            raise Http404("No such language.")
        with translation.override(language):
            response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=3600"
        return response

    def get_catalog(self):
        catalog = super().get_catalog()
        wanted = {singular for singular, _plural in msgids().values()}
        return {msgid: forms for msgid, forms in catalog.items() if msgid in wanted}
