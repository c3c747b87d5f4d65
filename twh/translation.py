"""Page text staff enter outside the summit, translated in admin: one column per site language, English fallback."""

from modeltranslation.translator import TranslationOptions, register

from twh.models import Anchor


@register(Anchor)
class AnchorTranslationOptions(TranslationOptions):
    fields = ("name", "description")  # the logo's text alternative follows the logo, not the page
    required_languages = {"en": ("name",)}
