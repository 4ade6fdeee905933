"""The Elasticsearch client of the public search, configured by settings."""

from functools import cache

from elasticsearch import Elasticsearch

from klynge_pages.conf import klynge_settings


def is_configured():
    """True when KLYNGE_ELASTICSEARCH_URL names a server (or several nodes of
    a cluster, comma-separated); otherwise the public search falls back to
    Wagtail's database search backend."""
    return bool(klynge_settings.ELASTICSEARCH_URL)


def get_client():
    if not is_configured():
        return None
    return _client_for(klynge_settings.ELASTICSEARCH_URL)


def node_urls(url=None):
    """The nodes named by KLYNGE_ELASTICSEARCH_URL (or `url`)."""
    url = klynge_settings.ELASTICSEARCH_URL if url is None else url
    return [node.strip() for node in url.split(",") if node.strip()]


@cache
def _client_for(url):
    # Requests go round the nodes; one that does not answer is left out for
    # a while and the request goes to the next.
    return Elasticsearch(
        node_urls(url),
        request_timeout=30,
        retry_on_timeout=True,
        max_retries=2,
    )


def index_name(name):
    """The index (or alias) name for `name`, with this deployment's prefix."""
    return f"{klynge_settings.SEARCH_INDEX_PREFIX}-{name}"


def server_version(client):
    # The test distribution has no rest-root module, so `client.info()`
    # (GET /) is not there; the nodes API is.
    nodes = client.nodes.info(node_id="_local", metric="_none").body["nodes"]
    return next(iter(nodes.values()))["version"]
