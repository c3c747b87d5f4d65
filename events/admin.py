"""The moderation queue for events and messages of healing."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from events import moderation, reports
from events.models import CommunityArea, EventReport, HealingEvent, HealingMessage, ReportQuestion
from events.photos import clean_photo
from events.services import save_event_by_staff
from twh.core.admin_actions import (
    PENDING_FIRST,
    ModerationAdminMixin,
    approve_action,
    reject_action,
)
from twh.core.languages import LanguageListFilter, language_column
from twh.core.moderation import Status
from twh.core.publication import public_data_changed


def staff_language_field(**kwargs) -> forms.ChoiceField:
    """The person's language as a choice of the site's languages: their emails are written in it."""
    return forms.ChoiceField(choices=settings.LANGUAGES, **kwargs)


def approve_events_with_a_point(approve_fn):
    """The shared approve action, holding back events still flagged "needs location": approved,
    one would be on the list but not on the map, its page "shown approximately" with no map."""
    approve_the_rest = approve_action(approve_fn)

    @admin.action(description=approve_the_rest.short_description, permissions=["moderate"])
    def approve_selected(modeladmin, request, queryset):
        held = list(queryset.filter(needs_location=True).exclude(status=Status.APPROVED).order_by("pk"))
        approve_the_rest(modeladmin, request, queryset.exclude(pk__in=[event.pk for event in held]))
        if held:
            links = format_html_join(
                ", ", '<a href="{}">{}</a>',
                ((reverse("admin:events_healingevent_change", args=[event.pk]), event.title) for event in held),
            )
            modeladmin.message_user(request, format_html(
                "{} {}",
                ngettext(
                    "%(count)d event was not approved because it still needs a location: "
                    "place its pin on its page, save, then approve it.",
                    "%(count)d events were not approved because they still need a location: "
                    "place each one's pin on its page, save, then approve them.",
                    len(held),
                ) % {"count": len(held)},
                links,
            ), messages.WARNING)

    return approve_selected


@admin.register(CommunityArea)
class CommunityAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "official_name", "retired"]
    list_filter = ["retired"]
    search_fields = ["name", "official_name"]
    ordering = ["number"]
    readonly_fields = ["boundary", "display_boundary", "retired"]

    def get_queryset(self, request):
        return CommunityArea.all_objects.all()  # staff see retired areas too


@admin.register(HealingEvent)
class HealingEventAdmin(ModerationAdminMixin, SimpleHistoryAdmin):
    # Short dates, no format column (it is a filter) and the language under the community area
    # rather than a column of its own, so every column fits a 1,400 px screen beside the menu
    # and the filters.
    list_display = ["title", "status", "kind", "area_and_language", "starts_on", "submitted_on",
                    "needs_location"]
    list_filter = ["status", "edition", "kind", "format", "needs_location", "host_type", "source",
                   "community_area", LanguageListFilter]
    search_fields = ["title", "description", "host_name", "contact_name", "contact_email", "address"]
    date_hierarchy = "submitted_at"
    list_select_related = ["community_area"]
    list_per_page = 50
    ordering = PENDING_FIRST
    autocomplete_fields = ["community_area"]
    actions = [approve_events_with_a_point(moderation.approve), reject_action(moderation.reject)]
    # The edition is set when the event is stored (the current one), never retyped by hand.
    readonly_fields = ["public_latitude", "public_longitude", "submitted_at", "updated_at",
                       "moderated_by", "moderated_at", "status", "rejection_reason", "rejection_note",
                       "edition"]
    fieldsets = [
        (_("Moderation"), {"fields": ["status", "rejection_reason", "rejection_note", "moderated_by",
                                      "moderated_at", "submitted_at", "updated_at", "language"]}),
        (_("The event"), {"fields": ["title", "kind", "format", "starts_at", "ends_at", "participants",
                                     "language_of_event", "description", "stakeholders", "rsvp_url"]}),
        (_("The host"), {"fields": ["host_type", "host_name", "website", "list_as_partner"]}),
        (_("Location"), {
            "description": _("Drag the pin on the map to fix the location; the public point is "
                             "recomputed by the privacy rules when you save."),
            "fields": ["location_basis", "address", "community_area", "latitude", "longitude",
                       "publish_exact_location", "needs_location", "public_latitude",
                       "public_longitude"],
        }),
        (_("Message of healing"), {"fields": ["message", "message_consent"]}),
        (_("Private contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (_("Source"), {"fields": ["edition", "source", "source_note"]}),
    ]

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/admin-location.css"]}
        js = ["leaflet/leaflet.js", "js/map-common.js", "js/admin-location-map.js"]

    @admin.display(description=format_lazy("{} / {}", _("community area"), _("language used")),
                   ordering="community_area")
    def area_and_language(self, obj):
        return format_html('{}<br><span class="quiet">{}</span>', obj.community_area, language_column(obj))

    @admin.display(description=_("starts"), ordering="starts_at")
    def starts_on(self, obj):
        return date_format(timezone.localtime(obj.starts_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, obj):
        return date_format(timezone.localtime(obj.submitted_at), "SHORT_DATE_FORMAT")

    def get_changeform_initial_data(self, request):
        # The add page is assisted intake: staff enter an event on someone's behalf.
        return {"source": HealingEvent.Source.STAFF, **super().get_changeform_initial_data(request)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "stakeholders":
            return forms.MultipleChoiceField(
                label=db_field.verbose_name.capitalize(), help_text=db_field.help_text, required=False,
                choices=HealingEvent.Stakeholder.choices, widget=forms.CheckboxSelectMultiple,
            )
        if db_field.name == "language":
            return staff_language_field(label=db_field.verbose_name.capitalize(), help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # An individual may stay anonymous: saving fills in "A <city> resident".
        form.base_fields["host_name"].required = False
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = HealingEvent.Source.STAFF
        save_event_by_staff(event=obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_data_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_data_changed()


@admin.register(HealingMessage)
class HealingMessageAdmin(ModerationAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "shown_name", "status", "community_area", "submitted_at", language_column]
    list_filter = ["status", "edition", "community_area", LanguageListFilter]
    search_fields = ["text", "display_name", "email"]
    date_hierarchy = "submitted_at"
    actions = [approve_action(moderation.approve), reject_action(moderation.reject)]
    readonly_fields = ["status", "rejection_reason", "rejection_note", "moderated_by", "moderated_at",
                       "submitted_at", "language"]
    fields = ["text", "display_name", "community_area", "email", *readonly_fields]
    ordering = PENDING_FIRST


@admin.register(ReportQuestion)
class ReportQuestionAdmin(admin.ModelAdmin):
    list_display = ["kind", "question", "help_text"]
    ordering = ["kind"]

    def has_delete_permission(self, request, obj=None):
        return False  # one question per kind; reword it instead


class EventReportAdminForm(forms.ModelForm):
    """Staff intake: the photo goes through the same checks and clean-up as the host's."""

    missing_stakeholders = forms.MultipleChoiceField(
        label=_("Missing from the table"), required=False,
        choices=HealingEvent.Stakeholder.choices, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = EventReport
        fields = ["event", "participants", "what_happened", "answer", "commitment",
                  "missing_stakeholders", "photo", "photo_alt", "quote", "quote_consent", "source_note"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            return clean_photo(photo)
        return photo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not (cleaned.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Please describe the photo for people who cannot see it."))
        return cleaned


def _field_action(decide, *, approve: bool, description):
    @admin.action(description=description, permissions=["moderate"])
    def action(modeladmin, request, queryset):
        changed = sum(decide(report, moderator=request.user, approve=approve) for report in queryset)
        modeladmin.message_user(
            request, ngettext("%(count)d item changed.", "%(count)d items changed.", changed) % {"count": changed},
            messages.SUCCESS,
        )

    action.__name__ = f"{decide.__name__}_{'approve' if approve else 'reject'}"
    return action


@admin.register(EventReport)
class EventReportAdmin(ModerationAdminMixin, SimpleHistoryAdmin):
    form = EventReportAdminForm
    list_display = ["__str__", "status", "participants", "estimated", "photo_status", "quote_status",
                    "source", "submitted_at"]
    list_filter = ["status", "photo_status", "quote_status", "source", "event__kind",
                   "event__community_area"]
    search_fields = ["event__title", "what_happened", "answer", "commitment", "quote"]
    date_hierarchy = "submitted_at"
    ordering = PENDING_FIRST
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    actions = [
        approve_action(reports.approve_report), reject_action(reports.reject_report),
        _field_action(reports.decide_photo, approve=True, description=_("Approve the photo of selected")),
        _field_action(reports.decide_photo, approve=False, description=_("Reject the photo of selected")),
        _field_action(reports.decide_quote, approve=True, description=_("Approve the quote of selected")),
        _field_action(reports.decide_quote, approve=False, description=_("Reject the quote of selected")),
    ]
    readonly_fields = ["status", "rejection_reason", "rejection_note", "moderated_by", "moderated_at",
                       "submitted_at", "updated_at", "photo_status", "quote_status", "photo_preview",
                       "question", "source", "entered_by", "language"]
    fieldsets = [
        (_("Moderation"), {"fields": ["status", "rejection_reason", "rejection_note", "moderated_by",
                                      "moderated_at", "submitted_at", "updated_at", "language"]}),
        (_("The report"), {"fields": ["event", "participants", "what_happened", "question", "answer",
                                      "commitment", "missing_stakeholders"]}),
        (_("Photo (approved separately)"), {"fields": ["photo_status", "photo_preview", "photo", "photo_alt"]}),
        (_("Quote (approved separately)"), {"fields": ["quote_status", "quote", "quote_consent"]}),
        (_("Source"), {"fields": ["source", "entered_by", "source_note"]}),
    ]

    @admin.display(description=_("estimated participants"))
    def estimated(self, obj):
        return obj.event.participants

    @admin.display(description=_("photo"))
    def photo_preview(self, obj):
        if not obj.photo:
            return "–"
        return format_html('<img src="{}" alt="{}" style="max-width: 320px; height: auto">',
                           obj.photo.url, obj.photo_alt)

    def save_model(self, request, obj, form, change):
        if not change:  # assisted intake: staff enter a report on the host's behalf
            obj.source = EventReport.Source.STAFF
            obj.entered_by = request.user
            obj.question = reports.raw_question(obj.event.kind)[0]
            obj.language = obj.event.language
        if not obj.quote:
            obj.quote_consent = False
        super().save_model(request, obj, form, change)
        public_data_changed()
