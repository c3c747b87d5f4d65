from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealingMapConfig(AppConfig):
    name = "healingmap"
    verbose_name = _("Healing Map")
