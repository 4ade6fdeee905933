"""WSGI entry point: `gunicorn klyngeportal_site.wsgi` (or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klyngeportal_site.settings.production")

application = get_wsgi_application()
