"""App configs: the site-wide app, and an admin that registers only the admin modules we name."""

from importlib import import_module

from django.apps import AppConfig
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPDefaultConfig

# django-leaflet's admin module imports GeoDjango, which needs GDAL; so there is no
# autodiscovery and these modules are imported instead.
ADMIN_MODULES = [
    "django.contrib.auth.admin",
    "django_otp.plugins.otp_totp.admin",
    "django_tasks_db.admin",
    "twh.admin",
    "events.admin",
    "summit.admin",
]


# Named in INSTALLED_APPS by their full path: this module holds several configs, so Django would
# otherwise fall back to a plain AppConfig and the admin would say "TWH" and "OTP_TOTP".
class TWHConfig(AppConfig):
    name = "twh"
    verbose_name = _("Site")


class TwoFactorDevicesConfig(OTPTOTPDefaultConfig):
    verbose_name = _("Two-factor devices")


class TWHAdminConfig(SimpleAdminConfig):
    default_site = "twh.admin_site.TWHAdminSite"

    def ready(self):
        super().ready()
        for module in ADMIN_MODULES:
            import_module(module)
        # The site app is listed as plain "twh" (two configs here, so Django uses the base
        # AppConfig for it): its deployment checks are registered from this ready() instead.
        import_module("twh.checks")
