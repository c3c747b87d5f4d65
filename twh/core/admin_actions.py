"""Admin actions shared by every moderated model: approve, and reject with a reason chosen
on an intermediate page. Each app passes its own write functions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from twh.core.moderation import RejectionReason, Status

# A moderation queue's default ordering: newest pending first, then everything else newest
# first. It is the ModelAdmin's `ordering`, because the change list re-orders whatever
# get_queryset returns by `ordering` (or the model's Meta.ordering).
PENDING_FIRST = [
    Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
    "-submitted_at",
]


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    note = forms.CharField(
        label=_("Words to the submitter (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def approve_action(approve_fn):
    @admin.action(description=_("Approve selected (and email the submitters)"), permissions=["moderate"])
    def approve_selected(modeladmin, request, queryset):
        changed = sum(approve_fn(obj, moderator=request.user) for obj in queryset)
        modeladmin.message_user(
            request,
            ngettext("%(count)d item approved.", "%(count)d items approved.", changed) % {"count": changed},
            messages.SUCCESS,
        )

    return approve_selected


def reject_action(reject_fn):
    @admin.action(description=_("Reject selected with a reason…"), permissions=["moderate"])
    def reject_selected(modeladmin, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = sum(
                reject_fn(obj, moderator=request.user, reason=form.cleaned_data["reason"],
                          note=form.cleaned_data["note"])
                for obj in queryset
            )
            modeladmin.message_user(
                request,
                ngettext("%(count)d item rejected.", "%(count)d items rejected.", changed) % {"count": changed},
                messages.SUCCESS,
            )
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Reject with a reason"),
            "objects": queryset,
            "form": form,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/twh/reject_with_reason.html", context)

    return reject_selected


class ModerationAdminMixin:
    """Gives a ModelAdmin the `moderate` permission check used by the actions above."""

    def has_moderate_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.moderate_{opts.model_name}")
