"""One rule of publication, asked by every surface.

A tree with a draft meeting, a private meeting, live minutes under a draft
meeting, a live meeting under an unpublished cluster and a closed item: the
public pages, `public_page_ids`, the database search, the index's documents,
the exports, OParl and the document downloads must agree on what a citizen
can see.
"""

import pytest
from django.http import Http404
from django.urls import reverse
from wagtail.models import PageViewRestriction

from klynge_exports.public import published_meeting, published_minutes
from klynge_pages.models import AgendaItemAttachment, MeetingPage, public_page_ids
from klynge_search.documents import documents_for
from klynge_search.engines import DatabaseEngine
from klynge_search.query import SearchParams
from klynge_security.documents import public_document_ids

from .factories import (
    local,
    make_cluster,
    make_document,
    make_meeting,
    make_minutes,
    publish,
)

pytestmark = pytest.mark.django_db

API = "/oparl/v1.1/"


def attach(meeting, cluster, number, title):
    item = meeting.agenda_items.get(number=number)
    document = make_document(title, cluster=cluster)
    item.attachments = [AgendaItemAttachment(document=document, label="Bilag 1")]
    item.save()
    return document


@pytest.fixture
def tree(home_page):
    shown = make_cluster(title="Klynge Vest")
    hidden = make_cluster(title="Klynge Skjult")

    public = make_meeting(shown, start=local(2024, 3, 5, 14), closed=(2,))
    public_doc = attach(public, shown, 1, "Offentligt bilag")
    closed_doc = attach(public, shown, 2, "Lukket bilag")
    publish(MeetingPage.objects.get(pk=public.pk))
    public_minutes = make_minutes(public)

    draft = make_meeting(shown, start=local(2024, 4, 5, 14))
    minutes_under_draft = make_minutes(draft)
    MeetingPage.objects.get(pk=draft.pk).unpublish()

    private = make_meeting(shown, start=local(2024, 5, 5, 14))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    private_minutes = make_minutes(private)

    orphan = make_meeting(hidden, start=local(2024, 6, 5, 14))
    orphan_doc = attach(orphan, hidden, 1, "Bilag under skjult klynge")
    publish(MeetingPage.objects.get(pk=orphan.pk))
    orphan_minutes = make_minutes(orphan)
    hidden.unpublish()

    return {
        "clusters": {"shown": shown, "hidden": hidden},
        "meetings": {
            "public": public,
            "draft": draft,
            "private": private,
            "orphan": orphan,
        },
        "minutes": {
            "public": public_minutes,
            "under draft": minutes_under_draft,
            "private": private_minutes,
            "orphan": orphan_minutes,
        },
        "documents": {"public": public_doc, "closed": closed_doc, "orphan": orphan_doc},
    }


def all_pages(tree):
    return {
        f"{kind} {name}": page
        for kind in ("clusters", "meetings", "minutes")
        for name, page in tree[kind].items()
    }


def expected(tree):
    return {
        tree["clusters"]["shown"].pk,
        tree["meetings"]["public"].pk,
        tree["minutes"]["public"].pk,
    }


def test_the_rule_and_the_public_pages_agree(client, tree):
    pages = all_pages(tree)
    assert public_page_ids([page.pk for page in pages.values()]) == expected(tree)
    for name, page in pages.items():
        response = client.get(page.url)
        served = response.status_code == 200
        assert served == (page.pk in expected(tree)), (name, response.status_code)


def test_the_database_search_agrees(tree):
    results = DatabaseEngine().search(SearchParams(q="punkt nummer"))
    meetings = {hit.url.split("#")[0] for hit in results.hits}
    assert meetings == {tree["meetings"]["public"].url}
    results = DatabaseEngine().search(SearchParams(q="Møde"))
    assert {hit.url for hit in results.hits if hit.doc_type == "moede"} == {
        tree["meetings"]["public"].url
    }


def test_the_index_documents_agree(tree):
    for name, page in all_pages(tree).items():
        if name.startswith("minutes"):
            continue
        indexed = bool(documents_for(page.specific))
        assert indexed == (page.pk in expected(tree)), name


def exported(published, pk):
    try:
        published(pk)
    except Http404:
        return False
    return True


def test_the_exports_agree(client, tree):
    for name, meeting in tree["meetings"].items():
        assert exported(published_meeting, meeting.pk) == (name == "public"), name
        response = client.get(reverse("klynge_exports:agenda_pdf", args=[meeting.pk]))
        assert (response.status_code == 200) == (name == "public"), name
    for name, minutes in tree["minutes"].items():
        assert exported(published_minutes, minutes.pk) == (name == "public"), name


def test_oparl_agrees(client, tree):
    shown = {}
    url = f"{API}body"
    bodies = client.get(url).json()["data"]
    for body in bodies:
        url = body["meeting"]
        while url:
            page = client.get(url).json()
            for meeting in page["data"]:
                shown[meeting["id"]] = meeting.get("deleted", False)
            url = page["links"].get("next")
    live = {key for key, deleted in shown.items() if not deleted}
    assert live == {f"http://testserver{API}meeting/{tree['meetings']['public'].pk}"}
    for name, meeting in tree["meetings"].items():
        response = client.get(f"{API}meeting/{meeting.pk}")
        if name == "public":
            assert response.json().get("deleted") is not True
        else:
            assert response.status_code == 404 or response.json().get("deleted")


def test_the_document_downloads_agree(client, tree):
    documents = tree["documents"]
    assert public_document_ids([doc.pk for doc in documents.values()]) == {
        documents["public"].pk
    }
    for name, document in documents.items():
        response = client.get(document.url)
        assert (response.status_code == 200) == (name == "public"), name
