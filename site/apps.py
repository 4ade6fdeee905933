from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngeportalSiteConfig(AppConfig):
    name = "klyngeportal_site"
    verbose_name = _("Klyngeportal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, context_processors, frontend_cache  # noqa: F401

        frontend_cache.connect()
        context_processors.connect()
