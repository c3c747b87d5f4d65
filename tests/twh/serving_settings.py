"""Production settings for app servers started by tests: the same as twh.settings, except that
static files are not collected first (the tests fetch pages, never the static files)."""

from twh.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
