from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngeSecurityConfig(AppConfig):
    name = "klynge_security"
    verbose_name = _("Sikkerhed")
