"""Site-wide pages: home, about, FAQ, the host toolkit, contact, privacy, accessibility, the
health check, and what browsers and search engines ask for at the root (favicon.ico, robots.txt)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from events.models import HealingEvent
from events.stats import home_figures
from twh import contact as contact_service
from twh.core.antispam import rate_limited_page
from twh.core.logs import current_request_id
from twh.core.page_cache import cache_public_page
from twh.forms import ContactForm

# The toolkit's pages, one per activity kind, by URL slug.
TOOLKIT_KINDS = {
    "dialogue": HealingEvent.Kind.DIALOGUE,
    "collaboration": HealingEvent.Kind.COLLABORATION,
    "learning": HealingEvent.Kind.LEARNING,
    "connections": HealingEvent.Kind.CONNECTIONS,
}


@cache_public_page
def home(request):
    return render(request, "twh/home.html", {**home_figures(), "kinds": HealingEvent.Kind})


def about(request):
    from twh.models import Anchor

    return render(request, "twh/about.html", {
        "anchors": Anchor.objects.listed(),
        "partners": HealingEvent.objects.listed_partners(),
    })


def faq(request):
    return render(request, "twh/faq.html")


def host(request):
    """The host toolkit's front page: the four kinds of activity, and what every host needs."""
    return render(request, "twh/host.html", {"kinds": [
        (slug, HealingEvent.Kind(kind)) for slug, kind in TOOLKIT_KINDS.items()
    ]})


def host_kind(request, kind):
    if kind not in TOOLKIT_KINDS:
        raise Http404
    return render(request, "twh/host_kind.html", {
        "slug": kind, "kind": HealingEvent.Kind(TOOLKIT_KINDS[kind]),
        "content_template": f"twh/host/_{kind}.html",
        "other_kinds": [(slug, HealingEvent.Kind(k)) for slug, k in TOOLKIT_KINDS.items() if slug != kind],
    })


@sensitive_post_parameters("name", "email", "message")
def contact(request):
    """A private message to the Office: sent to staff by email, never published."""
    if request.method == "POST":
        form = ContactForm(request.POST)
        if limited := rate_limited_page(request, group="twh.contact", template="twh/contact.html",
                                        context={"form": form}):
            return limited
        if form.is_valid():
            contact_service.send_contact_message(
                name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                topic=form.topic_label(), message=form.cleaned_data["message"],
                language=get_language(), submission_token=form.submission_token,
            )
            return redirect("contact_sent")
    else:
        form = ContactForm()
    return render(request, "twh/contact.html", {"form": form})


def contact_sent(request):
    return render(request, "twh/contact_sent.html")


def privacy(request):
    return render(request, "twh/privacy.html")


def accessibility(request):
    return render(request, "twh/accessibility.html")


@never_cache
def healthz(request):
    """200 when the database and the cache answer, 503 otherwise; says nothing more."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.set("healthz", "ok", 5)
        healthy = cache.get("healthz") == "ok"
    except Exception:
        healthy = False
    return JsonResponse({"status": "ok" if healthy else "unavailable"}, status=200 if healthy else 503)


def server_error(request):
    """The 500 page, with the request id that finds this error's log lines.

    Rendered without context processors, as Django's own handler does: whatever broke the
    request must not break its error page too.
    """
    request_id = getattr(request, "request_id", None) or current_request_id()
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": request_id}))


# Private pages: the submitter's and the registrant's links, and the thank-you pages that name a
# submission. A search engine never needs them (their pages also say noindex).
PRIVATE_PREFIXES = [
    "/admin/", "/events/manage/", "/events/report/", "/events/submit/thanks/", "/events/messages/thanks/",
    "/summit/registration/", "/summit/register/done/", "/summit/reflections/thanks/",
]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES),
             f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400 * 7, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; answer with the site's icon."""
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404("No favicon.")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
