from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngeEditorialConfig(AppConfig):
    name = "klynge_editorial"
    verbose_name = _("Frister og påmindelser")
    default_auto_field = "django.db.models.BigAutoField"
