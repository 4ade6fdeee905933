from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlyngeEditorialConfig(AppConfig):
    name = "klynge_editorial"
    verbose_name = _("Frister og påmindelser")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: both import Wagtail's admin, which needs the app
        # registry ready.
        from . import danish_admin, spreadsheets

        # Every CSV export of the admin, Wagtail's own included, escapes
        # cells that a spreadsheet program would run as formulas.
        spreadsheets.install_formula_escaping()
        # Labels Wagtail's forms leave to the field name, in Danish.
        danish_admin.label_wagtail_forms()
