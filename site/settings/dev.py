"""Local development: the embedded default with relaxed security."""

import os

from .base import *  # noqa: F403

DEBUG = True
# Only ever used on a developer's machine; production refuses to start
# without its own key.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Page log entries ("Page created: …") are for production logs, not for the
# console of `make run`.
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}  # noqa: F405
