"""The search index: one versioned index behind an alias, and the writes.

The public alias (`index_name("sider")`) always points at one complete
index, `<alias>-<timestamp>`. A rebuild (indexer.py) fills a new index and
swaps the alias in one atomic request, so searches keep working meanwhile.

Every write carries an external version: the id of the outbox row it
replays (outbox.py; a rebuild writes with the highest id at its start, then
replays the rows that came in meanwhile). Elasticsearch keeps the highest
version it has seen, so a replay that comes late or twice never undoes a
newer one.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import islice

from elasticsearch import ApiError
from elasticsearch.dsl import Index
from elasticsearch.helpers import streaming_bulk

from klynge_pages.conf import klynge_settings

from . import connection
from .documents import SearchDocument
from .errors import WriteFailed

ALIAS = "sider"


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


def write_actions(index, owner_id, docs, version):
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


def write_documents(client, index, owner_id, docs, version, refresh=False):
    keep = {doc["_id"] for doc in docs}
    actions = list(write_actions(index, owner_id, docs, version))
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
