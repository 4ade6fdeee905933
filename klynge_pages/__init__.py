"""Clusters, meetings, agendas and minutes as Wagtail content (reusable app)."""

from pathlib import Path

# The Danish catalogues of the Wagtail admin (django.po, djangojs.po) that
# the package ships. Django finds `django` through this app (listed before
# Wagtail's apps); the admin's JavaScript catalogue only through
# LOCALE_PATHS, so a site adds LOCALE_DIR there.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
