"""sitemap.xml: the public pages and every approved event; never a private link."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import CommunityArea, HealingEvent

PUBLIC_PAGES = [
    "home", "about", "privacy", "accessibility", "events:submit", "events:new_message",
    "healingmap:map", "healingmap:event_list", "healingmap:messages", "healingmap:data",
    "healingmap:coverage", "summit:index", "summit:reflection_list",
]


class PublicPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return PUBLIC_PAGES

    def location(self, item):
        return reverse(item)


class CommunityAreaSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return CommunityArea.objects.order_by("number").only("number")

    def location(self, item):
        return reverse("healingmap:area_detail", args=[item.number])


class ApprovedEventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return HealingEvent.objects.approved().order_by("pk").only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": PublicPagesSitemap, "areas": CommunityAreaSitemap, "events": ApprovedEventSitemap}
