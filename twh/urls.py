"""Root URLs: site pages, each app under its prefix, admin, and the language switcher."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from healingmap import feeds
from twh import media, views
from twh.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("about/faq/", views.faq, name="faq"),
    path("host/", views.host, name="host"),
    path("host/<slug:kind>/", views.host_kind, name="host_kind"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Exempt from CSRF so public pages carry no per-visitor token and can be cached whole; the
    # worst another site could do with it is switch a visitor's interface language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Following events: the same filters as the map (healingmap/filters.py).
    path("events/calendar.ics", feeds.calendar_feed, name="calendar_feed"),
    path("events/feed.atom", feeds.AtomFeed(), name="atom_feed"),
    path("events/feed.rss", feeds.RssFeed(), name="rss_feed"),
    path("events/", include("events.urls")),
    path("map/", include("healingmap.urls")),
    path("summit/", include("summit.urls")),
    path("admin/", admin.site.urls),
    path(settings.MEDIA_URL.strip("/") + "/<path:path>", media.serve_media, name="media"),
]

handler500 = "twh.views.server_error"
