"""The staff admin site, titled for the campaign, with two-factor login and login throttling."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from twh import security


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

    def login(self, request, extra_context=None):
        if security.login_throttled(request):
            return security.throttled_response(request, self)
        return super().login(request, extra_context)
