"""What the search raises when Elasticsearch cannot do its part. The read
path (the engines) and the write path (the index, the outbox) both catch
`UNAVAILABLE`: the public search then answers from the database, and the
outbox keeps what was not written."""

from elasticsearch import ApiError, TransportError


class WriteFailed(Exception):
    """Elasticsearch refused a document (other than for an older version)."""


class SearchFailed(Exception):
    """Elasticsearch answered a search request of an `msearch` with an error."""


UNAVAILABLE = (TransportError, ApiError, OSError, WriteFailed, SearchFailed)
