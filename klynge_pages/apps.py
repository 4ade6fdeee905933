from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngePagesConfig(AppConfig):
    name = "klynge_pages"
    verbose_name = _("Klynger og møder")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401 - registers, connects
