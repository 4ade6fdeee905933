"""Shared fixtures, and the rule for tests that need a real server.

A test marked `elasticsearch` or `postgresql` needs that server. Without it,
the test is skipped on a developer's machine but fails in CI (CI=true): CI
must never pass by not testing.
"""

import os
import uuid

import pytest
from django.conf import settings
from django.db import connection
from wagtail.models import Page, Site

from klynge_search import connection as search_connection
from klyngeportal_site.models import HomePage

from . import signoff_world

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# The fault tests of tests/production/ run against the production topology,
# in a stage of their own (`scripts/production.sh test`, which names the
# topology in KLYNGE_TOPOLOGY); the suite leaves them out.
collect_ignore = [] if os.environ.get("KLYNGE_TOPOLOGY") else ["production"]


def _missing(reason):
    if IN_CI:
        pytest.fail(
            f"{reason} (CI=true: a missing service is a failure)", pytrace=False
        )
    pytest.skip(reason)


def _elasticsearch_problem():
    if not search_connection.is_configured():
        return "ELASTICSEARCH_URL (KLYNGE_ELASTICSEARCH_URL) is not set"
    try:
        search_connection.get_client().cluster.health(timeout="5s")
    except Exception as exc:  # noqa: BLE001 - any failure means "not there"
        url = settings.KLYNGE_ELASTICSEARCH_URL
        return f"Elasticsearch at {url} does not answer: {exc}"
    return None


def pytest_runtest_setup(item):
    if item.get_closest_marker("elasticsearch"):
        problem = _elasticsearch_problem()
        if problem:
            _missing(problem)
    if item.get_closest_marker("postgresql"):
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            _missing(f"DATABASE_URL does not name PostgreSQL (engine: {engine})")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the locmem cache of the test
    settings would otherwise carry rate-limit counts, rendered PDFs and
    cached URLs from one test to the next)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def es_client():
    return search_connection.get_client()


@pytest.fixture
def es_index_name(es_client):
    """A fresh index name for one test; the index is deleted afterwards."""
    name = search_connection.index_name(f"t-{uuid.uuid4().hex[:12]}")
    yield name
    es_client.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture
def db_vendor(db):
    return connection.vendor


@pytest.fixture
def home_page(db):
    """A published HomePage as the root of the default site."""
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Sundhedsaftalens klynger",
            slug="forside-test",
            intro="<p>Klyngernes møder og referater.</p>",
        )
    )
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def search_index(settings, es_client):
    """A public search index of its own for one test (the real server):
    yields a function that replays the outbox and refreshes, so what the
    test published is searchable."""
    from django.core.cache import cache

    from klynge_search import outbox

    settings.KLYNGE_SEARCH_INDEX_PREFIX = f"klyngeportal-test-{uuid.uuid4().hex[:10]}"
    cache.clear()  # e.g. the once-a-minute replay after a search

    def sync():
        applied, left = outbox.replay_all(es_client, refresh=True)
        assert left == 0, "the outbox did not empty"
        return applied

    yield sync
    es_client.indices.delete(
        index=f"{settings.KLYNGE_SEARCH_INDEX_PREFIX}-*", ignore_unavailable=True
    )


@pytest.fixture
def signoff_setup():
    """Draft minutes of a cluster that signs off per member organisation,
    and its users by role (see signoff_world.py)."""
    return signoff_world.build()
