"""The outbox: changes to the index wait in the database until written.

A publish, unpublish, move or deletion records the pages whose documents
may have changed (`queue`, in the editor's transaction); once it commits, a
task (django-tasks, `replay_pending`) replays the outbox. Settings choose
the task backend, by the alias KLYNGE_TASK_BACKEND names (the "default"
backend without it): the immediate one runs the replay right after the
transaction commits (tests, development); production queues it in the
database for `manage.py db_worker` (django-tasks-db). What the server could
not take stays in the outbox for the next replay.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django_tasks import task
from wagtail.models import Page

from klynge_pages.conf import klynge_settings
from klynge_pages.models import public_page_ids

from . import connection
from .attachments import attachment_text
from .documents import documents_for, owner_of
from .errors import UNAVAILABLE
from .indices import ensure_index, write_documents
from .models import PendingChange

logger = logging.getLogger(__name__)

# Replays run right after a publish: an unreachable or slow server must not
# hold the editor up for long. The outbox keeps what was not written.
REPLAY_TIMEOUT = 5

# --- Queueing changes -------------------------------------------------------


def queue(pages):
    """Record that the documents of `pages` may have changed (in the caller's
    transaction), and replay the outbox once it commits."""
    if not connection.is_configured():
        # No index to keep (the database search reads the pages); a server
        # configured later starts with `search_index rebuild`.
        return
    owners = {owner.pk for owner in map(owner_of, pages) if owner is not None}
    if not owners:
        return
    PendingChange.objects.bulk_create(PendingChange(page_id=pk) for pk in owners)
    transaction.on_commit(_enqueue_replay)


def _enqueue_replay():
    try:
        replay_pending.enqueue()
    except Exception:  # the outbox keeps the change; `search_index sync` replays it
        logger.exception("Could not enqueue the search index replay")


def replay_soon():
    """Replay waiting changes once the server answers again: called after a
    successful search, at most once a minute per cache."""
    if cache.add("klynge-search-replay-soon", True, timeout=60) and (
        PendingChange.objects.exists()
    ):
        _enqueue_replay()


# --- Replaying the outbox ---------------------------------------------------


def replay(client=None, limit=1000, refresh=False, extract=None):
    """Apply pending changes, oldest first. Returns (applied, left).

    Rows are deleted only after their documents are written; if the server
    is unavailable the rows stay for the next replay. The rows are locked
    while they are replayed: the task worker and `search_index sync` may run
    at the same time, and a replay that waits for another finds the rows it
    applied gone, so each change is applied once.
    """
    client = client or connection.get_client()
    if client is None:
        return 0, PendingChange.objects.count()
    client = client.options(request_timeout=REPLAY_TIMEOUT, max_retries=0)
    with transaction.atomic():
        rows = list(PendingChange.objects.select_for_update().order_by("pk")[:limit])
        if not rows:
            return 0, 0
        return _replay_rows(client, rows, refresh, extract)


def _replay_rows(client, rows, refresh, extract):
    latest = {}
    for row in rows:
        latest[row.page_id] = row.pk
    try:
        index = ensure_index(client)
        # Documents written by the last replay must be visible to the
        # search for stale ones.
        client.indices.refresh(index=index)
        public = public_page_ids(latest)
        pages = {
            page.pk: page.specific
            for page in Page.objects.filter(pk__in=latest).specific()
        }
        for owner_id, version in latest.items():
            page = pages.get(owner_id)
            docs = (
                documents_for(page, extract=extract or attachment_text, public=public)
                if page
                else []
            )
            write_documents(client, index, owner_id, docs, version, refresh=refresh)
    except UNAVAILABLE as error:
        PendingChange.objects.filter(pk__in=[row.pk for row in rows]).update(
            last_error=str(error)[:1000]
        )
        for row in rows:
            row.attempts += 1
        PendingChange.objects.bulk_update(rows, ["attempts"])
        logger.warning(
            "Search index replay failed; %d changes wait: %s", len(rows), error
        )
        return 0, PendingChange.objects.count()
    PendingChange.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows), PendingChange.objects.count()


def replay_all(client=None, refresh=False, extract=None):
    applied = 0
    while True:
        done, left = replay(client, refresh=refresh, extract=extract)
        applied += done
        if not done or not left:
            return applied, left


@task(backend=klynge_settings.TASK_BACKEND)
def replay_pending():
    applied, left = replay_all()
    return {"applied": applied, "left": left}
