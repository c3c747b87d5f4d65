"""The site's URLs plus /bench/hello, the baseline bench/load.py compares public pages with."""

from django.http import HttpResponse
from django.urls import path

from twh.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello", hello), *site_urlpatterns]
