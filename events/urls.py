"""URLs of the events app."""

from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/thanks/<uuid:token>/", views.thanks, name="thanks"),
    path("messages/new/", views.new_message, name="new_message"),
    path("messages/thanks/<uuid:token>/", views.message_thanks, name="message_thanks"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("report/<str:token>/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/calendar.ics", views.ics, name="ics"),
]
