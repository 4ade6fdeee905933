"""Writing the search index: the versioned index behind an alias, the
outbox replay, the rebuild.

The public alias (`index_name("sider")`) always points at one complete
index, `<alias>-<timestamp>`. A rebuild fills a new index and swaps the alias
in one atomic request, so searches keep working meanwhile.

Every write carries an external version: the id of the outbox row it
replays (a rebuild writes with the highest id at its start, then replays
the rows that came in meanwhile). Elasticsearch keeps the highest version
it has seen, so a replay that comes late or twice never undoes a newer one.
"""

import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import islice

from django.db import transaction
from django.db.models import Max
from elasticsearch import ApiError, TransportError
from elasticsearch.dsl import Index
from elasticsearch.helpers import streaming_bulk
from wagtail.models import Page

from klynge_pages.conf import klynge_settings
from klynge_pages.models import public_page_ids

from . import connection
from .attachments import attachment_text
from .documents import (
    SearchDocument,
    all_documents,
    documents_for,
    owner_of,
)
from .models import PendingChange

logger = logging.getLogger(__name__)

ALIAS = "sider"


class WriteFailed(Exception):
    """Elasticsearch refused a document (other than for an older version)."""


class SearchFailed(Exception):
    """Elasticsearch answered a search request of an `msearch` with an error."""


UNAVAILABLE = (TransportError, ApiError, OSError, WriteFailed, SearchFailed)
# Replays run right after a publish: an unreachable or slow server must not
# hold the editor up for long. The outbox keeps what was not written.
REPLAY_TIMEOUT = 5


def alias_name():
    return connection.index_name(ALIAS)


def new_index_name():
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name()}-{stamp}"


# While a rebuild fills a new index nothing searches it yet: no refreshes,
# no replicas, and the translog synced in the background instead of on every
# bulk request (a crash loses the rebuild, which then simply runs again).
BULK_SETTINGS = {
    "refresh_interval": "-1",
    "number_of_replicas": 0,
    "translog.durability": "async",
}


def replicas():
    """Copies of each shard on other nodes: KLYNGE_SEARCH_INDEX_REPLICAS
    (1 on a cluster of three nodes, so that one can fail), else the
    document's own setting (0, for a single node)."""
    configured = klynge_settings.SEARCH_INDEX_REPLICAS
    if configured is None:
        return SearchDocument.Index.settings["number_of_replicas"]
    return configured


def search_settings():
    """What the index has once it is searched: the replicas, and
    Elasticsearch's defaults for the rest (None resets a setting)."""
    return {
        "refresh_interval": None,
        "number_of_replicas": replicas(),
        "translog.durability": None,
    }


# Two bulk requests in flight: Elasticsearch indexes one while the next is
# built in Python (and both of its write threads are used).
BULK_THREADS = 2


def create_index(client, name, **overrides):
    index = Index(name)
    index.settings(
        **{
            **SearchDocument.Index.settings,
            "number_of_replicas": replicas(),
            **overrides,
        }
    )
    index.document(SearchDocument)
    index.create(using=client)
    return name


def current_index(client):
    """The concrete index behind the alias, or None."""
    try:
        aliases = client.indices.get_alias(name=alias_name())
    except ApiError as error:
        if getattr(error, "status_code", None) == 404:
            return None
        raise
    return next(iter(aliases.body), None)


def ensure_index(client):
    """The index behind the alias, created (empty) if there is none."""
    name = current_index(client)
    if name is None:
        name = create_index(client, new_index_name())
        client.indices.put_alias(index=name, name=alias_name())
    return name


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
    from .tasks import replay_pending

    try:
        replay_pending.enqueue()
    except Exception:  # the outbox keeps the change; `search_index sync` replays it
        logger.exception("Could not enqueue the search index replay")


def replay_soon():
    """Replay waiting changes once the server answers again: called after a
    successful search, at most once a minute per cache."""
    from django.core.cache import cache

    if cache.add("klynge-search-replay-soon", True, timeout=60) and (
        PendingChange.objects.exists()
    ):
        _enqueue_replay()


# --- Replaying the outbox ---------------------------------------------------


def _actions(index, owner_id, docs, version):
    """Bulk actions that make the index hold exactly `docs` for `owner_id`."""
    for doc in docs:
        source = {key: value for key, value in doc.items() if key != "_id"}
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": doc["_id"],
            "_source": source,
            "version": version,
            "version_type": "external_gte",
        }


