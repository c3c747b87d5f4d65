"""Staff account protection: two-factor login for the admin, login throttling, idle sessions."""

import time
from collections.abc import Mapping

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.db import models
from django.template.response import TemplateResponse
from django.views.debug import SafeExceptionReporterFilter
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import is_ratelimited

from twh.core.scrubbing import EMAIL_OR_PHONE, PRIVATE_KEY

LAST_SEEN_SESSION_KEY = "twh_last_seen"
# Refresh the idle clock at most once a minute, so a busy staff member does not write the
# session on every click.
LAST_SEEN_GRANULARITY = 60


def two_factor_required() -> bool:
    return settings.ADMIN_REQUIRE_2FA


class StaffOTPLoginForm(OTPAdminAuthenticationForm):
    """The admin login with a one-time code; a staff member's only TOTP device is chosen for
    them, so the code goes in the same form as the password."""

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None and not self.cleaned_data.get("otp_device"):
            devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True)[:2])
            if len(devices) == 1:
                device = devices[0]
        return device


def login_form_class():
    return StaffOTPLoginForm if two_factor_required() else AdminAuthenticationForm


def login_throttled(request) -> bool:
    """Count a login POST against the client's address and the username it tries.

    Both keys: one address cannot try many accounts, and many addresses cannot hammer one.
    The counters live in the shared cache (Redis in production), so every app server agrees.
    """
    if request.method != "POST":
        return False
    rate = settings.ADMIN_LOGIN_RATE
    by_ip = is_ratelimited(request, group="admin.login.ip", key="ip", rate=rate, method="POST",
                           increment=True)
    by_user = is_ratelimited(request, group="admin.login.user", key=_username_key, rate=rate,
                             method="POST", increment=True)
    return by_ip or by_user


def _username_key(group, request):
    return (request.POST.get("username") or "").strip().lower()[:150]


def throttled_response(request, site):
    context = {**site.each_context(request), "title": site.site_title}
    return TemplateResponse(request, "admin/twh/login_throttled.html", context, status=429)


class IdleSessionMiddleware:
    """Sign a signed-in user out after settings.SESSION_IDLE_SECONDS without a request.

    SESSION_COOKIE_AGE caps the whole session (12 hours); this ends one left open on a shared
    computer much sooner. Anonymous visitors have no session to expire.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif last_seen is None or now - int(last_seen) >= LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


CLEANSED = SafeExceptionReporterFilter.cleansed_substitute


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the admin email, the log) without contact details.

    Django already hides the POST fields a view marks with @sensitive_post_parameters; this
    also hides them in every frame's local variables (a service's `data`, a form's
    `cleaned_data`), and any email address or phone number in a plain string.
    """

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [(name, self.cleanse_private(value)) for name, value in variables]

    def cleanse_private(self, value, depth=0):
        if depth > 4:
            return value
        if isinstance(value, Mapping):
            return {
                key: CLEANSED if isinstance(key, str) and PRIVATE_KEY.search(key)
                else self.cleanse_private(item, depth + 1)
                for key, item in value.items()
            }
        if type(value) in (list, tuple, set):
            return type(value)(self.cleanse_private(item, depth + 1) for item in value)
        if isinstance(value, str):
            return EMAIL_OR_PHONE.sub(CLEANSED, value)
        if isinstance(value, models.Model):
            return f"<{type(value).__name__} pk={value.pk}>"
        return value
