"""The engines behind the public search page, chosen by configuration:
Elasticsearch (elasticsearch.py) when KLYNGE_ELASTICSEARCH_URL is set, the
database (database.py) otherwise, and the database too while Elasticsearch
does not answer in time. Both implement `SearchEngine` (base.py) and return
the same `Results`."""

from django.utils.translation import gettext as _

from .. import connection
from ..errors import UNAVAILABLE
from .database import DatabaseEngine
from .elasticsearch import ElasticsearchEngine

__all__ = ["DatabaseEngine", "ElasticsearchEngine", "engine_for_request", "search"]


def engine_for_request():
    return ElasticsearchEngine() if connection.is_configured() else DatabaseEngine()


def search(params):
    """Results for `params`, from the configured engine when it answers in
    time, otherwise from the database with a notice."""
    engine = engine_for_request()
    try:
        results = engine.search(params)
    except UNAVAILABLE:
        results = DatabaseEngine().search(params)
        results.notice = _(
            "Den fulde søgning er ikke tilgængelig lige nu. Resultaterne "
            "kommer fra en enklere søgning og kan være færre."
        )
        return results
    engine.after_search()
    return results