def _stale_ids(client, index, owner_id, keep):
    response = client.search(
        index=index,
        query={"term": {"page_id": owner_id}},
        source=False,
        size=10_000,
    )
    return [hit["_id"] for hit in response["hits"]["hits"] if hit["_id"] not in keep]


def _write(client, index, owner_id, docs, version, refresh=False):
    keep = {doc["_id"] for doc in docs}
    actions = list(_actions(index, owner_id, docs, version))
    actions += [
        {
            "_op_type": "delete",
            "_index": index,
            "_id": stale,
            "version": version,
            "version_type": "external_gte",
        }
        for stale in _stale_ids(client, index, owner_id, keep)
    ]
    for ok, result in streaming_bulk(
        client, actions, raise_on_error=False, raise_on_exception=True, refresh=refresh
    ):
        if not ok:
            ((_, detail),) = result.items()
            status = detail.get("status")
            # 409: a newer version is already there; 404: already deleted.
            if status not in (404, 409):
                raise WriteFailed(f"{detail.get('_id')}: {detail.get('error')}")


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
            _write(client, index, owner_id, docs, version, refresh=refresh)
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


# --- Rebuilding -------------------------------------------------------------


def rebuild(client=None, progress=None, extract=None, chunk_size=500):
    """Build a new index from the database and swap the alias to it.

    `progress(done, total)` is called as documents are written. Returns the
    new index's name and the number of documents.
    """
    client = client or connection.get_client()
    version = PendingChange.objects.aggregate(high=Max("pk"))["high"] or 0
    name = create_index(client, new_index_name(), **BULK_SETTINGS)
    total_owners = _owner_count()
    count = 0

    def actions():
        nonlocal count
        documents = all_documents(extract=extract or attachment_text)
        for done, (owner_id, docs) in enumerate(documents, 1):
            yield from _actions(name, owner_id, docs, version)
            count += len(docs)
            if progress:
                progress(done, total_owners)

    bulk_in_threads(client, actions(), chunk_size)
    client.indices.put_settings(index=name, settings=search_settings())
    client.indices.refresh(index=name)

    old = current_index(client)
    alias_actions = [{"add": {"index": name, "alias": alias_name()}}]
    if old:
        alias_actions.insert(0, {"remove": {"index": old, "alias": alias_name()}})
    client.indices.update_aliases(actions=alias_actions)
    if old:
        client.indices.delete(index=old, ignore_unavailable=True)
    # Changes that came in while the new index was filled.
    replay_all(client, extract=extract)
    return name, count


def bulk_in_threads(client, actions, chunk_size=500, threads=BULK_THREADS):
    """Write `actions` in bulk requests of `chunk_size`, sent from `threads`
    threads (one more chunk waits its turn) while this thread reads the next
    chunk from `actions`: they read the database, so they stay in the
    caller's thread, connection and transaction. Raises on the first
    document refused."""

    def send(chunk):
        for _ in streaming_bulk(client, chunk, chunk_size=len(chunk)):
            pass

    actions = iter(actions)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        in_flight = deque()
        while chunk := list(islice(actions, chunk_size)):
            in_flight.append(pool.submit(send, chunk))
            if len(in_flight) > threads:
                in_flight.popleft().result()
        while in_flight:
            in_flight.popleft().result()


def _owner_count():
    from klynge_pages.models import ClusterPage, MeetingPage

    return (
        ClusterPage.objects.filter(live=True).count()
        + MeetingPage.objects.filter(live=True).count()
    )


def status(client=None):
    """Counts for `search_index status`."""
    client = client or connection.get_client()
    pending = PendingChange.objects.all()
    oldest = pending.order_by("pk").first()
    info = {
        "alias": alias_name(),
        "index": None,
        "documents": {},
        "pending": pending.count(),
        "oldest_pending": oldest.created_at if oldest else None,
    }
    if client is None:
        return info
    info["index"] = current_index(client)
    if info["index"]:
        response = client.search(
            index=alias_name(),
            size=0,
            aggs={"types": {"terms": {"field": "doc_type"}}},
        )
        info["documents"] = {
            bucket["key"]: bucket["doc_count"]
            for bucket in response["aggregations"]["types"]["buckets"]
        }
    return info
