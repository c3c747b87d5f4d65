"""Summit pages."""

from django.shortcuts import render


def index(request):
    return render(request, "summit/index.html")
