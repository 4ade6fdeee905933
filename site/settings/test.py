"""The test suite: fast and isolated, configured by DATABASE_URL and
ELASTICSEARCH_URL like every other environment."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# Each test run gets indices of its own, so tests never touch real data.
KLYNGE_SEARCH_INDEX_PREFIX = "klyngeportal-test"
# Tests search far more often than a citizen; the rate limit has its own test.
KLYNGE_SEARCH_RATE_LIMIT = 0
KLYNGE_SUGGEST_RATE_LIMIT = 0
KLYNGE_EXPORT_RATE_LIMIT = 0
KLYNGE_FEED_RATE_LIMIT = 0
