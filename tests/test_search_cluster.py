"""The public search on a cluster of Elasticsearch nodes with several app
server processes (docs/operations.md): several nodes in ELASTICSEARCH_URL,
replicas, the cluster names in the shared cache, and replays that run at
the same time in different processes."""

import threading

import pytest
from django.db import connection as db_connection
from wagtail.models import Page

from klynge_pages.models import ClusterPage, MeetingPage
from klynge_search import connection, indices, outbox
from klynge_search.engines.elasticsearch import (
    _search_client,
    cluster_names,
    forget_cluster_names,
)
from klynge_search.models import PendingChange

from .factories import make_cluster, make_meeting, publish


def test_elasticsearch_url_may_name_several_nodes(settings):
    settings.KLYNGE_ELASTICSEARCH_URL = (
        "http://127.0.0.1:9201, http://127.0.0.1:9202,http://127.0.0.1:9203"
    )

    assert connection.node_urls() == [
        "http://127.0.0.1:9201",
        "http://127.0.0.1:9202",
        "http://127.0.0.1:9203",
    ]
    client = connection._client_for(settings.KLYNGE_ELASTICSEARCH_URL)
    assert len(client.transport.node_pool.all()) == 3


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_a_search_goes_to_the_next_node_when_one_refuses(client, settings):
    # Port 9 (discard) on loopback refuses; the real server answers.
    settings.KLYNGE_ELASTICSEARCH_URL = (
        f"http://127.0.0.1:9,{settings.KLYNGE_ELASTICSEARCH_URL}"
    )
    settings.KLYNGE_SEARCH_INDEX_PREFIX = "klyngeportal-test-nodes"
    es_client = connection.get_client()
    indices.ensure_index(es_client)
    try:
        # Requests go round the nodes: each of them meets the refusing node
        # first or second.
        pages = [client.get("/soeg/", {"q": "møde"}).text for _ in range(4)]
    finally:
        es_client.indices.delete(index="klyngeportal-test-nodes-*")

    assert all("ikke tilgængelig lige nu" not in page for page in pages)
    # A slow node is not asked twice: only a refusal moves on.
    search_client = _search_client(es_client, 1.5)
    assert search_client._retry_on_timeout is False
    assert search_client._max_retries == 1


def test_replicas_follow_the_setting(settings):
    assert indices.search_settings()["number_of_replicas"] == 0
    settings.KLYNGE_SEARCH_INDEX_REPLICAS = 1

    assert indices.replicas() == 1
    assert indices.search_settings()["number_of_replicas"] == 1


@pytest.mark.elasticsearch
def test_a_new_index_gets_the_replicas(settings, es_client, es_index_name):
    settings.KLYNGE_SEARCH_INDEX_REPLICAS = 1

    indices.create_index(es_client, es_index_name)

    index = es_client.indices.get_settings(index=es_index_name)[es_index_name]
    assert index["settings"]["index"]["number_of_replicas"] == "1"


@pytest.mark.django_db
def test_cluster_names_are_shared_through_the_cache(django_assert_num_queries):
    cluster = make_cluster(title="Klynge Midt")
    forget_cluster_names()
    with django_assert_num_queries(1):
        assert cluster_names([cluster.pk])[cluster.pk] == "Klynge Midt"
    # Another process renamed it: its signal cleared the shared entry.
    ClusterPage.objects.filter(pk=cluster.pk).update(title="Klynge Midt (ny)")
    forget_cluster_names()

    with django_assert_num_queries(1):
        assert cluster_names([cluster.pk])[cluster.pk] == "Klynge Midt (ny)"
    with django_assert_num_queries(0):
        cluster_names([cluster.pk])


@pytest.mark.django_db
def test_saving_a_cluster_clears_the_shared_names():
    cluster = make_cluster(title="Klynge Midt")
    cluster_names([cluster.pk])
    page = Page.objects.get(pk=cluster.pk).specific
    page.title = "Klynge Midt (ny)"
    publish(page)

    assert cluster_names([cluster.pk])[cluster.pk] == "Klynge Midt (ny)"


@pytest.mark.elasticsearch
@pytest.mark.postgresql
# Threads with connections of their own need committed rows. Transactional
# tests empty the tables; the migrations' data (the tree's root) is put back
# first, as for the browser tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replays_at_the_same_time_apply_each_change_once(
    settings, es_client, search_index
):
    """The task worker and `search_index sync` replay the outbox at the same
    time: each row is applied by one of them only."""
    # Queued, not replayed right after each publish.
    settings.TASKS = {
        **settings.TASKS,
        "worker": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    cluster = make_cluster(title="Klynge Midt")
    for n in range(6):
        make_meeting(cluster, items=2, title=f"Møde {n}")
    rows = PendingChange.objects.count()
    assert rows >= 7
    barrier = threading.Barrier(3)
    applied, errors = [], []

    def replay():
        try:
            barrier.wait()
            applied.append(outbox.replay(es_client, limit=1000, refresh=True)[0])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=replay) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(applied) == rows
    assert sorted(applied)[:2] == [0, 0]
    assert not PendingChange.objects.exists()
    assert MeetingPage.objects.filter(live=True).count() == 6
