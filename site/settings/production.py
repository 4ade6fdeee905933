"""Production: everything from the environment, nothing insecure."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production needs its own secret key in the "
        "environment, e.g. SECRET_KEY=$(python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
# Wagtail's preview frames override this with SAMEORIGIN for themselves.
X_FRAME_OPTIONS = "DENY"
# Browsers fetch every http:// reference over https.
for _policy in (CONTENT_SECURITY_POLICY, KLYNGE_ADMIN_CONTENT_SECURITY_POLICY):  # noqa: F405
    _policy["DIRECTIVES"]["upgrade-insecure-requests"] = True
if env_bool("SECURE_PROXY_SSL_HEADER"):  # noqa: F405
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- The production topology (docs/operations.md) ---------------------------

# The cache every process shares: the per-client rate limits, rendered PDFs,
# the search's cluster names. Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/0)
# through Django's own backend; without it each process keeps its own cache
# in memory, and with several app server processes each client gets the rate
# limits once per process (`check --deploy` warns).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "klyngeportal"),
        }
    }

# The caching proxy: how long it may keep a public page (site/caching.py),
# and where to send purges when content changes (site/frontend_cache.py),
# one address per proxy, comma-separated.
PROXY_CACHE_SECONDS = int(os.environ.get("PROXY_CACHE_SECONDS", "0"))
WAGTAILFRONTENDCACHE = {
    f"proxy{number}": {
        "BACKEND": "klyngeportal_site.frontend_cache.HTTPPurgeBackend",
        "LOCATION": location,
    }
    for number, location in enumerate(env_list("PROXY_PURGE_URL"), 1)  # noqa: F405
}
# A line per purged URL is for debugging; failures still log.
LOGGING["loggers"]["wagtail.frontendcache"] = {"level": "WARNING"}  # noqa: F405

# Documents: after the check, the web server sends the file (nginx's
# X-Accel-Redirect to this internal location; klynge_security/sendfile.py).
KLYNGE_SENDFILE_URL = os.environ.get("SENDFILE_URL", "")
if KLYNGE_SENDFILE_URL:
    SENDFILE_BACKEND = "klynge_security.sendfile"

# Replicas of the public search's index: 1 on a cluster of three nodes, so
# that a node can fail without losing a shard.
KLYNGE_SEARCH_INDEX_REPLICAS = int(os.environ.get("SEARCH_INDEX_REPLICAS", "0"))
