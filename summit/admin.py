"""Admin for the summit: set it up, follow registrations and the waitlist, moderate reflections."""

from django.contrib import admin, messages
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from summit import moderation, services
from summit.exports import registrations_csv
from summit.models import AccessRequest, AgendaItem, Reflection, Registration, Summit, SummitPrompt
from twh.core.admin_actions import (
    PENDING_FIRST,
    ModerationAdminMixin,
    approve_action,
    reject_action,
)
from twh.core.area_words import with_area_word
from twh.core.languages import LanguageListFilter, language_column


# Staff fill the English (required) and any other language; an empty one shows the English.
class AgendaItemInline(TranslationStackedInline):  # stacked: six languages do not fit a row
    model = AgendaItem
    extra = 1
    fields = ["starts_at", "title", "speakers", "description"]


class SummitPromptInline(TranslationTabularInline):
    model = SummitPrompt
    extra = 1
    fields = ["position", "text"]


@admin.register(Summit)
class SummitAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "starts_at", "is_current", "capacity", "confirmed", "waitlisted"]
    list_filter = ["is_current"]
    search_fields = ["title"]
    inlines = [AgendaItemInline, SummitPromptInline]
    fieldsets = [
        (None, {"fields": ["title", "description", "is_current"]}),
        (with_area_word(_("When (%(city)s time)")), {"fields": ["starts_at", "ends_at"]}),
        (_("Registration"), {"fields": ["capacity", "registration_opens_at", "registration_closes_at"]}),
        (_("Private"), {"fields": ["meeting_url"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            n_waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
        )

    @admin.display(description=_("registered"), ordering="n_confirmed")
    def confirmed(self, obj):
        return obj.n_confirmed

    @admin.display(description=_("waitlisted"), ordering="n_waitlisted")
    def waitlisted(self, obj):
        return obj.n_waitlisted

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # More places (or a waitlist left over) are offered to the people waiting, in order.
        promoted = services.fill_from_waitlist(summit=form.instance)
        if promoted:
            self.message_user(request, ngettext(
                "%(count)d person was promoted from the waitlist and emailed.",
                "%(count)d people were promoted from the waitlist and emailed.", len(promoted),
            ) % {"count": len(promoted)}, messages.SUCCESS)


class AccessNeedsFilter(admin.SimpleListFilter):
    title = _("access needs")
    parameter_name = "access"

    def lookups(self, request, model_admin):
        return [("any", _("Any access need")), ("pending", _("Not arranged yet")),
                ("asl", _("ASL interpretation")), ("captions", _("Live captions")),
                ("interpretation", _("Language interpretation")), ("other", _("Other")),
                ("none", _("None"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.with_access_needs()
        if value == "pending":
            return queryset.access_needs_pending()
        if value in ("asl", "captions", "interpretation"):
            return queryset.filter(**{f"needs_{value}": True})
        if value == "other":
            return queryset.exclude(access_needs_other="")
        if value == "none":
            return queryset.exclude(pk__in=queryset.with_access_needs().values("pk"))
        return queryset


class AttendedFilter(admin.SimpleListFilter):
    title = _("checked in")
    parameter_name = "attended"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(attended_at__isnull=self.value() == "no")
        return queryset


@admin.action(description=_("Export selected as CSV"), permissions=["change"])
def export_csv(modeladmin, request, queryset):
    response = HttpResponse(registrations_csv(queryset), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="summit-registrations-{stamp}.csv"'
    return response


@admin.action(description=_("Promote selected from the waitlist (and email them)"), permissions=["change"])
def promote_selected(modeladmin, request, queryset):
    chosen = list(queryset.filter(status=Registration.Status.WAITLISTED))
    promoted = services.promote_from_waitlist(registrations=chosen)
    modeladmin.message_user(request, ngettext(
        "%(count)d person promoted and emailed.", "%(count)d people promoted and emailed.", len(promoted)
    ) % {"count": len(promoted)}, messages.SUCCESS if promoted else messages.WARNING)
    if len(promoted) < len(chosen):
        modeladmin.message_user(request, _(
            "The summit is full: raise its capacity to promote more people from the waitlist."
        ), messages.WARNING)


def _mark(fn, description, **kwargs):
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        changed = sum(fn(registration=r, **kwargs) for r in queryset)
        modeladmin.message_user(request, ngettext(
            "%(count)d registration updated.", "%(count)d registrations updated.", changed
        ) % {"count": changed}, messages.SUCCESS)

    action.__name__ = f"{fn.__name__}_{'yes' if all(kwargs.values()) else 'no'}"
    return action


mark_attended = _mark(services.mark_attended, _("Check in: mark selected as attended"), attended=True)
unmark_attended = _mark(services.mark_attended, _("Undo check-in for selected"), attended=False)
mark_done = _mark(services.mark_access_needs_done, _("Mark access needs as arranged"), done=True)
mark_not_done = _mark(services.mark_access_needs_done, _("Mark access needs as not arranged yet"),
                      done=False)


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "status", "position", "role", "access_needs", "attended",
                    "created_at", language_column]
    list_filter = ["summit", "status", "role", AccessNeedsFilter, AttendedFilter, "heard_about",
                   LanguageListFilter]
    search_fields = ["name", "email", "organization", "area_or_zip"]
    date_hierarchy = "created_at"
    list_select_related = ["summit"]
    actions = [export_csv, promote_selected, mark_attended, unmark_attended, mark_done, mark_not_done]
    readonly_fields = ["summit", "status", "created_at", "updated_at", "queued_at", "promoted_at",
                       "cancelled_at", "reminded_at", "attended_at", "access_needs_done_at", "language",
                       "consent"]
    fieldsets = [
        (_("Status"), {"fields": ["summit", "status", "created_at", "updated_at", "queued_at",
                                  "promoted_at", "cancelled_at", "reminded_at", "attended_at"]}),
        (_("The person (private)"), {"fields": ["name", "email", "organization", "area_or_zip", "role",
                                                "language", "consent"]}),
        (_("Access needs"), {"fields": ["needs_asl", "needs_captions", "needs_interpretation",
                                        "interpretation_language", "access_needs_other",
                                        "access_needs_done_at"]}),
        (_("How they heard"), {"fields": ["heard_about", "heard_about_other"]}),
    ]
    change_list_template = "admin/summit/registration/change_list.html"

    def has_add_permission(self, request):
        return False  # people register through the form, so capacity and emails stay right

    @admin.display(description=_("waitlist #"))
    def position(self, obj):
        return obj.waitlist_position() or ""

    @admin.display(description=_("access needs"))
    def access_needs(self, obj):
        summary = obj.access_needs_summary()
        if summary and obj.access_needs_done_at:
            return f"{summary} ✓"
        return summary

    @admin.display(description=_("checked in"), boolean=True, ordering="attended_at")
    def attended(self, obj):
        return obj.attended_at is not None

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            counts = changelist.queryset.aggregate(
                total=Count("pk"),
                confirmed=Count("pk", filter=Q(status="confirmed")),
                waitlisted=Count("pk", filter=Q(status="waitlisted")),
                cancelled=Count("pk", filter=Q(status="cancelled")),
                attended=Count("pk", filter=Q(attended_at__isnull=False)),
            )
            counts["access_pending"] = changelist.queryset.access_needs_pending().count()
            response.context_data["counts"] = counts
        return response


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Pending access-needs requests first; staff mark each one done once it is arranged."""

    list_display = ["name", "email", "status", "needs", "done"]
    list_filter = ["summit", "status"]
    search_fields = ["name", "email"]
    actions = [mark_done, mark_not_done]
    fields = ["name", "email", "status", "needs_asl", "needs_captions", "needs_interpretation",
              "interpretation_language", "access_needs_other", "access_needs_done_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).active().with_access_needs().order_by(
            F("access_needs_done_at").asc(nulls_first=True), "created_at"
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("access needs"))
    def needs(self, obj):
        return obj.access_needs_summary()

    @admin.display(description=_("arranged"), boolean=True, ordering="access_needs_done_at")
    def done(self, obj):
        return obj.access_needs_done_at is not None


@admin.register(Reflection)
class ReflectionAdmin(ModerationAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "shown_name", "theme", "status", "participant", "submitted_at",
                    language_column]
    list_filter = ["status", "theme", "summit", LanguageListFilter]
    search_fields = ["text", "display_name", "email"]
    date_hierarchy = "submitted_at"
    actions = [approve_action(moderation.approve), reject_action(moderation.reject)]
    readonly_fields = ["status", "rejection_reason", "rejection_note", "moderated_by", "moderated_at",
                       "submitted_at", "language", "summit", "theme", "summit_prompt"]
    fields = ["text", "display_name", "email", *readonly_fields]

    ordering = PENDING_FIRST

    def get_queryset(self, request):
        return super().get_queryset(request).with_participant_flag()

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("summit participant"), boolean=True)
    def participant(self, obj):
        return obj.is_participant
