"""Healing Map pages and open data: map, list, messages, embed, GeoJSON, CSV and the data dictionary.

Every view binds the one filter form (healingmap/filters.py) and reads events only through
`approved()` / `mappable()`; every outward format comes from healingmap/geojson.py.
"""


from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from leaflet.templatetags.leaflet_tags import leaflet_map

from events.city import map_view
from events.models import HealingEvent
from events.stats import approved_messages, participant_sentence
from healingmap import documents, geojson
from healingmap.embed import EmbedBuilderForm
from healingmap.feeds import feed_query
from healingmap.filters import bind, bind_cached
from healingmap.phrases import msgids
from twh.core.area_words import area_vars
from twh.core.page_cache import cache_public_page
from twh.core.publication import public_version

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
        "geojson_url": reverse("healingmap:events_geojson") + (f"?{query}" if query else ""),
        "markers_url": reverse("healingmap:markers") + (f"?{query}" if query else ""),
        "leaflet_options": leaflet_map("healing-map", creatediv=False, settings_overrides=map_view())["djoptions"],
        "csv_url": reverse("healingmap:events_csv") + (f"?{query}" if query else ""),
        "list_url": reverse("healingmap:event_list") + (f"?{query}" if query else ""),
        "map_url": reverse("healingmap:map") + (f"?{query}" if query else ""),
        "feed_query": feed_query(form),
        # From the cached markers document the map loads anyway: no aggregate per page view.
        "totals": documents.document("markers", form).totals if form.is_valid() else None,
    }
    return context


def _labels() -> dict:
    """Display labels the map script needs (translated), passed with json_script."""
    return {
        "kinds": {value: str(label) for value, label in HealingEvent.Kind.choices},
        "formats": {value: str(label) for value, label in HealingEvent.Format.choices},
        "timeZone": settings.TIME_ZONE,
        "urls": {
            "listBase": reverse("healingmap:event_list"),
            "geojsonBase": reverse("healingmap:events_geojson"),
            "csvBase": reverse("healingmap:events_csv"),
            "embedBase": reverse("healingmap:embed"),
        },
        # Counted phrases: [singular, plural] msgids, translated by the script's catalog
        # (healingmap/phrases.py) with every plural form of the language.
        "counted": msgids(),
        # %(n)s and %(name)s are filled in by the script.
        "text": {
            "hostedBy": gettext("Hosted by %(name)s, %(area)s"),
            "virtualHost": gettext("Virtual event: mapped at the host's location."),
            "virtualIdeal": gettext("Virtual event: mapped where it would ideally be held in person."),
            "openEvent": gettext("Open the event page"),
            "seeList": gettext("See them in the list"),
            "none": gettext("No events match these filters."),
            "loading": gettext("Loading events…"),
            "failed": gettext("The events could not be loaded. The list of events still works."),
            "tilesFailed": gettext("The background map could not load."),
            "tilesFailedOutlines": gettext(
                "The background map could not load: the %(areas)s are outlined instead.") % area_vars(),
        },
    }


@require_safe
@cache_public_page
def map(request):
    form = bind(request)
    status = 200 if form.is_valid() else 400
    return render(request, "healingmap/map.html", _map_context(request, form), status=status)


@require_safe
@xframe_options_exempt
# 'self' too, so that the embed builder's preview shows whatever origins partners are given.
@csp_replace({"frame-ancestors": [*settings.MAP_EMBED_FRAME_ANCESTORS, SELF]})
@cache_public_page  # innermost: the decorators above mark cached copies too
def embed(request):
    """The map with minimal chrome, for partners' sites: the only page that may be framed.

    `?lang=` chooses its language (the partner's page decides, not the visitor's cookie).
    """
    form = bind(request)
    status = 200 if form.is_valid() else 400
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        context = {**_map_context(request, form), "home_url": request.build_absolute_uri(reverse("home"))}
        response = render(request, "healingmap/embed.html", context, status=status)
    response["Content-Language"] = language
    return response


@require_safe
def embed_builder(request):
    """A GET form that writes the embed snippet: it works without JavaScript, which only adds a live preview."""
    form = EmbedBuilderForm(request.GET)
    valid = form.is_valid()
    context = {"form": form, "valid": valid, "areas_field": form["area"]}
    if valid:
        context.update({
            "embed_url": form.embed_url(request), "snippet": form.snippet(request),
            "map_url": form.map_url(request), "height": form.frame_height(), "frame_title": form.frame_title(),
        })
    return render(request, "healingmap/embed_builder.html", context, status=200 if valid else 400)


@require_safe
@cache_public_page
def event_list(request):
    """The accessible equivalent of the map: server-rendered, paginated, sortable by date."""
    form = bind(request)
    context = _map_context(request, form)
    if not form.is_valid():
        return render(request, "healingmap/event_list.html", context, status=400)
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
    return render(request, "healingmap/event_list.html", context)


@require_safe
def messages(request):
    form = bind(request)
    if "page" in form.errors:
        return render(request, "healingmap/messages.html", {"page": None, "bad_page": True}, status=400)
    page = Paginator(approved_messages(), MESSAGES_PAGE_SIZE).get_page(form.cleaned_data.get("page"))
    return render(request, "healingmap/messages.html", {"page": page})


@require_safe
def data(request):
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


def _document_response(request, document, content_type):
    if _not_modified(request, document):
        response = HttpResponseNotModified()
    else:
        # The gzipped bytes are cached with the document, so a warm request never compresses.
        wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
        response = HttpResponse(document.gzipped if wants_gzip else document.body, content_type=content_type)
        if wants_gzip:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = document.etag
    if document.last_modified:
        response["Last-Modified"] = document.last_modified
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Access-Control-Allow-Origin"] = "*"  # open data: partners may fetch it
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_safe
def events_geojson(request):
    form = bind_cached(request)
    if not form.is_valid():
        return _bad_request(form)
    return _document_response(request, documents.document("geojson", form), GEOJSON_CONTENT_TYPE)


@require_safe
def markers(request):
    """The map's compact markers document (see geojson.markers); popups fetch their details."""
    form = bind_cached(request)
    if not form.is_valid():
        return _bad_request(form)
    return _document_response(request, documents.document("markers", form), "application/json")


@require_safe
def figures(request):
    """The participant figure for the map's current filters, as the page shows it (one function)."""
    form = bind_cached(request)
    if not form.is_valid():
        return _bad_request(form)
    totals = documents.document("markers", form).totals
    response = JsonResponse({"participants": participant_sentence(totals)}, json_dumps_params={"ensure_ascii": False})
    response["Content-Language"] = translation.get_language()
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_safe
def popup(request, pk: int):
    """One mapped event's public properties, fetched when its popup opens."""
    key = f"healingmap:popup:{public_version()}:{pk}"
    properties = cache.get(key)
    if properties is None:
        properties = geojson.event_properties(pk) or {}
        cache.set(key, properties, timeout=60 * 60)
    if not properties:
        raise Http404("No such event on the map.")
    response = JsonResponse(properties, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@require_safe
def events_csv(request):
    """The CSV, from the cache when built for this version and these filters; otherwise
    streamed as it is built (and cached by the one request that holds the build lock)."""
    form = bind_cached(request)
    if not form.is_valid():
        return _bad_request(form)
    origin = request.build_absolute_uri("/").rstrip("/")
    document = documents.cached_or_none("csv", form, origin=origin)
    if document is not None:
        response = _document_response(request, document, CSV_CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(documents.streamed_csv(form, origin=origin),
                                         content_type=CSV_CONTENT_TYPE)
        response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = 'attachment; filename="healing-events.csv"'
    return response
