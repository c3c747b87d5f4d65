"""The moderation queue for events and messages of healing."""

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from events import moderation
from events.models import CommunityArea, HealingEvent, HealingMessage
from events.publication import public_data_changed
from events.services import save_event_by_staff
from twh.admin_actions import ModerationAdminMixin, approve_action, reject_action
from twh.languages import LanguageListFilter, language_column
from twh.moderation import Status


def pending_first(queryset):
    """Newest pending items first, then everything else newest first."""
    return queryset.annotate(
        pending_rank=Case(When(status=Status.PENDING, then=Value(0)), default=Value(1),
                          output_field=IntegerField())
    ).order_by("pending_rank", "-submitted_at")


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
    list_display = ["number", "name", "official_name"]
    search_fields = ["name", "official_name"]
    ordering = ["number"]
    readonly_fields = ["boundary", "display_boundary"]


@admin.register(HealingEvent)
class HealingEventAdmin(ModerationAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "status", "kind", "format", "community_area", "starts_at",
                    "submitted_at", "needs_location", language_column]
    list_filter = ["status", "kind", "format", "needs_location", "host_type", "source",
                   "community_area", LanguageListFilter]
    search_fields = ["title", "description", "host_name", "contact_name", "contact_email", "address"]
    date_hierarchy = "submitted_at"
    list_select_related = ["community_area"]
    autocomplete_fields = ["community_area"]
    actions = [approve_events_with_a_point(moderation.approve), reject_action(moderation.reject)]
    readonly_fields = ["public_latitude", "public_longitude", "submitted_at", "updated_at",
                       "moderated_by", "moderated_at", "status", "rejection_reason", "rejection_note"]
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
        (_("Source"), {"fields": ["source", "source_note"]}),
    ]

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/admin-location.css"]}
        js = ["leaflet/leaflet.js", "js/admin-location-map.js"]

    def get_queryset(self, request):
        return pending_first(super().get_queryset(request))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # An individual may stay anonymous: saving fills in "A Chicago resident".
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
    list_filter = ["status", "community_area", LanguageListFilter]
    search_fields = ["text", "display_name", "email"]
    date_hierarchy = "submitted_at"
    actions = [approve_action(moderation.approve), reject_action(moderation.reject)]
    readonly_fields = ["status", "rejection_reason", "rejection_note", "moderated_by", "moderated_at",
                       "submitted_at", "language"]
    fields = ["text", "display_name", "community_area", "email", *readonly_fields]

    def get_queryset(self, request):
        return pending_first(super().get_queryset(request))
