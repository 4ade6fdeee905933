"""Rebuilding the search index from the database, and its status.

A rebuild fills a new index (indices.py) with every document of the site,
swaps the alias to it, and replays the changes that came in meanwhile
(outbox.py).
"""

from django.db.models import Max

from klynge_pages.models import ClusterPage, MeetingPage

from . import connection
from .attachments import attachment_text
from .documents import all_documents
from .indices import (
    BULK_SETTINGS,
    alias_name,
    bulk_in_threads,
    create_index,
    current_index,
    new_index_name,
    search_settings,
    write_actions,
)
from .models import PendingChange
from .outbox import replay_all

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
            yield from write_actions(name, owner_id, docs, version)
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


def _owner_count():
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
