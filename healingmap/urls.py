"""URLs of the Healing Map."""

from django.urls import path

from healingmap import views

app_name = "healingmap"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("messages/", views.messages_wall, name="messages"),
]
