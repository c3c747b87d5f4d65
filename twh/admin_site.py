"""The staff admin site, titled for the campaign."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class TWHAdminSite(admin.AdminSite):
    site_header = _("Together We Heal: staff")
    site_title = _("Together We Heal staff")
    index_title = _("Moderation and impact")
