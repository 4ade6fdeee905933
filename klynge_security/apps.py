from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngeSecurityConfig(AppConfig):
    name = "klynge_security"
    verbose_name = _("Sikkerhed")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
