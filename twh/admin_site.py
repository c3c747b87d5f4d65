"""The staff admin site, titled for the campaign, with two-factor login and login throttling."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from twh.core import security
from twh.core.validation import year_window

_DATE_PARTS = {"__month": (1, 12), "__day": (1, 31)}


def _bad_date_lookup(query) -> bool:
    """A date-hierarchy lookup Django would overflow on (year 9999, day 31 of December)."""
    for key, value in query.items():
        bounds = year_window() if key.endswith("__year") else next(
            (b for suffix, b in _DATE_PARTS.items() if key.endswith(suffix)), None)
        if bounds is None:
            continue
        if not (value.isascii() and value.isdigit() and len(value) <= 4
                and bounds[0] <= int(value) <= bounds[1]):
            return True
    return False


class TWHAdminSite(admin.AdminSite):
    site_header = _("Together We Heal: staff")
    site_title = _("Together We Heal staff")
    index_title = _("Moderation and impact")

    # Read on every request, so settings.ADMIN_REQUIRE_2FA (on whenever DEBUG is off) decides.
    @property
    def login_form(self):
        return security.login_form_class()

    @property
    def login_template(self):
        return "otp/admin111/login.html" if security.two_factor_required() else None

    def has_permission(self, request):
        """Staff must also have passed a one-time code when two-factor login is required."""
        if not super().has_permission(request):
            return False
        return not security.two_factor_required() or request.user.is_verified()

    def admin_view(self, view, cacheable=False):
        """Every admin view: a date lookup out of range is an invalid lookup, never a 500."""
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if ERROR_FLAG not in request.GET and _bad_date_lookup(request.GET):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            return inner(request, *args, **kwargs)

        return guarded

    # --- The impact dashboard (twh/dashboard.py): staff only, like every admin view.
    def get_urls(self):
        return [
            path("dashboard/", self.admin_view(self.dashboard_view), name="dashboard"),
            path("dashboard/<slug:table>.csv", self.admin_view(self.dashboard_csv_view),
                 name="dashboard_csv"),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        from twh.dashboard_views import dashboard

        return dashboard(request, site=self)

    def dashboard_csv_view(self, request, table):
        from twh.dashboard_views import dashboard_csv

        return dashboard_csv(request, table, site=self)

    def login(self, request, extra_context=None):
        if security.login_throttled(request):
            return security.throttled_response(request, self)
        return super().login(request, extra_context)
