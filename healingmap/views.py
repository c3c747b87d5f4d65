"""Healing Map pages and open data: map, list, messages, embed, GeoJSON, CSV and the data dictionary.

Every view binds the one filter form (healingmap/filters.py) and reads events only through
`approved()` / `mappable()`; every outward format comes from healingmap/geojson.py.
"""

import csv

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from events.models import HealingEvent
from events.stats import approved_messages, campaign_totals
from healingmap import geojson
from healingmap.feeds import feed_query
from healingmap.filters import bind, bind_cached
from twh.page_cache import cache_public_page

LIST_PAGE_SIZE = 20
MESSAGES_PAGE_SIZE = 24
GEOJSON_CONTENT_TYPE = "application/geo+json"


def _map_context(request, form) -> dict:
    query = form.normalized_query()
    context = {
        "form": form,
        "query": query,
        "kinds": HealingEvent.Kind,
        "labels": _labels(),
        "geojson_url": reverse("healingmap:geojson") + (f"?{query}" if query else ""),
        "csv_url": reverse("healingmap:csv") + (f"?{query}" if query else ""),
        "list_url": reverse("healingmap:list") + (f"?{query}" if query else ""),
        "map_url": reverse("healingmap:map") + (f"?{query}" if query else ""),
        "feed_query": feed_query(form),
        "totals": campaign_totals(form.filter(HealingEvent.objects.approved())) if form.is_valid() else None,
    }
    return context


def _labels() -> dict:
    """Display labels the map script needs (translated), passed with json_script."""
    return {
        "kinds": {value: str(label) for value, label in HealingEvent.Kind.choices},
        "formats": {value: str(label) for value, label in HealingEvent.Format.choices},
        "timeZone": settings.TIME_ZONE,
        "urls": {
            "listBase": reverse("healingmap:list"),
            "geojsonBase": reverse("healingmap:geojson"),
            "csvBase": reverse("healingmap:csv"),
            "embedBase": reverse("healingmap:embed"),
        },
        # %(n)s and %(name)s are filled in by the script.
        "text": {
            "hostedBy": gettext("Hosted by %(name)s, %(area)s"),
            "virtualHost": gettext("Virtual event: mapped at the host's location."),
            "virtualIdeal": gettext("Virtual event: mapped where it would ideally be held in person."),
            "participantsOne": gettext("About %(n)s participant"),
            "participantsMany": gettext("About %(n)s participants"),
            "openEvent": gettext("Open the event page"),
            "groupOne": gettext("%(n)s event hosted by a resident in %(area)s"),
            "groupMany": gettext("%(n)s events hosted by residents in %(area)s"),
            "seeList": gettext("See them in the list"),
            "clusterOne": gettext("%(n)s event"),
            "clusterMany": gettext("%(n)s events"),
            "countOne": gettext("%(n)s event on the map."),
            "countMany": gettext("%(n)s events on the map."),
            "none": gettext("No events match these filters."),
            "loading": gettext("Loading events…"),
            "failed": gettext("The events could not be loaded. The list of events still works."),
        },
    }


@require_safe
def map_page(request):
    form = bind(request)
    status = 200 if form.is_valid() else 400
    return render(request, "healingmap/map.html", _map_context(request, form), status=status)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.MAP_EMBED_FRAME_ANCESTORS})
def embed(request):
    """The map with minimal chrome, for partners' sites: the only page that may be framed."""
    form = bind(request)
    status = 200 if form.is_valid() else 400
    return render(request, "healingmap/embed.html", _map_context(request, form), status=status)


@require_safe
@cache_public_page
def event_list(request):
    """The accessible equivalent of the map: server-rendered, paginated, sortable by date."""
    form = bind(request)
    context = _map_context(request, form)
    if not form.is_valid():
        return render(request, "healingmap/list.html", context, status=400)
    events = (
        form.filter(HealingEvent.objects.approved())
        .select_related("community_area").order_by(*form.ordering())
    )
    page = Paginator(events, LIST_PAGE_SIZE).get_page(form.cleaned_data.get("page"))
    context.update({
        "page": page,
        "sort": form.sort_key(),
        "other_sort": "-date" if form.sort_key() == "date" else "date",
    })
    return render(request, "healingmap/list.html", context)


@require_safe
def messages_wall(request):
    form = bind(request)
    if "page" in form.errors:
        return render(request, "healingmap/messages.html", {"page": None, "bad_page": True}, status=400)
    page = Paginator(approved_messages(), MESSAGES_PAGE_SIZE).get_page(form.cleaned_data.get("page"))
    return render(request, "healingmap/messages.html", {"page": page})


@require_safe
def data_dictionary(request):
    columns = [(name, geojson.COLUMN_DESCRIPTIONS[name]) for name in geojson.CSV_COLUMNS]
    return render(request, "healingmap/data.html", {
        "columns": columns,
        "k": settings.MAP_SMALL_COUNT_K,
        "kinds": HealingEvent.Kind.choices,
        "formats": HealingEvent.Format.choices,
    })


def _bad_request(form) -> JsonResponse:
    return JsonResponse(form.error_dict(), status=400)


def _not_modified(request, document) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or document.etag.removeprefix("W/") in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    modified = parse_http_date_safe(document.last_modified or "")
    return since is not None and modified is not None and modified <= since


@require_safe
def events_geojson(request):
    form = bind_cached(request)
    if not form.is_valid():
        return _bad_request(form)
    document = geojson.geojson_document(form)
    if _not_modified(request, document):
        response = HttpResponseNotModified()
    else:
        # The gzipped bytes are cached with the document, so a warm request never compresses.
        wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
        response = HttpResponse(document.gzipped if wants_gzip else document.body,
                                content_type=GEOJSON_CONTENT_TYPE)
        if wants_gzip:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = document.etag
    if document.last_modified:
        response["Last-Modified"] = document.last_modified
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Access-Control-Allow-Origin"] = "*"  # open data: partners may fetch it
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


class _Echo:
    def write(self, value):
        return value


@require_safe
@gzip_page
def events_csv(request):
    form = bind(request)
    if not form.is_valid():
        return _bad_request(form)
    writer = csv.writer(_Echo())
    lines = [writer.writerow(geojson.CSV_COLUMNS)]
    for row in geojson.csv_rows(form, absolute_url=request.build_absolute_uri):
        lines.append(writer.writerow([geojson.safe_csv_cell(cell) for cell in row]))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="healing-events.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
