"""The summit's own words staff translate in admin: one column per site language, English fallback."""

from modeltranslation.translator import TranslationOptions, register

from summit.models import AgendaItem, Summit, SummitPrompt


@register(Summit)
class SummitTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "description")  # speakers are names: the same in every language
    required_languages = {"en": ("title",)}


@register(SummitPrompt)
class SummitPromptTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("en",)
