"""Following events: an iCalendar feed of upcoming approved events, and Atom/RSS feeds of newly
approved events and messages of healing, each narrowed by the map's own filter form."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.calendar import build_ics
from events.models import HealingEvent, HealingMessage
from healingmap.filters import bind

FEED_ITEMS = 50
CALENDAR_ITEMS = 1000
# Filters that only make sense for events: with any of them, ambassadors' messages are left out.
EVENT_ONLY_FILTERS = ("kind", "format", "start", "end", "q", "when", "bbox")


def _bad_request(form):
    errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in form.errors.items())
    return HttpResponseBadRequest(_("Invalid query parameter.") + " " + errors,
                                  content_type="text/plain; charset=utf-8")


def feed_query(form) -> str:
    """The filters as a query string (with "?"), for links to the feeds from a filtered page."""
    query = form.normalized_query(include=("kind", "format", "area", "q", "edition")) if form.is_valid() else ""
    return f"?{query}" if query else ""


@require_safe
def calendar_feed(request):
    """/events/calendar.ics: upcoming approved events matching the map's filters."""
    form = bind(request)
    if not form.is_valid():
        return _bad_request(form)
    events = (form.filter(HealingEvent.objects.approved()).upcoming(now=form.now())
              .select_related("community_area").order_by("starts_at", "pk")[:CALENDAR_ITEMS])
    name = _("Together We Heal: upcoming healing events")
    response = HttpResponse(build_ics(events, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="healing-events.ics"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


class RssFeed(Feed):
    """Newly approved events and messages, newest decision first."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        form = bind(request)
        if not form.is_valid():
            return _bad_request(form)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return bind(request)

    def title(self, form):
        return _("Together We Heal: new healing events and messages")

    def link(self, form):
        return reverse("healingmap:map") + feed_query(form)

    def description(self, form):
        return _("Healing events and messages of healing as staff approve them.")

    def items(self, form):
        events = list(
            form.filter(HealingEvent.objects.approved()).select_related("community_area")
            .order_by("-moderated_at", "-pk")[:FEED_ITEMS]
        )
        messages = []
        if not any(form.cleaned_data.get(name) for name in EVENT_ONLY_FILTERS):
            messages = HealingMessage.objects.approved().select_related("community_area")
            if form.cleaned_data.get("area"):
                messages = messages.filter(community_area__number__in=form.cleaned_data["area"])
            messages = list(messages.order_by("-moderated_at", "-pk")[:FEED_ITEMS])
        items = events + messages
        items.sort(key=lambda item: item.moderated_at or item.submitted_at, reverse=True)
        return items[:FEED_ITEMS]

    def item_title(self, item):
        if isinstance(item, HealingEvent):
            return item.title
        return _("A message of healing from %(name)s") % {"name": item.shown_name}

    def item_description(self, item):
        if isinstance(item, HealingEvent):
            when = timezone.localtime(item.starts_at).strftime("%Y-%m-%d %H:%M")
            return f"{item.get_kind_display()} · {item.community_area.name} · {when}\n\n{item.description}"
        return item.text

    def item_link(self, item):
        if isinstance(item, HealingEvent):
            return item.get_absolute_url()
        return reverse("healingmap:messages") + f"#message-{item.pk}"

    def item_guid(self, item):
        return f"{'event' if isinstance(item, HealingEvent) else 'message'}-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.moderated_at or item.submitted_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item.get_kind_display())] if isinstance(item, HealingEvent) else [_("Message of healing")]


class AtomFeed(RssFeed):
    feed_type = Atom1Feed
    subtitle = RssFeed.description
