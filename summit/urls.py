"""URLs of the summit."""

from django.urls import path

from summit import views

app_name = "summit"

urlpatterns = [
    path("", views.index, name="index"),
]
