"""Healing Map pages."""

from django.core.paginator import Paginator
from django.shortcuts import render

from events.models import HealingEvent


def map_page(request):
    return render(request, "healingmap/map.html", {"count": HealingEvent.objects.mappable().count()})


def messages_wall(request):
    from events.stats import latest_messages

    page = Paginator(latest_messages(limit=1000), 24).get_page(request.GET.get("page"))
    return render(request, "healingmap/messages.html", {"page": page})
