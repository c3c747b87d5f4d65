"""Language of parts (WCAG 3.1.2): `lang`/`dir` on text shown in another language than the page.

`{% content_lang summit "title" %}` marks staff content whose translation is missing, so the
English fallback is shown; `{% submitted_lang event.language %}` marks what a person wrote, in
the site language they used. Both print attributes to put inside an element's start tag.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from modeltranslation.utils import build_localized_fieldname

from twh.core.languages import language_name, site_language

register = template.Library()


def _direction(code: str) -> str:
    return "rtl" if get_language_info(code)["bidi"] else "ltr"


def shown_language(obj, field: str) -> str:
    """The language in which `obj.field` is shown now: the page's, or the fallback English."""
    current = get_language() or settings.LANGUAGE_CODE
    if getattr(obj, build_localized_fieldname(field, current), None):
        return current
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@register.simple_tag
def content_lang(obj, field: str):
    """` lang="en" dir="ltr"` when the field falls back to English on a page in another language."""
    shown = shown_language(obj, field)
    if shown == (get_language() or settings.LANGUAGE_CODE):
        return ""
    return format_html(' lang="{}" dir="{}"', shown, _direction(shown))


@register.simple_tag
def submitted_lang(code):
    """` lang="xx" dir="auto"` for text a person wrote; dir="auto" lets the browser read its
    direction, so Arabic written on the English site (or English on the Arabic one) reads right."""
    language = site_language(code)
    if language is None:
        return mark_safe(' dir="auto"')
    return format_html(' lang="{}" dir="auto"', language)


@register.filter(name="language_name")
def language_name_filter(code) -> str:
    """The site language's name in the active language ("Spanish", "Español"...), or the code."""
    return language_name(code)
