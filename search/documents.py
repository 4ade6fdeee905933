"""What the public search indexes: one document per agenda item, meeting,
cluster and attachment, built from live, public pages only.

A page "owns" documents: a cluster its cluster document; a meeting its
meeting document, one per agenda item and one per attachment of an open
item. Minutes own none: their decisions are part of their meeting's item
documents, so a change to minutes re-indexes the meeting (`owner_of`).

A closed agenda item ("lukket punkt") contributes its title and nothing
else: no case text, recommendation, decision, tags or attachments.
"""

import unicodedata

from django.db.models import Prefetch
from django.db.models.functions import Substr
from django.utils.text import Truncator
from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Integer,
    Keyword,
    Text,
    analyzer,
    token_filter,
)

from klynge_pages.blocks import TERMS_SECTIONS
from klynge_pages.cluster_documents import document_owners
from klynge_pages.models import (
    AgendaItem,
    AgendaItemAttachment,
    AgendaItemTag,
    ClusterPage,
    MeetingPage,
    MinutesDecision,
    MinutesPage,
    public_page_ids,
)
from klynge_pages.richtext import plain_text
from klynge_pages.rules import local_date

from . import compounds
from .analysis import danish

# Word pairs and triples for the phrase suggester ("Mente du …?").
shingles = analyzer(
    "shingles",
    tokenizer="standard",
    filter=[
        "lowercase",
        token_filter(
            "shingle_2_3", type="shingle", min_shingle_size=2, max_shingle_size=3
        ),
    ],
)


class DocType:
    ITEM = "punkt"
    MEETING = "moede"
    CLUSTER = "klynge"
    ATTACHMENT = "bilag"


class SearchDocument(Document):
    doc_type = Keyword()
    # The page that owns the document (see the module's docstring).
    page_id = Integer()
    # The four fields that are highlighted keep their offsets in the index,
    # so the highlighter reads them from there instead of analysing each
    # hit's text again with Hunspell.
    title = Text(
        analyzer=danish,
        fields={"raw": Keyword()},
        copy_to="spelling",
        index_options="offsets",
    )
    text = Text(analyzer=danish, copy_to="spelling", index_options="offsets")
    recommendation = Text(analyzer=danish, copy_to="spelling", index_options="offsets")
    decision = Text(analyzer=danish, copy_to="spelling", index_options="offsets")
    # Parts of compound words ("sundhedsaftalen" -> "sundhed aftalen") and the
    # text with "aa" read as "å": extra fields, filled in Python.
    compounds = Text(analyzer=danish)
    folded = Text(analyzer=danish)
    # Filled by `copy_to` from the four text fields (not sent): only the
    # phrase suggester reads it, which needs the terms and their document
    # frequencies, not positions or length norms.
    spelling = Text(analyzer=shingles, index_options="docs", norms=False)
    title_suggest = Completion(analyzer="simple", max_input_length=100)
    cluster_id = Integer()
    cluster = Keyword()
    cluster_kind = Keyword()
    cluster_area = Keyword()
    organisations = Keyword()
    tags = Keyword()
    date = Date()
    year = Integer()
    closed = Boolean()
    # The meeting was cancelled ("aflyst"): its documents stay findable and
    # say so.
    cancelled = Boolean()
    url = Keyword(index=False)
    meeting_title = Keyword(index=False)
    item_number = Integer()
    file_name = Keyword(index=False)

    class Index:
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


TEXT_FIELDS = ["title", "text", "recommendation", "decision"]


def _suggest_input(title, length=100):
    """`Truncator(title).chars(length)`, without its per-character loop for
    the titles short enough to need no cut."""
    text = unicodedata.normalize("NFC", title)
    if len(text) <= length:
        return text
    return Truncator(text).chars(length)


def _finish(doc):
    """Fill the fields derived from the text fields (`spelling` is filled by
    Elasticsearch, with `copy_to`)."""
    texts = [doc.get(field) or "" for field in TEXT_FIELDS]
    joined = " ".join(text for text in texts if text)
    doc["compounds"] = compounds.compound_text(joined, unique=True)
    folded = compounds.fold_old_spelling(joined)
    doc["folded"] = folded if folded != joined else ""
    title = doc.get("title") or ""
    doc["title_suggest"] = {"input": [_suggest_input(title)]} if title else None
    return doc


# --- Which pages are public -------------------------------------------------


def owner_of(page):
    """The page whose documents change when `page` changes, or None."""
    page = page.specific
    if isinstance(page, (ClusterPage, MeetingPage)):
        return page
    if isinstance(page, MinutesPage):
        parent = page.get_parent()
        return parent.specific if parent else None
    return None


# --- Builders ---------------------------------------------------------------


def cluster_fields(cluster, organisations):
    return {
        "cluster_id": cluster.pk,
        "cluster": cluster.title,
        "cluster_kind": cluster.kind,
        "cluster_area": cluster.area,
        "organisations": organisations,
    }


def cluster_documents(cluster):
    organisations = [
        membership.organisation.name
        for membership in cluster.memberships.select_related("organisation")
    ]
    # Each section with its heading ("Sammensætning"), as the page shows it.
    labels = dict(TERMS_SECTIONS)
    sections = " ".join(
        " ".join(
            filter(
                None,
                [
                    block.value["heading"]
                    or str(labels.get(block.value["section"], "")),
                    plain_text(str(block.value["body"])),
                ],
            )
        )
        for block in cluster.terms_of_reference
    )
    doc = {
        "_id": f"klynge-{cluster.pk}",
        "doc_type": DocType.CLUSTER,
        "page_id": cluster.pk,
        "title": cluster.title,
        "text": " ".join(filter(None, [plain_text(cluster.intro), sections])),
        "url": cluster.url,
        **cluster_fields(cluster, organisations),
    }
    return [_finish(doc)]


