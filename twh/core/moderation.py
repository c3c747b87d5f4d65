"""What every moderated submission shares: its status, the decision's fields, read rules and
the one function that records a staff decision.

Events, messages of healing and summit reflections all go through staff review, so they share
these fields, QuerySet methods and `decide`; each app's moderation.py has the same two verbs,
`approve` and `reject`, which call `decide` and then send their own emails.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twh.core.validation import multi_line


class Status(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RejectionReason(models.TextChoices):
    PRIVATE_PERSON = "private_person", _("Identifies a private person")
    NOT_HEALING = "not_healing", _("Not a healing event or message")
    HATEFUL = "hateful", _("Hateful or abusive language")
    COMMERCIAL = "commercial", _("Commercial or promotional")
    DUPLICATE = "duplicate", _("Duplicate of another submission")
    OTHER = "other", _("Other")


class ModeratedQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Status.APPROVED)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def rejected(self):
        return self.filter(status=Status.REJECTED)

    def withdrawn(self):
        return self.filter(status=Status.WITHDRAWN)


class ModeratedModel(models.Model):
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True,
        help_text=_("Only approved submissions are ever shown to the public."),
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True,
        help_text=_("Why staff rejected it; sent to the submitter."),
    )
    rejection_note = models.TextField(
        _("rejection note"), validators=[multi_line], blank=True, max_length=1000,
        help_text=_("Optional words to the submitter, sent with the reason."),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderator"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The staff member who made the last decision."),
    )
    moderated_at = models.DateTimeField(
        _("moderated at"), null=True, blank=True, help_text=_("When the last decision was made.")
    )
    submitted_at = models.DateTimeField(
        _("submitted at"), auto_now_add=True, db_index=True, help_text=_("When it was received.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    language = models.CharField(
        _("language used"), max_length=10, default="en",
        help_text=_("The site language the person used; their emails are written in it."),
    )

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == Status.APPROVED


def decide(obj, *, moderator, status: str, reason: str = "", note: str = "", field: str = "status"):
    """Record a staff decision on anything moderated; returns (the row as locked, changed).

    Call it inside the transaction of the decision: it locks the row, so two moderators deciding
    at once are ordered. `field` is the status decided: the row's own, or a part moderated on
    its own (a report's photo_status, quote_status); a reason and note go with the row's own.
    Nothing changes (and the caller sends no second email) when the decision is the one already
    recorded, or when the person withdrew it: staff cannot publish that. The save writes the
    audit history (django-simple-history names the signed-in moderator).
    """
    whole = field == "status"
    if whole and status == Status.REJECTED and reason not in RejectionReason.values:
        raise ValueError(f"Unknown rejection reason: {reason!r}")
    obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if getattr(obj, field) == status and (not whole or obj.rejection_reason == reason):
        return obj, False
    if obj.status == Status.WITHDRAWN:
        return obj, False
    setattr(obj, field, status)
    if whole:
        obj.rejection_reason = reason
        obj.rejection_note = note
    obj.moderated_by = moderator
    obj.moderated_at = timezone.now()
    obj.save()
    return obj, True
