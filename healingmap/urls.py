"""URLs of the Healing Map."""

from django.urls import path

from healingmap import coverage, views
from healingmap.phrases import MapCatalog

app_name = "healingmap"

urlpatterns = [
    path("", views.map, name="map"),
    path("list/", views.event_list, name="event_list"),
    path("messages/", views.messages, name="messages"),
    path("embed/", views.embed, name="embed"),
    path("embed/builder/", views.embed_builder, name="embed_builder"),
    path("data/", views.data, name="data"),
    path("events.geojson", views.events_geojson, name="events_geojson"),
    path("events.csv", views.events_csv, name="events_csv"),
    path("markers.json", views.markers, name="markers"),
    path("events/<int:pk>/popup.json", views.popup, name="popup"),
    path("i18n/<str:language>.js", MapCatalog.as_view(), name="catalog"),
    path("figures.json", views.figures, name="figures"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage.geojson", coverage.coverage_geojson, name="coverage_geojson"),
    path("areas/<int:number>/", coverage.area_detail, name="area_detail"),
    path("areas.geojson", coverage.area_outlines, name="area_outlines"),
]
