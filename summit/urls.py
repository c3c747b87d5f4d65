"""URLs of the summit."""

from django.urls import path

from summit import views

app_name = "summit"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("<int:pk>/calendar.ics", views.calendar, name="summit_calendar"),
    path("register/", views.register, name="register"),
    path("register/done/<uuid:token>/", views.registered, name="registered"),
    path("register/again/", views.already_registered, name="already_registered"),
    path("registration/<str:token>/", views.registration, name="registration"),
    path("registration/<str:token>/calendar.ics", views.registration_calendar,
         name="registration_calendar"),
    path("registration/<str:token>/cancel/", views.cancel, name="cancel"),
    path("reflections/", views.reflection_list, name="reflection_list"),
    path("reflections/new/", views.new_reflection, name="new_reflection"),
    path("reflections/thanks/<uuid:token>/", views.reflection_thanks, name="reflection_thanks"),
]