def meeting_queryset():
    # The tags come from `tags_for` in one query per batch: prefetching them
    # through the cluster taggable manager builds a queryset per item.
    return MeetingPage.objects.prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.prefetch_related(
                Prefetch(
                    "attachments",
                    queryset=AgendaItemAttachment.objects.select_related("document"),
                ),
            ).order_by("sort_order", "number"),
        )
    )


def tags_for(meetings):
    """{agenda item pk: [tag names]} for the items of `meetings`, in one
    query."""
    tags = {}
    rows = (
        AgendaItemTag.objects.filter(content_object__page__in=[m.pk for m in meetings])
        .order_by("pk")
        .values_list("content_object_id", "tag__name")
    )
    for item_id, name in rows:
        tags.setdefault(item_id, []).append(name)
    return tags


def decisions_for(meetings):
    """{agenda item pk: decision text} from the public minutes of `meetings`
    (minutes are a meeting's only children), in two queries."""
    by_depth = {}
    for meeting in meetings:
        by_depth.setdefault(meeting.depth, []).append(meeting.path)
    minutes = []
    for depth, paths in by_depth.items():
        minutes += list(
            MinutesPage.objects.visible()
            .filter(depth=depth + 1)
            .annotate(parent_path=Substr("path", 1, len(paths[0])))
            .filter(parent_path__in=paths)
            .values_list("pk", flat=True)
        )
    if not minutes:
        return {}
    return {
        item_id: plain_text(text)
        for item_id, text in MinutesDecision.objects.filter(
            page__in=minutes, agenda_item__isnull=False
        ).values_list("agenda_item_id", "decision")
    }


def meeting_documents(meeting, cluster_info, decisions, extract=None, tags=None):
    """The documents of one meeting: itself, its items, their attachments.
    `tags` is `tags_for` of a batch holding the meeting."""
    if tags is None:
        tags = tags_for([meeting])
    date = meeting.start
    day = local_date(date)
    common = {
        "page_id": meeting.pk,
        "date": date.isoformat(),
        "year": day.year,
        "meeting_title": meeting.title,
        "cancelled": meeting.cancelled,
        **cluster_info,
    }
    url = meeting.url or ""
    items = list(meeting.agenda_items.all())
    # Attachments only from the meeting's own cluster's collection, as the
    # document downloads (klynge_pages.cluster_documents).
    owners = document_owners(
        {a.document_id for item in items for a in item.attachments.all()}
    )
    docs = [
        _finish(
            {
                "_id": f"moede-{meeting.pk}",
                "doc_type": DocType.MEETING,
                "title": meeting.title,
                "text": " ".join(
                    [plain_text(meeting.intro)]
                    + [f"Punkt {item.number}: {item.title}" for item in items]
                ),
                "url": url,
                **common,
            }
        )
    ]
    for item in items:
        doc = {
            "_id": f"punkt-{item.uuid}",
            "doc_type": DocType.ITEM,
            "title": item.title,
            "item_number": item.number,
            "closed": item.closed,
            "url": f"{url}#{item.anchor}",
            **common,
        }
        if not item.closed:
            doc.update(
                text=plain_text(item.description),
                recommendation=plain_text(item.recommendation),
                decision=decisions.get(item.pk, ""),
                tags=tags.get(item.pk, []),
            )
        docs.append(_finish(doc))
        if item.closed:
            continue
        for attachment in item.attachments.all():
            document = attachment.document
            owner = owners.get(document.pk)
            if owner is None or not meeting.path.startswith(owner):
                continue
            docs.append(
                _finish(
                    {
                        "_id": f"bilag-{item.uuid}-{document.pk}",
                        "doc_type": DocType.ATTACHMENT,
                        "title": attachment.display_label,
                        "text": extract(document) if extract else "",
                        "item_number": item.number,
                        "tags": tags.get(item.pk, []),
                        "url": document.url,
                        "file_name": document.filename,
                        **common,
                    }
                )
            )
    return docs


def documents_for(owner, extract=None, public=None):
    """The documents `owner` (a cluster or meeting) should have in the index
    now: none unless a citizen can open it. `public`: the ids of the public
    pages among a batch holding `owner`, if the caller knows them."""
    if public is None:
        public = public_page_ids([owner.pk])
    if owner.pk not in public:
        return []
    if isinstance(owner, ClusterPage):
        return cluster_documents(owner)
    meeting = meeting_queryset().get(pk=owner.pk)
    cluster = meeting.get_parent().specific
    organisations = [
        membership.organisation.name
        for membership in cluster.memberships.select_related("organisation")
    ]
    return meeting_documents(
        meeting,
        cluster_fields(cluster, organisations),
        decisions_for([meeting]),
        extract=extract,
    )


def all_documents(extract=None, batch_size=200):
    """Every document of the site, for a rebuild: (owner page id, docs)."""
    clusters = {}
    for cluster in ClusterPage.objects.visible().prefetch_related(
        "memberships__organisation"
    ):
        organisations = [m.organisation.name for m in cluster.memberships.all()]
        clusters[cluster.path] = (cluster, cluster_fields(cluster, organisations))
        yield cluster.pk, cluster_documents(cluster)
    meetings = meeting_queryset().visible().order_by("path")
    for start in range(0, meetings.count(), batch_size):
        batch = list(meetings[start : start + batch_size])
        decisions = decisions_for(batch)
        tags = tags_for(batch)
        for meeting in batch:
            cluster = clusters.get(meeting.path[: -meeting.steplen])
            if cluster is None:
                continue
            yield (
                meeting.pk,
                meeting_documents(meeting, cluster[1], decisions, extract, tags),
            )
