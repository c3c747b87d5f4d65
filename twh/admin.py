"""Admin for the outbox (what is waiting for the mail server) and the anchor organizations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from twh.models import Anchor, OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts", "next_attempt_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    # The HTML part says what the text says: kept below, folded, so the text and the send
    # history stay in view.
    fieldsets = [
        (None, {"fields": [f.name for f in OutboxEmail._meta.fields if f.name != "html_body"]}),
        (_("HTML body"), {"fields": ["html_body"], "classes": ["collapse"]}),
    ]
    search_fields = ["subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Anchor)
class AnchorAdmin(TranslationAdmin):  # a name and description field per language, as the summit has
    list_display = ["name", "url", "order", "is_listed"]
    list_editable = ["order", "is_listed"]
    search_fields = ["name"]
