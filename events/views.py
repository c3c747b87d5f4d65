"""Public views of the events app: share an event or a message, thank-you pages, the private
manage page and the public page of an approved event."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from events import calendar, reports, services
from events.forms import EventForm, MessageForm, ReportForm
from events.location import AddressOutsideCity
from events.models import EventReport, HealingEvent, HealingMessage
from events.privacy import map_point
from events.tokens import MANAGE_LINK
from twh.core.antispam import rate_limited_page
from twh.core.campaign import submissions_open
from twh.core.editions import EditionClosed
from twh.core.moderation import Status


def _closed(request, edition=None):
    """Sharing is not open (the current edition's window), or this edition is closed for good."""
    return render(request, "events/closed.html", {"closed_edition": edition}, status=403)


@sensitive_post_parameters("contact_name", "contact_email", "contact_phone", "address")
def submit(request):
    if not submissions_open():
        return _closed(request)
    if request.method == "POST":
        form = EventForm(request.POST)
        if limited := rate_limited_page(request, group="events.submit", template="events/submit.html",
                                        context={"form": form}):
            return limited
        if form.is_valid():
            try:
                event, _created = services.submit_event(
                    data=form.cleaned_data, submission_token=form.submission_token,
                    language=get_language(),
                )
            except AddressOutsideCity as problem:
                form.add_error("address", problem)
            else:
                return redirect("events:thanks", token=event.submission_token)
    else:
        # The host toolkit's "Share your event" links here with ?kind=...
        kind = request.GET.get("kind")
        form = EventForm(initial={"kind": kind} if kind in HealingEvent.Kind.values else None)
    return render(request, "events/submit.html", {"form": form})


def thanks(request, token):
    event = get_object_or_404(HealingEvent, submission_token=token)
    return render(request, "events/thanks.html", {"event": event})


@sensitive_post_parameters("email")
def new_message(request):
    if not submissions_open():
        return _closed(request)
    if request.method == "POST":
        form = MessageForm(request.POST)
        if limited := rate_limited_page(request, group="events.message",
                                        template="events/new_message.html", context={"form": form}):
            return limited
        if form.is_valid():
            message, _created = services.submit_message(
                data=form.cleaned_data, submission_token=form.submission_token, language=get_language()
            )
            return redirect("events:message_thanks", token=message.submission_token)
    else:
        form = MessageForm()
    return render(request, "events/new_message.html", {"form": form})


def message_thanks(request, token):
    message = get_object_or_404(HealingMessage, submission_token=token)
    return render(request, "events/message_thanks.html", {"message": message})


def _event_from_manage_token(token: str) -> HealingEvent | None:
    return MANAGE_LINK.find(token, HealingEvent.objects.select_related("community_area"))


def _invalid_link(request):
    return render(request, "events/link_invalid.html", status=404)


@sensitive_post_parameters("contact_name", "contact_email", "contact_phone", "address")
def manage(request, token):
    """The submitter's private page: view, edit while pending, withdraw."""
    event = _event_from_manage_token(token)
    if event is None:
        return _invalid_link(request)
    form = None
    if event.status == Status.PENDING and not event.edition.is_closed:
        if request.method == "POST":
            form = EventForm(request.POST, instance=event)
            if form.is_valid():
                try:
                    services.update_pending_event(event=event, data=form.cleaned_data)
                except AddressOutsideCity as problem:
                    form.add_error("address", problem)
                else:
                    return redirect(request.path + "?saved=1")
        else:
            form = EventForm(instance=event)
    return render(request, "events/manage.html", {
        "event": event, "form": form, "token": token, "saved": request.GET.get("saved") == "1",
        "reporting": reports.reporting_for_host(event),
    })


@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """GET asks for confirmation (a page, so it works without JavaScript); POST withdraws."""
    event = _event_from_manage_token(token)
    if event is None:
        return _invalid_link(request)
    if request.method == "GET":
        return render(request, "events/withdraw.html", {"event": event, "token": token})
    services.withdraw_event(event=event)
    return redirect("events:manage", token=token)


def report(request, token):
    """The host's private page to report back after the event (from the emailed link)."""
    event = reports.event_from_report_token(token)
    if event is None:
        return _invalid_link(request)
    existing = EventReport.objects.filter(event=event).first()
    if existing is not None:
        return render(request, "events/report_received.html", {"event": event, "report": existing})
    if event.edition.is_closed:
        return _closed(request, event.edition)
    question = reports.question_for(event.kind)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, question=question)
        if limited := rate_limited_page(request, group="events.report", template="events/report.html",
                                        context={"form": form, "event": event}):
            return limited
        if form.is_valid():
            try:
                reports.submit_report(event=event, data=form.cleaned_data, photo=form.clean_photo_file)
            except EditionClosed:  # closed between the page and the post
                return _closed(request, event.edition)
            return redirect("events:report", token=token)
    else:
        form = ReportForm(question=question)
    return render(request, "events/report.html", {"form": form, "event": event})


def ics(request, pk):
    """One approved event as a calendar file."""
    event = get_object_or_404(HealingEvent.objects.approved().select_related("community_area"), pk=pk)
    response = HttpResponse(calendar.build_ics([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="healing-event-{event.pk}.ics"'
    return response


def detail(request, pk):
    """The public page of an approved event (404 otherwise), with its public point on a small map."""
    event = get_object_or_404(HealingEvent.objects.approved().select_related("community_area"), pk=pk)
    public_report = EventReport.objects.approved().filter(event=event).first()
    point = map_point(event)
    return render(request, "events/detail.html", {
        "event": event, "is_upcoming": event.starts_at >= timezone.now(),
        "map_point": point, "area_level": bool(point and point.area_level),
        "report": public_report,
        "google_url": calendar.google_calendar_url(event), "outlook_url": calendar.outlook_calendar_url(event),
    })
