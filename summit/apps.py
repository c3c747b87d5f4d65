from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummitConfig(AppConfig):
    name = "summit"
    verbose_name = _("Healing summit")
