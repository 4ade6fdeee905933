"""Purging the caching proxy when published content changes, with Wagtail's
frontend cache (`wagtail.contrib.frontend_cache`): docs/operations.md.

What a change affects, and so what is purged:

- publish, unpublish (and delete), a privacy change: the page, every page
  below it (their visibility and breadcrumbs follow it), every page above it
  (the cluster lists its meetings, the index its clusters, the home page
  both), and the feeds and calendars: all clusters', the cluster's, the
  meeting's;
- a move or a new slug: the same at the old addresses and at the new;
- a sign-off recorded or withdrawn on published minutes: the minutes and
  the pages above them;
- an organisation, person or place edited: the pages that show it (Wagtail's
  reference index) and the pages above them;
- the accessibility statement: every page (its footer links to it).

Only with WAGTAILFRONTENDCACHE configured; otherwise nothing is computed.

The purge runs right after the transaction commits, in the process that made
the change (an app server, the task worker, the scheduler), so the change is
visible through the proxy at once; Wagtail's own signal handlers would queue
it for the task worker behind the search index's work, which is why the app
`wagtail.contrib.frontend_cache` is not installed (its functions and backends
need no installing). A request that read the old content before the commit
may still store it after the purge; a second purge of the same addresses,
queued for the task worker PURGE_REPEAT_SECONDS later, removes that.
"""

import http.client
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task_backends
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    pre_page_move,
)

from klynge_pages.models import (
    ClusterPage,
    Location,
    MeetingPage,
    MinutesSignOff,
    Organisation,
    Person,
)

from .models import AccessibilityStatementPage

logger = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


# --- What a change affects --------------------------------------------------


def affected_pages(page, descendants=True):
    """The page, the pages below it and the pages above it (not the tree's
    root, which no site serves)."""
    page = page.specific
    if isinstance(page, AccessibilityStatementPage):
        # Every page's footer links to the statement.
        return list(Page.objects.filter(depth__gt=1).specific())
    pages = [page, *page.get_ancestors().filter(depth__gt=1).specific()]
    if descendants:
        pages += list(page.get_descendants().specific())
    return pages


def _export_url(name, *args):
    try:
        return reverse(f"klynge_exports:{name}", args=args)
    except NoReverseMatch:  # klynge_exports is not installed
        return None


def export_paths(pages):
    """The feeds and calendars that show any of `pages` (klynge_exports)."""
    paths = {
        _export_url("calendar"),
        _export_url("rss"),
        _export_url("atom"),
    }
    for page in pages:
        if isinstance(page, ClusterPage):
            paths |= {
                _export_url("calendar_cluster", page.slug),
                _export_url("rss_cluster", page.slug),
                _export_url("atom_cluster", page.slug),
            }
        elif isinstance(page, MeetingPage):
            paths.add(_export_url("calendar_meeting", page.pk))
    return {path for path in paths if path}


def urls_for(pages):
    """The full URLs of `pages` and of the feeds and calendars that show
    them, on each page's site."""
    batch = PurgeBatch()
    batch.add_pages(pages)
    urls = set(batch.urls)
    roots = {}
    for page in pages:
        # (site id, root URL, path), or None for a page no site serves.
        parts = page.get_url_parts(request=batch)
        if parts and parts[1]:
            roots.setdefault(parts[1], []).append(page)
    for root_url, site_pages in roots.items():
        urls |= {root_url + path for path in export_paths(site_pages)}
    return urls


# --- Purging ----------------------------------------------------------------


def purge(urls):
    """Purge `urls` once the current transaction commits, and once more a
    little later from the task worker (see the module's docstring)."""
    urls = sorted(urls)
    if urls:
        transaction.on_commit(lambda: _purge_now(urls))


def _purge_now(urls):
    purge_urls_from_cache_task.call(urls)
    repeat = getattr(settings, "PURGE_REPEAT_SECONDS", 0)
    alias = getattr(settings, "KLYNGE_TASK_BACKEND", "default")
    if repeat and task_backends[alias].supports_defer:
        try:
            purge_urls_from_cache_task.using(
                backend=alias, run_after=timezone.now() + timedelta(seconds=repeat)
            ).enqueue(urls)
        except Exception:  # the first purge happened; the TTL bounds the rest
            logger.exception("Could not queue the repeated purge")


def purge_pages(pages):
    if enabled():
        purge(urls_for(pages))


# --- Signals ----------------------------------------------------------------


def page_changed(sender, instance, **kwargs):
    """Publish and unpublish (Wagtail unpublishes a live page it deletes)."""
    if enabled():
        purge_pages(affected_pages(instance))


