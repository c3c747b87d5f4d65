"""Summit pages: the summit, registration and its private page, the calendar, reflections."""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from summit import reflections, services
from summit.calendar import build_ics, empty_ics, google_calendar_url, outlook_calendar_url
from summit.forms import ReflectionForm, RegistrationForm, prompt_choices
from summit.models import Reflection, Registration, Summit, SummitPrompt
from summit.tokens import REGISTRATION_LINK
from twh.core.antispam import rate_limited_page

REFLECTIONS_PER_PAGE = 12


def _summit_context(summit: Summit) -> dict:
    return {
        "summit": summit,
        "agenda": summit.agenda_items.all(),
        "state": summit.registration_state(),
        "places_left": summit.places_left(),
        "is_past": summit.is_past(),
        "google_url": google_calendar_url(summit),
        "outlook_url": outlook_calendar_url(summit),
    }


def index(request):
    summit = Summit.objects.current().first()
    past = Summit.objects.filter(is_current=False, ends_at__lt=timezone.now())
    context = {"past_summits": past}
    if summit is not None:
        context |= _summit_context(summit)
    return render(request, "summit/index.html", context)


def detail(request, pk):
    summit = get_object_or_404(Summit, pk=pk)
    if summit.is_current:
        return redirect("summit:index")
    return render(request, "summit/detail.html", _summit_context(summit))


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def calendar(request, pk=None):
    """The public listing: everything but the meeting link."""
    summit = get_object_or_404(Summit, pk=pk) if pk else Summit.objects.current().first()
    return _ics_response(build_ics(summit) if summit else empty_ics(), "summit.ics")


def _closed(request, summit):
    """Registration is not open: a page that says why (a refused POST answers 403)."""
    return render(request, "summit/closed.html",
                  {"summit": summit, "state": summit.registration_state() if summit else None},
                  status=403 if request.method == "POST" else 200)


@sensitive_post_parameters("name", "email", "organization", "area_or_zip")
def register(request):
    summit = Summit.objects.current().first()
    if summit is None or summit.registration_state() != "open":
        return _closed(request, summit)
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if limited := rate_limited_page(request, group="summit.register", template="summit/register.html",
                                        context={"form": form, "summit": summit}):
            return limited
        if form.is_valid():
            try:
                services.register_attendee(
                    summit=summit, data=form.cleaned_data, submission_token=form.submission_token,
                    language=get_language(),
                )
            except services.RegistrationClosed:
                return _closed(request, summit)
            # The same page whether the email was new or registered already (or the form was
            # sent twice), so the form never reveals who is registered: the email tells the rest.
            return redirect("summit:registered", token=form.submission_token)
    else:
        form = RegistrationForm()
    return render(request, "summit/register.html",
                  {"form": form, "summit": summit, "places_left": summit.places_left()})


def registered(request, token=None):
    """After any sign-up: check your email. It says nothing about who is registered."""
    return render(request, "summit/registered.html", {
        "summit": Summit.objects.current().first(), "resend_minutes": settings.SUMMIT_RESEND_MINUTES,
    })


def already_registered(request):
    """Kept for old links; the same page as every other sign-up."""
    return registered(request)


def _registration_from_token(token: str) -> Registration | None:
    return REGISTRATION_LINK.find(token, Registration.objects.select_related("summit"))


def _invalid_link(request):
    return render(request, "summit/link_invalid.html", status=404)


def registration(request, token):
    """The registrant's private page: their status, the meeting link near the start, cancel."""
    signup = _registration_from_token(token)
    if signup is None:
        return _invalid_link(request)
    summit = signup.summit
    confirmed = signup.status == Registration.Status.CONFIRMED
    meeting_url = summit.meeting_url if confirmed else ""
    return render(request, "summit/registration.html", {
        "registration": signup, "summit": summit, "token": token,
        "position": signup.waitlist_position(),
        "show_meeting_link": confirmed and summit.meeting_link_visible(),
        "google_url": google_calendar_url(summit, meeting_url=meeting_url),
        "outlook_url": outlook_calendar_url(summit, meeting_url=meeting_url),
        "cancelled_now": request.GET.get("cancelled") == "1",
        "can_cancel": services.can_cancel(signup),
    })


def registration_calendar(request, token):
    """The registrant's own invitation: with the meeting link once they are confirmed."""
    signup = _registration_from_token(token)
    if signup is None:
        return _invalid_link(request)
    return _ics_response(build_ics(signup.summit, registration=signup), "summit.ics")


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    """GET asks for confirmation (a page, so it works without JavaScript); POST cancels."""
    signup = _registration_from_token(token)
    if signup is None:
        return _invalid_link(request)
    if request.method == "GET":
        return render(request, "summit/cancel.html",
                      {"registration": signup, "summit": signup.summit, "token": token})
    try:
        services.cancel_registration(registration=signup)
    except services.CancellationClosed:
        # The summit is over: the private page shows the registration as it stays.
        return redirect("summit:registration", token=token)
    return redirect(reverse("summit:registration", args=[token]) + "?cancelled=1")


def reflection_list(request):
    summit = Summit.objects.current().first()
    queryset = Reflection.objects.approved().with_participant_flag().select_related("summit_prompt")
    choices = prompt_choices(summit)
    prompt = request.GET.get("prompt", "")
    if prompt:
        if not (prompt in ("progress", "forward") or (prompt.isdigit() and len(prompt) <= 9)):
            return HttpResponseBadRequest("Unknown prompt.")
        if prompt not in dict(choices):  # a past summit's own prompt
            earlier = get_object_or_404(SummitPrompt, pk=int(prompt))
            choices.append((prompt, earlier.text))
        queryset = queryset.for_prompt(prompt)
    page_number = request.GET.get("page", "1")
    if not (page_number.isdigit() and len(page_number) <= 6):
        return HttpResponseBadRequest("The page must be a number.")
    try:
        page = Paginator(queryset, REFLECTIONS_PER_PAGE).page(int(page_number))
    except EmptyPage:
        raise Http404("No such page.") from None
    return render(request, "summit/reflection_list.html", {
        "page": page, "prompt": prompt, "prompt_choices": choices, "summit": summit,
    })


@sensitive_post_parameters("email")
def new_reflection(request):
    summit = Summit.objects.current().first()
    if summit is not None and summit.edition.is_closed:
        return render(request, "summit/closed.html", {"summit": summit, "closed_edition": summit.edition},
                      status=403)
    if request.method == "POST":
        form = ReflectionForm(request.POST, summit=summit)
        if limited := rate_limited_page(request, group="summit.reflection",
                                        template="summit/new_reflection.html", context={"form": form}):
            return limited
        if form.is_valid():
            reflection, _created = reflections.submit_reflection(
                data=form.cleaned_data, summit=summit, submission_token=form.submission_token,
                language=get_language(),
            )
            return redirect("summit:reflection_thanks", token=reflection.submission_token)
    else:
        form = ReflectionForm(summit=summit)
    return render(request, "summit/new_reflection.html", {"form": form})


def reflection_thanks(request, token):
    reflection = get_object_or_404(Reflection, submission_token=token)
    return render(request, "summit/reflection_thanks.html", {"reflection": reflection})
