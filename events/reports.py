"""After the event: ask the host to report back (once), take the report, and moderate it.

`request_due_reports` is what the hourly `manage.py request_event_reports` runs: each event
is marked under a row lock in the same transaction that stores its email, so two overlapping
runs (or a retry) never ask a host twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from events.models import EventReport, HealingEvent, ReportQuestion
from twh.core.editions import EditionClosed
from twh.core.links import SignedLink
from twh.core.moderation import Status, decide
from twh.core.outbox import queue_email
from twh.core.publication import public_data_changed

SALT = "events.report-link"

# The defaults a migration puts in the ReportQuestion table (gettext_noop: extracted for
# translation here, translated when shown).
DEFAULT_QUESTIONS = {
    HealingEvent.Kind.DIALOGUE: (gettext_noop("What was heard?"),
                                 gettext_noop("A view, a story or a worry that people shared.")),
    HealingEvent.Kind.LEARNING: (gettext_noop("What was learned?"),
                                 gettext_noop("Something people did not know before.")),
    HealingEvent.Kind.COLLABORATION: (gettext_noop("What was done together?"),
                                      gettext_noop("What the group made, fixed or built.")),
    HealingEvent.Kind.CONNECTIONS: (gettext_noop("What connections were made?"),
                                    gettext_noop("Who met whom, and what they will do next.")),
}


def raw_question(kind: str) -> tuple[str, str]:
    """(question, help text) for an activity kind as stored (English defaults untranslated)."""
    row = ReportQuestion.objects.filter(kind=kind).first()
    return (row.question, row.help_text) if row else DEFAULT_QUESTIONS.get(kind, ("", ""))


def question_for(kind: str) -> tuple[str, str]:
    """(question, help text) in the current language where it is still a default."""
    question, help_text = raw_question(kind)
    return gettext(question) if question else "", gettext(help_text) if help_text else ""


# --- The private link


def _requested(event: HealingEvent) -> str:
    # The link's secret is when it was asked for: asking again (a new link) retires the old one.
    return event.report_requested_at.isoformat() if event.report_requested_at else ""


REPORT_LINK = SignedLink(salt=SALT, id_key="event", secret_key="requested", secret=_requested,
                         max_age_days_setting="REPORT_LINK_MAX_AGE_DAYS", url_name="events:report")
make_report_token = REPORT_LINK.make
report_url = REPORT_LINK.url


def event_from_report_token(token: str) -> HealingEvent | None:
    """The approved event a report link is for; None when forged, expired or no longer valid."""
    return REPORT_LINK.find(token, HealingEvent.objects.approved().filter(report_requested_at__isnull=False))


# --- Asking


def events_due_for_report(now=None):
    """Approved events that are over, recent enough to ask about, and not asked yet."""
    now = now or timezone.now()
    oldest = now - timedelta(days=settings.REPORT_REQUEST_MAX_AGE_DAYS)
    return (
        HealingEvent.objects.approved().over(now).filter(report_requested_at__isnull=True, starts_at__gte=oldest)
        .exclude(contact_email="").filter(report__isnull=True)
    )


@transaction.atomic
def request_report(*, event: HealingEvent, now=None) -> bool:
    """Email the host their report link, once; False when it was asked already or is not due."""
    now = now or timezone.now()
    event = HealingEvent.objects.select_for_update().filter(pk=event.pk).first()
    if event is None or not events_due_for_report(now).filter(pk=event.pk).exists():
        return False
    event.report_requested_at = now
    event.save(update_fields=["report_requested_at"])
    queue_email(
        to=[event.contact_email], template="events/email/report_request",
        context={"event": event, "report_url": report_url(event),
                 "question": raw_question(event.kind)[0]},
        language=event.language,
    )
    return True


def request_due_reports(*, now=None, limit: int = 500) -> int:
    """Ask every due host (each in its own transaction); returns how many were asked now."""
    now = now or timezone.now()
    pks = list(events_due_for_report(now).order_by("starts_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(request_report(event=HealingEvent(pk=pk), now=now) for pk in pks)


def reporting_for_host(event: HealingEvent, now=None) -> dict | None:
    """What the host's private page says about reporting back, or None when it has nothing to say.

    {"state": "received", "report": …}, {"state": "open", "url": the report form},
    {"state": "soon"} (over, the link is emailed with the next hourly run) or
    {"state": "later", "opens_at": when it becomes possible (the end, or the start)}.
    """
    if event.status != Status.APPROVED:
        return None
    now = now or timezone.now()
    report = EventReport.objects.filter(event=event).first()
    if report is not None:
        return {"state": "received", "report": report}
    if event.report_requested_at is not None:
        return {"state": "open", "url": reverse("events:report", args=[make_report_token(event)])}
    if not HealingEvent.objects.filter(pk=event.pk).over(now).exists():
        return {"state": "later", "opens_at": event.ends_at or event.starts_at}
    if events_due_for_report(now).filter(pk=event.pk).exists():
        return {"state": "soon"}
    return None


# --- Reporting

REPORT_FIELDS = ("participants", "what_happened", "answer", "commitment", "missing_stakeholders",
                 "photo_alt", "quote", "quote_consent")


@transaction.atomic
def submit_report(
    *, event: HealingEvent, data: dict, photo=None, source: str = EventReport.Source.HOST,
    entered_by=None, source_note: str = "",
) -> tuple[EventReport, bool]:
    """Store the report on an event as pending; (report, created). One report per event.

    A report belongs to its event's edition; a host's raises EditionClosed once staff closed it."""
    event = HealingEvent.objects.select_for_update().select_related("edition").get(pk=event.pk)
    existing = EventReport.objects.filter(event=event).first()
    if existing is not None:
        return existing, False
    if event.edition.is_closed and source == EventReport.Source.HOST:  # staff may still fill the archive in
        raise EditionClosed(event.edition.slug)
    report = EventReport(
        event=event, edition=event.edition, **{name: data[name] for name in REPORT_FIELDS if name in data},
        question=question_for(event.kind)[0], source=source, entered_by=entered_by,
        source_note=source_note, language=event.language, status=Status.PENDING,
    )
    if not report.quote:
        report.quote_consent = False
    if photo is not None:
        report.photo.save(photo.name, photo, save=False)
    else:
        report.photo_alt = ""
    report.save()
    if settings.STAFF_NOTIFICATION_EMAILS:
        queue_email(to=settings.STAFF_NOTIFICATION_EMAILS, template="events/email/staff_new_report",
                    context={"report": report, "event": event}, language=settings.LANGUAGE_CODE)
    return report, True


# --- Moderation: the report (figures and words), and its photo and quote separately


def _decide(report: EventReport, field: str, status: str, moderator, *, reason="", note="") -> bool:
    _report, changed = decide(report, moderator=moderator, status=status, reason=reason, note=note,
                              field=field)
    if changed:
        public_data_changed()
    return changed


@transaction.atomic
def approve_report(report: EventReport, *, moderator) -> bool:
    return _decide(report, "status", Status.APPROVED, moderator)


@transaction.atomic
def reject_report(report: EventReport, *, moderator, reason: str, note: str = "") -> bool:
    return _decide(report, "status", Status.REJECTED, moderator, reason=reason, note=note)


@transaction.atomic
def decide_photo(report: EventReport, *, moderator, approve: bool) -> bool:
    report = EventReport.objects.select_for_update().get(pk=report.pk)
    if not report.photo:
        return False
    return _decide(report, "photo_status", Status.APPROVED if approve else Status.REJECTED, moderator)


@transaction.atomic
def decide_quote(report: EventReport, *, moderator, approve: bool) -> bool:
    report = EventReport.objects.select_for_update().get(pk=report.pk)
    if not report.quote:
        return False
    return _decide(report, "quote_status", Status.APPROVED if approve else Status.REJECTED, moderator)
