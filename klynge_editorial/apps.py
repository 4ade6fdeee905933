from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngeEditorialConfig(AppConfig):
    name = "klynge_editorial"
    verbose_name = _("Frister og påmindelser")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: it imports Wagtail's admin forms, which need the app
        # registry ready.
        from . import danish_admin

        # Labels Wagtail's forms leave to the field name, in Danish.
        danish_admin.label_wagtail_forms()
