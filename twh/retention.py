"""Purging personal data across the site: events, messages, summit registrations and reflections.

The events app purges its own rows (events/retention.py); this module adds the summit's and
the email outbox, which events may not import. Everything runs in one transaction.

Registrations keep what the statistics need (summit, status, role, the kinds of access need,
how they heard, the dates); the person's name, email, organization, area or ZIP, and their free
text go. The email is unique per summit, so it becomes a per-row placeholder on the reserved
`.invalid` domain, which can reach no one. A registration's private link stops working.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from events.retention import cutoff, purge_events, purge_messages, purge_reports

PURGED_EMAIL_DOMAIN = "purged.invalid"
# Free-text access needs are replaced, not emptied, so the request still counts as one.
PURGED_TEXT = "[removed]"


def _summit_models():
    # Importing an uninstalled app's models raises RuntimeError, not ImportError: ask the registry.
    if not apps.is_installed("summit"):  # a site without the summit app
        return None, None
    from summit.models import Reflection, Registration

    return Registration, Reflection


def purge_registrations(*, before: date, dry_run: bool = False) -> dict:
    """Registrations made before `before` for a summit that ended before it."""
    Registration, _ = _summit_models()
    if Registration is None:
        return {}
    moment = cutoff(before)
    old = Registration.objects.filter(created_at__lt=moment, summit__ends_at__lt=moment).exclude(
        email__endswith="@" + PURGED_EMAIL_DOMAIN
    )
    count = old.count()
    if not dry_run and count:
        pks = list(old.values_list("pk", flat=True))
        Registration.objects.filter(pk__in=pks).update(
            name="", organization="", area_or_zip="", interpretation_language="", heard_about_other="",
            email=Concat(Value("purged-"), Cast("pk", CharField()), Value("@" + PURGED_EMAIL_DOMAIN),
                         output_field=CharField()),
            manage_key=uuid.uuid4(),  # a new key: the old signed private links stop working
        )
        Registration.objects.filter(pk__in=pks).exclude(access_needs_other="").update(
            access_needs_other=PURGED_TEXT
        )
    return {"registrations": count}


def purge_reflections(*, before: date, dry_run: bool = False) -> dict:
    _, Reflection = _summit_models()
    if Reflection is None:
        return {}
    old = Reflection.objects.filter(submitted_at__lt=cutoff(before)).exclude(email="")
    count = old.count()
    if not dry_run:
        old.update(email="")
    return {"reflections": count}


def purge_outbox(*, before: date, dry_run: bool = False) -> dict:
    """Stored emails (their addresses and bodies) written before `before`."""
    from twh.models import OutboxEmail

    old = OutboxEmail.objects.filter(created_at__lt=cutoff(before))
    count = old.count()
    if not dry_run:
        old.delete()
    return {"stored emails": count}


@transaction.atomic
def purge_personal_data(*, before: date, dry_run: bool = False) -> dict:
    """Remove contact details from everything older than `before`; returns {what: count}."""
    counts: dict = {}
    for purge in (purge_events, purge_reports, purge_messages, purge_registrations, purge_reflections, purge_outbox):
        counts.update(purge(before=before, dry_run=dry_run))
    return counts