def slug_changed(sender, instance, instance_before, **kwargs):
    """The old addresses of the page and the pages below it, and what the
    page's publication affects."""
    if not enabled():
        return
    old_prefix = instance_before.get_full_url()
    new_prefix = instance.get_full_url()
    if old_prefix and new_prefix:
        pages = [instance, *instance.get_descendants().specific()]
        purge(
            old_prefix + url[len(new_prefix) :]
            for url in urls_for(pages)
            if url.startswith(new_prefix)
        )
    purge_pages(affected_pages(instance))


def before_move(sender, instance, **kwargs):
    # Still at the old address, under the old parent.
    if enabled():
        purge_pages(affected_pages(instance))


def after_move(sender, instance, **kwargs):
    if enabled():
        purge_pages(affected_pages(Page.objects.get(pk=instance.pk)))


def privacy_changed(sender, instance, **kwargs):
    if not enabled():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        purge_pages(affected_pages(page))


def signoff_changed(sender, instance, **kwargs):
    if not enabled():
        return
    page = Page.objects.filter(pk=instance.page_id, live=True).first()
    if page is not None:
        purge_pages(affected_pages(page, descendants=False))


def snippet_changed(sender, instance, **kwargs):
    """Pages that show an organisation, person or place (an organisation
    also through its people)."""
    if not enabled() or instance.pk is None:
        return
    shown = [instance]
    if isinstance(instance, Organisation):
        shown += list(Person.objects.filter(organisation=instance))
    page_ids = set()
    for item in shown:
        page_ids |= set(
            ReferenceIndex.get_references_to(item)
            .filter(base_content_type=ContentType.objects.get_for_model(Page))
            .values_list("object_id", flat=True)
        )
    pages = {}
    for page in Page.objects.filter(pk__in=[int(pk) for pk in page_ids]):
        for affected in affected_pages(page, descendants=False):
            pages[affected.pk] = affected
    purge_pages(list(pages.values()))


def connect():
    page_published.connect(page_changed, dispatch_uid="klynge_purge_published")
    page_unpublished.connect(page_changed, dispatch_uid="klynge_purge_unpublished")
    page_slug_changed.connect(slug_changed, dispatch_uid="klynge_purge_slug")
    pre_page_move.connect(before_move, dispatch_uid="klynge_purge_before_move")
    post_page_move.connect(after_move, dispatch_uid="klynge_purge_after_move")
    for signal in (post_save, post_delete):
        signal.connect(
            privacy_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"klynge_purge_privacy_{signal is post_save}",
        )
        signal.connect(
            signoff_changed,
            sender=MinutesSignOff,
            dispatch_uid=f"klynge_purge_signoff_{signal is post_save}",
        )
    for model in (Organisation, Person, Location):
        post_save.connect(
            snippet_changed, sender=model, dispatch_uid=f"klynge_purge_{model.__name__}"
        )
        # Before the delete, while the references still point at it.
        pre_delete.connect(
            snippet_changed,
            sender=model,
            dispatch_uid=f"klynge_purge_{model.__name__}_delete",
        )


# --- The backend ------------------------------------------------------------


class HTTPPurgeBackend(BaseBackend):
    """PURGE requests to a caching proxy (nginx with the cache purge module,
    or Varnish), over one kept-alive connection per batch and with a timeout:
    Wagtail's HTTPBackend opens a connection per URL and waits without limit,
    which would hold a publish up for as long as the proxy hangs.

    LOCATION: the proxy's address, e.g. http://127.0.0.1:8080. TIMEOUT:
    seconds per request (default 2). The Host header is the page's host, so
    the proxy finds the entry it stored under that request.
    """

    def __init__(self, params):
        super().__init__(params)
        location = urlsplit(params["LOCATION"])
        self.scheme = location.scheme
        self.netloc = location.netloc
        self.timeout = float(params.get("TIMEOUT", 2))

    def _connection(self):
        cls = (
            http.client.HTTPSConnection
            if self.scheme == "https"
            else http.client.HTTPConnection
        )
        return cls(self.netloc, timeout=self.timeout)

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        connection = self._connection()
        try:
            for url in urls:
                self._purge_one(connection, url)
        finally:
            connection.close()

    def _purge_one(self, connection, url):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Host": parts.netloc, "User-Agent": "Klyngeportal-purge"}
        for attempt in (1, 2):
            try:
                connection.request("PURGE", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                # The proxy closed a kept-alive connection: once more on a
                # new one, then give up on this URL.
                connection.close()
                if attempt == 2:
                    logger.error("Could not purge %s: %s", url, error)
                continue
            # 200: purged; 404: it was not in the cache.
            if response.status not in (200, 404):
                logger.error(
                    "Could not purge %s: HTTP %s %s",
                    url,
                    response.status,
                    response.reason,
                )
            return
