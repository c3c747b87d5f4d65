"""Root URLs: site pages, each app under its prefix, admin, and the language switcher."""

from django.contrib import admin
from django.urls import include, path

from twh import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("events/", include("events.urls")),
    path("map/", include("healingmap.urls")),
    path("summit/", include("summit.urls")),
    path("admin/", admin.site.urls),
]
