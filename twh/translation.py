"""Page text staff enter outside the summit, translated in admin: one column per site language, English fallback."""

from modeltranslation.translator import TranslationOptions, register

from twh.core.editions import Edition
from twh.models import Anchor


@register(Anchor)
class AnchorTranslationOptions(TranslationOptions):
    fields = ("name", "description")  # the logo's text alternative follows the logo, not the page
    required_languages = {"en": ("name",)}


@register(Edition)
class EditionTranslationOptions(TranslationOptions):
    fields = ("name", "theme")  # an edition's name and theme, as the public reads them
    required_languages = {"en": ("name",)}
