from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from .models import AccessibilityStatementPage

# The statement's URL is asked for on every page view (the footer); it is
# kept in Django's cache (shared by production's processes) and forgotten
# whenever it could change: anything published, unpublished, moved or
# renamed, a privacy setting or a site changed. A new generation number
# makes every host's cached URL stale at once.
GENERATION_KEY = "klynge-accessibility-statement-generation"
URL_TIMEOUT = 600


def forget_statement_url(**kwargs):
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet
        cache.set(GENERATION_KEY, 1, timeout=None)


def connect():
    """Called from the app's ready(): every process that can change what the
    URL depends on (app servers, the worker, the scheduler) must forget it."""
    signals = (page_published, page_unpublished, page_slug_changed, post_page_move)
    for signal in signals:
        signal.connect(forget_statement_url, dispatch_uid=f"klynge_a11y_{id(signal)}")
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                forget_statement_url,
                sender=model,
                dispatch_uid=f"klynge_a11y_{model.__name__}_{id(signal)}",
            )


def _statement_url(request):
    # The statement's own table first: it has a row or none, while the
    # live/public filter over the whole page tree costs a scan of it on
    # every page view (1.5 ms with a few thousand meetings).
    ids = list(
        AccessibilityStatementPage.objects.order_by().values_list("pk", flat=True)
    )
    if not ids:
        return None
    page = AccessibilityStatementPage.objects.filter(pk__in=ids).live().public().first()
    return page.get_url(request) if page else None


def accessibility_statement(request):
    """The URL of the accessibility statement, for the footer of every page."""

    def url():
        generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
        key = f"klynge-accessibility-statement-url:{generation}:{request.get_host()}"
        # "" for "no statement", so that its absence is cached too.
        value = cache.get(key)
        if value is None:
            value = _statement_url(request) or ""
            cache.set(key, value, timeout=URL_TIMEOUT)
        return value or None

    # Lazy: evaluated only where the footer renders.
    return {"accessibility_statement_url": url}
