"""Admin for the outbox (what is waiting for the mail server), the anchor organizations and the
campaign editions."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from twh.core.editions import Edition, close_edition
from twh.core.publication import public_data_changed
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


@admin.action(description=_("Close selected editions (submissions stop; they stay online as an archive)"),
              permissions=["change"])
def close_editions(modeladmin, request, queryset):
    closed = 0
    with transaction.atomic():
        for edition in queryset:
            closed += close_edition(edition=edition)
        if closed:
            public_data_changed()
    modeladmin.message_user(
        request,
        ngettext("%(count)d edition closed.", "%(count)d editions closed.", closed) % {"count": closed},
        messages.SUCCESS,
    )


@admin.register(Edition)
class EditionAdmin(TranslationAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on", "submissions_open_on", "submissions_close_on",
                    "is_current", "closed_at"]
    readonly_fields = ["closed_at"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name", "slug"]
    actions = [close_editions]

    @admin.display(boolean=True, description=_("current"))
    def is_current(self, obj):
        return obj.pk == Edition.objects.current().pk

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            public_data_changed()  # which edition is current, and its name, are public
