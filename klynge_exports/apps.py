from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngeExportsConfig(AppConfig):
    name = "klynge_exports"
    verbose_name = _("Eksport: PDF, kalender og feeds")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
