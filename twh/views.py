"""Site-wide pages: home, about, privacy, accessibility, and the health check."""

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from events.models import HealingEvent
from events.stats import home_figures
from twh.logs import current_request_id
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


def server_error(request):
    """The 500 page, with the request id that finds this error's log lines.

    Rendered without context processors, as Django's own handler does: whatever broke the
    request must not break its error page too.
    """
    request_id = getattr(request, "request_id", None) or current_request_id()
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": request_id}))
