"""The site's own words staff translate in admin: an edition's name and theme."""

from modeltranslation.translator import TranslationOptions, register

from twh.core.editions import Edition


@register(Edition)
class EditionTranslationOptions(TranslationOptions):
    fields = ("name", "theme")
    required_languages = {"en": ("name",)}
