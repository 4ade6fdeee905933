"""Search results that read well: words at the boundary of two blocks
(paragraphs, list items, headings) stay two words, in the index text, in
the snippets of both engines, and as Elasticsearch's tokens. Checked on the
seed minutes of Klyngestyregruppe Midt, whose item 2 ends a paragraph with
"organisering." and goes on with a bullet list of fora."""

import re

import pytest
from django.utils.html import strip_tags

from klynge_pages.models import ClusterPage
from klynge_search import indices
from klynge_search.documents import cluster_documents, documents_for

from .factories import seed_minutes_meeting

pytestmark = pytest.mark.django_db

# A lower-case letter, perhaps a full stop, then a capitalised word: the mark
# of two blocks glued together ("voksneSamarbejdsforum",
# "organisering.Samarbejdsforum"). The seed text has none of its own.
GLUED = re.compile(r"[a-zæøå]\.?[A-ZÆØÅ][a-zæøå]")
LIST_TEXT = (
    "organisering. Samarbejdsforum for somatik voksne Samarbejdsforum for "
    "psykiatri voksne Samarbejdsforum for Børn og unge somatik"
)


@pytest.fixture
def demo():
    return seed_minutes_meeting()


def item_document(docs, number):
    return next(
        doc
        for doc in docs
        if doc["doc_type"] == "punkt" and doc["item_number"] == number
    )


def test_the_seed_minutes_index_text_has_a_space_at_every_block_boundary(demo):
    docs = documents_for(demo)

    assert LIST_TEXT in item_document(docs, 2)["decision"]
    for doc in docs:
        for field in ("title", "text", "recommendation", "decision", "compounds"):
            value = doc.get(field) or ""
            assert not GLUED.search(value), (doc["_id"], field, GLUED.findall(value))


def test_the_seed_kommissorium_text_keeps_its_headings_and_lists_apart(demo):
    cluster = demo.get_parent().specific

    (doc,) = cluster_documents(cluster)

    assert "Formål" in doc["text"]
    assert not GLUED.search(doc["text"]), GLUED.findall(doc["text"])


def snippet_texts(client, q):
    data = client.get("/soeg/", {"q": q, "format": "json"}).json()
    return data, [strip_tags(hit["snippet"]) for hit in data["hits"]]


def test_database_snippets_of_the_seed_minutes_read_well(client, settings, demo):
    settings.KLYNGE_ELASTICSEARCH_URL = ""

    data, snippets = snippet_texts(client, "somatik")

    assert data["engine"] == "database"
    assert any(
        "organisering. Samarbejdsforum for somatik voksne" in s for s in snippets
    )
    for snippet in snippets:
        assert not GLUED.search(snippet), snippet


def test_the_database_engine_finds_words_at_a_block_boundary(client, settings, demo):
    """The database backend's own index text (Wagtail's `search_fields`):
    the cluster's kommissorium, a rich text stream of headed sections."""
    settings.KLYNGE_ELASTICSEARCH_URL = ""
    cluster = ClusterPage.objects.get(pk=demo.get_parent().pk)
    cluster.intro = "<p>Klyngen mødes to gange.</p><ul><li>Sammenfatning</li></ul>"
    cluster.save_revision().publish()

    data, _snippets = snippet_texts(client, "gange sammenfatning")

    assert cluster.title in [hit["title"] for hit in data["hits"]]


@pytest.mark.elasticsearch
def test_elasticsearch_tokens_and_snippets_of_the_seed_minutes_read_well(
    client, es_client, search_index, demo
):
    search_index()
    item = demo.agenda_items.get(number=2)

    vectors = es_client.termvectors(
        index=indices.alias_name(), id=f"punkt-{item.uuid}", fields=["decision"]
    )
    terms = set(vectors["term_vectors"]["decision"]["terms"])
    assert not [term for term in terms if "." in term or "samarbejd" in term[1:]], terms
    assert {"organisering", "somatik", "psykiatri"} <= terms

    data, snippets = snippet_texts(client, "somatik")
    assert data["engine"] == "elasticsearch"
    assert any("somatik voksne Samarbejdsforum for psykiatri" in s for s in snippets)
    for snippet in snippets:
        assert not GLUED.search(snippet), snippet
