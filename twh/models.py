"""Site-wide data: the email outbox every app writes to, and the campaign's anchor organizations."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class OutboxEmail(models.Model):
    """An email written in the same transaction as what caused it, and sent after commit.

    A failed send stays here and `manage.py send_pending_emails` retries it, so a mail server
    that is down never loses a message, and a row that has `sent_at` is never sent again.
    """

    to = models.JSONField(_("recipients"), help_text=_("A list of addresses."))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True,
        help_text=_("A list of [filename, text content, MIME type]."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)

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
