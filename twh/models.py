"""Site-wide data: the email outbox every app writes to, the public-data version, and the anchors."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twh.core.editions import Edition  # the floor's model, registered with this app


class OutboxEmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def due(self):
        """Unsent, not being sent by a worker, past its backoff, and not given up on."""
        now = timezone.now()
        return self.unsent().filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now),
            models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now),
            attempts__lt=settings.EMAIL_MAX_ATTEMPTS,
        )


class OutboxEmail(models.Model):
    """An email written in the same transaction as what caused it, and sent by the task worker.

    A failed send stays here and is retried with backoff (a deferred task, and
    `manage.py send_pending_emails` from cron), so a mail server that is down never loses a
    message; a worker claims a row before sending, and a row that has `sent_at` is never sent again.
    """

    to = models.JSONField(_("recipients"), help_text=_("A list of addresses."))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    html_body = models.TextField(
        _("HTML body"), blank=True,
        help_text=_("The same email as HTML, sent beside the text; empty for text only."),
    )
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True,
        help_text=_("A list of [filename, text content, MIME type]."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"), null=True, blank=True, db_index=True,
        help_text=_("After a failure: when it is tried again. Empty and unsent after the last attempt: given up."),
    )
    claimed_until = models.DateTimeField(
        _("being sent until"), null=True, blank=True,
        help_text=_("A worker is sending it; another may try after this time."),
    )

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class AnchorQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)


class Anchor(models.Model):
    """An organization that leads the campaign with the Office, shown on the about page."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(
        _("short description"), max_length=500, blank=True,
        help_text=_("One or two sentences about the organization and its part in the campaign."),
    )
    url = models.URLField(_("website"), blank=True, max_length=300)
    logo = models.FileField(
        _("logo"), upload_to="anchors/", blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp", "gif"])],
        help_text=_("A PNG, JPEG, WebP or GIF image, ideally at least 240 pixels wide."),
    )
    logo_alt = models.CharField(
        _("logo text alternative"), max_length=200, blank=True,
        help_text=_("What the logo says or shows, for people who cannot see it; usually the organization's name."),
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Smaller numbers come first."))
    is_listed = models.BooleanField(_("listed on the about page"), default=True)

    objects = AnchorQuerySet.as_manager()

    class Meta:
        verbose_name = _("anchor organization")
        verbose_name_plural = _("anchor organizations")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(logo="") | ~models.Q(logo_alt=""), name="anchor_logo_has_alt_text",
                violation_error_message=_("A logo needs its text alternative."),
            ),
        ]

    def __str__(self):
        return self.name
class PublicDataVersion(models.Model):
    """One row whose number changes in the same transaction as anything the public can see.

    Every app server reads it from the database (one indexed row per request that serves
    cached public data), so caches keyed on it are right with any number of processes and
    machines, with or without a shared cache: a rejected event leaves every worker's next answer.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.BigIntegerField(_("version"), default=0)
    removal_floor = models.BigIntegerField(
        _("removal floor"), default=0,
        help_text=_("The version just before the last change that took something down: documents "
                    "built at or before it are never served again."),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("public-data version")
        verbose_name_plural = _("public-data version")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="twh_public_version_single_row")]

    def __str__(self):
        return str(self.version)

__all__ = ["Anchor", "Edition", "OutboxEmail", "PublicDataVersion"]
