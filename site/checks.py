"""System checks of a production deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The cache is kept in each process: with several app server "
            "processes, every client gets the rate limits once per process.",
            hint="Set REDIS_URL (docs/operations.md).",
            id="klyngeportal.W001",
        )
    ]


@register(Tags.caches, deploy=True)
def purged_proxy_cache(app_configs, **kwargs):
    if not getattr(settings, "PROXY_CACHE_SECONDS", 0) or getattr(
        settings, "WAGTAILFRONTENDCACHE", None
    ):
        return []
    return [
        Warning(
            "Public pages are marked for the caching proxy, but nothing purges "
            "it: a published change shows only when the cached copy expires.",
            hint="Set PROXY_PURGE_URL (docs/operations.md).",
            id="klyngeportal.W002",
        )
    ]
