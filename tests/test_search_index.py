"""The public search index on the real Elasticsearch server: what goes in,
what never does, and that it stays true through publishing, unpublishing,
deleting, moving, privacy, sign-off, an unreachable server and a rebuild."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from klynge_pages.models import AgendaItemAttachment, ClusterPage, MeetingPage
from klynge_search import indexer, indices, outbox
from klynge_search.models import PendingChange

from .factories import local, make_cluster, make_meeting, make_minutes

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


def docs(es_client, **term):
    query = {"term": term} if term else {"match_all": {}}
    response = es_client.search(
        index=indices.alias_name(), query=query, size=1000, sort=["_doc"]
    )
    return {hit["_id"]: hit["_source"] for hit in response["hits"]["hits"]}


def meeting_with_items(cluster, **fields):
    meeting = make_meeting(cluster, start=local(2024, 3, 6, 16, 30), items=0, **fields)
    meeting.agenda_items.create(
        number=1,
        title="Sundhedsaftalen og hospitalernes udskrivning",
        description="<p>Drøftelse af genoptræningsplaner.</p>",
        recommendation="<p>Det indstilles, at styregruppen godkender planen.</p>",
        sort_order=0,
    )
    meeting.agenda_items.create(
        number=2,
        title="Personalesag",
        description="<p>Fortroligt: Jensens opsigelse.</p>",
        recommendation="<p>Hemmelig indstilling.</p>",
        closed=True,
        sort_order=1,
    )
    meeting.save_revision().publish()
    return MeetingPage.objects.get(pk=meeting.pk)


@pytest.fixture
def cluster():
    return make_cluster(title="Klyngestyregruppe Midt")


def test_a_published_meeting_gives_meeting_and_item_documents(
    es_client, search_index, cluster
):
    meeting = meeting_with_items(cluster)
    search_index()

    found = docs(es_client, page_id=meeting.pk)

    types = sorted(doc["doc_type"] for doc in found.values())
    assert types == ["moede", "punkt", "punkt"]
    item = found[f"punkt-{meeting.agenda_items.get(number=1).uuid}"]
    assert item["cluster"] == "Klyngestyregruppe Midt"
    assert item["year"] == 2024
    assert "genoptræningsplaner" in item["text"]
    assert item["url"].endswith(f"#punkt-{meeting.agenda_items.get(number=1).uuid}")
    assert "genoptræning" in item["compounds"].split()


def test_a_closed_item_contributes_its_title_and_nothing_else(
    es_client, search_index, cluster
):
    meeting = meeting_with_items(cluster)
    search_index()

    everything = str(docs(es_client))

    closed = docs(es_client, page_id=meeting.pk)[
        f"punkt-{meeting.agenda_items.get(number=2).uuid}"
    ]
    assert closed["title"] == "Personalesag"
    assert not closed.get("text") and not closed.get("recommendation")
    assert "Jensen" not in everything
    assert "Hemmelig" not in everything


def test_drafts_are_never_indexed(es_client, search_index, cluster):
    draft = make_meeting(cluster, live=False, title="Kladdemødet")
    search_index()

    assert not docs(es_client, page_id=draft.pk)
    assert "Kladdemødet" not in str(docs(es_client))


def test_unpublish_and_delete_remove_the_documents(es_client, search_index, cluster):
    first = meeting_with_items(cluster)
    second = make_meeting(cluster, start=local(2024, 5, 1, 10), items=2)
    search_index()
    assert docs(es_client, page_id=first.pk) and docs(es_client, page_id=second.pk)

    first.unpublish()
    second.delete()
    search_index()

    assert not docs(es_client, page_id=first.pk)
    assert not docs(es_client, page_id=second.pk)


def test_a_private_or_unpublished_cluster_takes_its_meetings_out(
    es_client, search_index, cluster
):
    meeting = meeting_with_items(cluster)
    search_index()

    restriction = PageViewRestriction.objects.create(
        page=cluster, restriction_type=PageViewRestriction.LOGIN
    )
    search_index()
    assert not docs(es_client, page_id=meeting.pk)
    assert not docs(es_client, page_id=cluster.pk)

    restriction.delete()
    search_index()
    assert docs(es_client, page_id=meeting.pk)

    cluster.unpublish()
    search_index()
    assert not docs(es_client, page_id=meeting.pk)


def test_moving_a_meeting_updates_its_cluster(es_client, search_index, cluster):
    other = make_cluster(title="Politisk klynge Nord", area="nord")
    meeting = meeting_with_items(cluster)
    search_index()

    meeting.move(other, pos="last-child")
    search_index()

    clusters = {doc["cluster"] for doc in docs(es_client, page_id=meeting.pk).values()}
    assert clusters == {"Politisk klynge Nord"}


def test_decisions_are_indexed_only_once_the_minutes_are_live(
    es_client, search_index, cluster
):
    meeting = meeting_with_items(cluster)
    item = meeting.agenda_items.get(number=1)
    minutes = make_minutes(
        meeting,
        live=False,
        decisions={
            1: "<p>Godkendt med bemærkninger om genoptræning.</p>",
            2: "<p>Lukket.</p>",
        },
    )
    search_index()
    assert not docs(es_client, page_id=meeting.pk)[f"punkt-{item.uuid}"].get("decision")

    minutes.save_revision().publish()
    search_index()

    found = docs(es_client, page_id=meeting.pk)
    assert "Godkendt med bemærkninger" in found[f"punkt-{item.uuid}"]["decision"]
    closed = meeting.agenda_items.get(number=2)
    assert not found[f"punkt-{closed.uuid}"].get("decision")


def test_publishing_succeeds_when_elasticsearch_is_down_and_the_outbox_catches_up(
    es_client, search_index, cluster, settings, django_capture_on_commit_callbacks
):
    search_index()  # the index exists, empty
    real_url = settings.KLYNGE_ELASTICSEARCH_URL
    settings.KLYNGE_ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there

    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_with_items(cluster)

    assert MeetingPage.objects.get(pk=meeting.pk).live
    waiting = PendingChange.objects.filter(page_id=meeting.pk)
    assert waiting.exists()
    assert waiting.first().attempts >= 1
    assert waiting.first().last_error

    settings.KLYNGE_ELASTICSEARCH_URL = real_url
    out = StringIO()
    call_command("search_index", "sync", stdout=out)
    es_client.indices.refresh(index=indices.alias_name())

    assert "Tilbage: 0" in out.getvalue()
    assert len(docs(es_client, page_id=meeting.pk)) == 3
    assert not PendingChange.objects.exists()


def test_publishing_replays_the_outbox_after_commit(
    es_client, search_index, cluster, django_capture_on_commit_callbacks
):
    search_index()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_with_items(cluster)
    es_client.indices.refresh(index=indices.alias_name())

    assert len(docs(es_client, page_id=meeting.pk)) == 3
    assert not PendingChange.objects.exists()


def test_an_older_replay_never_overwrites_a_newer_one(es_client, search_index, cluster):
    meeting = meeting_with_items(cluster)
    search_index()
    index = indices.current_index(es_client)
    newer = [
        {"_id": "punkt-x", "doc_type": "punkt", "page_id": meeting.pk, "title": "Ny"}
    ]
    older = [
        {
            "_id": "punkt-x",
            "doc_type": "punkt",
            "page_id": meeting.pk,
            "title": "Gammel",
        }
    ]

    indices.write_documents(
        es_client, index, meeting.pk, newer, version=10_000, refresh=True
    )
    indices.write_documents(
        es_client, index, meeting.pk, older, version=9_999, refresh=True
    )

    assert docs(es_client, page_id=meeting.pk)["punkt-x"]["title"] == "Ny"


def test_rebuild_swaps_the_alias_to_a_new_complete_index(
    es_client, search_index, cluster
):
    meeting = meeting_with_items(cluster)
    search_index()
    before = indices.current_index(es_client)
    before_docs = docs(es_client)

    out = StringIO()
    call_command("search_index", "rebuild", "--no-progress", stdout=out)

    after = indices.current_index(es_client)
    assert after != before
    assert not es_client.indices.exists(index=before)
    assert docs(es_client).keys() == before_docs.keys()
    assert "peger nu på det" in out.getvalue()
    assert docs(es_client, page_id=meeting.pk)


def test_status_shows_counts_and_the_pending_changes(es_client, search_index, cluster):
    meeting_with_items(cluster)
    search_index()
    make_meeting(cluster, start=local(2024, 9, 1, 10), items=1)  # waits in the outbox

    out = StringIO()
    call_command("search_index", "status", stdout=out)

    text = out.getvalue()
    assert "punkt: 2" in text
    assert "moede: 1" in text
    assert "klynge: 1" in text
    assert "Ventende ændringer: 1" in text


def test_the_outbox_is_replayed_by_itself_once_the_server_answers_again(
    client, es_client, search_index, cluster, settings
):
    search_index()
    real_url = settings.KLYNGE_ELASTICSEARCH_URL
    settings.KLYNGE_ELASTICSEARCH_URL = "http://127.0.0.1:9"
    meeting = meeting_with_items(cluster)
    outbox.replay()  # fails: the server is "down"
    assert PendingChange.objects.filter(page_id=meeting.pk).exists()

    settings.KLYNGE_ELASTICSEARCH_URL = real_url
    response = client.get("/soeg/", {"q": "udskrivning"})  # a citizen searches

    assert response.status_code == 200
    assert not PendingChange.objects.exists()
    es_client.indices.refresh(index=indices.alias_name())
    assert len(docs(es_client, page_id=meeting.pk)) == 3


def test_attachments_of_open_items_are_indexed_with_their_text(
    es_client, search_index, cluster
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    meeting = meeting_with_items(cluster)
    open_item = meeting.agenda_items.get(number=1)
    closed_item = meeting.agenda_items.get(number=2)
    plan = Document.objects.create(
        title="Genoptræningsplan",
        file=ContentFile("Plan for genoptræning i kommunerne.".encode(), "plan.txt"),
        collection=ClusterPage.objects.get(pk=cluster.pk).collection,
    )
    secret = Document.objects.create(
        title="Fortroligt bilag",
        file=ContentFile(b"Hemmeligt om Jensen.", "hemmeligt.txt"),
        collection=ClusterPage.objects.get(pk=cluster.pk).collection,
    )
    AgendaItemAttachment.objects.create(item=open_item, document=plan, label="Bilag 1")
    AgendaItemAttachment.objects.create(
        item=closed_item, document=secret, label="Bilag 2"
    )
    meeting.save_revision().publish()
    search_index()

    attachments = [
        doc
        for doc in docs(es_client, page_id=meeting.pk).values()
        if doc["doc_type"] == "bilag"
    ]
    assert [doc["title"] for doc in attachments] == ["Bilag 1 – Genoptræningsplan"]
    assert "genoptræning i kommunerne" in attachments[0]["text"]
    assert "Jensen" not in str(docs(es_client))


def test_rebuild_fills_with_bulk_settings_and_restores_the_search_settings(
    es_client, search_index, cluster, monkeypatch
):
    meeting_with_items(cluster)
    search_index()
    seen = {}
    real_bulk_in_threads = indices.bulk_in_threads

    def bulk_in_threads(client, actions, *args, **kwargs):
        actions = list(actions)
        name = actions[0]["_index"]
        seen.update(es_client.indices.get_settings(index=name)[name]["settings"])
        return real_bulk_in_threads(client, actions, *args, **kwargs)

    monkeypatch.setattr(indexer, "bulk_in_threads", bulk_in_threads)
    name, count = indexer.rebuild(es_client)

    # While it is filled: no refreshes, no replicas, the translog in the
    # background; one shard.
    assert seen["index"]["refresh_interval"] == "-1"
    assert seen["index"]["number_of_replicas"] == "0"
    assert seen["index"]["translog"]["durability"] == "async"
    assert seen["index"]["number_of_shards"] == "1"
    # Once searched: Elasticsearch's defaults again.
    after = es_client.indices.get_settings(index=name)[name]["settings"]["index"]
    assert "refresh_interval" not in after
    assert "durability" not in after.get("translog", {})
    assert after["number_of_replicas"] == "0"
    assert indices.current_index(es_client) == name
    assert count == len(docs(es_client)) == 4  # cluster, meeting, two items
