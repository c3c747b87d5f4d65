"""Site-wide pages: home, about, privacy, accessibility, the health check, and what browsers and
search engines ask for at the root (favicon.ico, robots.txt)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from events.models import HealingEvent
from events.stats import home_figures
from twh.page_cache import cache_public_page


@cache_public_page
def home(request):
    return render(request, "twh/home.html", {**home_figures(), "kinds": HealingEvent.Kind})


def about(request):
    return render(request, "twh/about.html")


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


# Private pages: the submitter's and the registrant's links, and the thank-you pages that name a
# submission. A search engine never needs them (their pages also say noindex).
PRIVATE_PREFIXES = [
    "/admin/", "/events/manage/", "/events/submit/thanks/", "/events/messages/thanks/",
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
