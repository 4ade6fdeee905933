"""The plumbing of the public search against the real Elasticsearch server."""

import pytest
from elasticsearch.dsl import Document, Index, Text

from klynge_search.analysis import danish
from klynge_search.connection import server_version

pytestmark = pytest.mark.elasticsearch


def make_index(client, name):
    class Item(Document):
        title = Text(analyzer=danish)

    index = Index(name, using=client)
    index.document(Item)
    index.create()
    return index, Item


def test_server_is_elasticsearch_8(es_client):
    major = int(server_version(es_client).split(".")[0])

    assert major == 8


def test_danish_analysis_stems_with_hunspell(es_client, es_index_name):
    make_index(es_client, es_index_name)

    tokens = es_client.indices.analyze(
        index=es_index_name,
        analyzer="danish_hunspell",
        text="Hospitalerne og psykiatrien i møderne",
    )["tokens"]

    # "og" and "i" are Danish stop words; the rest are reduced to their stems.
    assert [t["token"] for t in tokens] == ["hospital", "psykiatri", "møde"]


@pytest.mark.parametrize(
    "query",
    ["hospitalet", "hospitaler", "HOSPITAL", "hospitalerne"],
)
def test_inflected_form_finds_the_document(es_client, es_index_name, query):
    _, Item = make_index(es_client, es_index_name)
    Item(title="Samarbejde med hospitalerne om udskrivning").save(
        using=es_client, index=es_index_name, refresh=True
    )
    Item(title="Dagsorden for mødet i klyngestyregruppen").save(
        using=es_client, index=es_index_name, refresh=True
    )

    hits = (
        Item.search(using=es_client, index=es_index_name)
        .query("match", title=query)
        .execute()
    )

    assert [hit.title for hit in hits] == ["Samarbejde med hospitalerne om udskrivning"]


def test_stop_words_alone_find_nothing(es_client, es_index_name):
    _, Item = make_index(es_client, es_index_name)
    Item(title="Referat af mødet").save(
        using=es_client, index=es_index_name, refresh=True
    )

    hits = (
        Item.search(using=es_client, index=es_index_name)
        .query("match", title="af og i")
        .execute()
    )

    assert len(hits) == 0
