"""The floor's data: the email outbox every app writes to, and the public-data version.

Both keep the "twh" app label (and so their tables and migrations): twh/models.py re-exports them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        app_label = "twh"
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


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
        app_label = "twh"
        verbose_name = _("public-data version")
        verbose_name_plural = _("public-data version")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="twh_public_version_single_row")]

    def __str__(self):
        return str(self.version)
