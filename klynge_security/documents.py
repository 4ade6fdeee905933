"""Who may download which document.

Wagtail serves any document to anyone who knows its URL (/dokumenter/<id>/
<filename>), unless the document's collection is private. Here a document
is public only when published content of its own cluster shows it:

- it is referenced (Wagtail's reference index: an agenda item's attachment
  or a link in rich text) by a page that a citizen can open (live, public,
  not under an unpublished cluster or meeting: klynge_pages' `public_pages`),
  and
- that page belongs to the cluster whose collection holds the document (a
  document in a collection of no cluster: a page outside every cluster; see
  klynge_pages.cluster_documents), so an editor who puts another cluster's
  document id on his own page publishes nothing, and
- the reference is not inside a closed agenda item ("lukket punkt"), and
- it is attached to no closed agenda item anywhere: a document that is
  confidential in one place stays confidential everywhere.

Everyone else gets a 404 ("not found", not "forbidden": the URL of a closed
attachment does not even confirm that it exists), except the users who work
with the document: superusers, and those whose groups may choose or change
documents in its collection (Wagtail's collection permissions: the cluster's
own editors and approvers, the secretariat), or the uploader while they may
add there. Using a document on a page one may edit gives no right to it.

The same rule keeps the admin's document choosers and the admin API from
listing a document to an editor of another cluster (see wagtail_hooks.py).
"""

import re

from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from klynge_pages.cluster_documents import cluster_paths, document_owners, may_use
from klynge_pages.models import (
    AgendaItem,
    AgendaItemAttachment,
    MinutesDecision,
    public_pages,
)

# content_path of a reference inside an agenda item or a decision, e.g.
# "agenda_items.12.attachments.3.document" or "decisions.7.decision".
ITEM_PATH = re.compile(r"^agenda_items\.(\d+)\.")
DECISION_PATH = re.compile(r"^decisions\.(\d+)\.")


def _page_references(document_ids=None):
    """(page id, document id, content_path) of every page's reference to a
    document, or to the given documents."""
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(get_document_model()),
    )
    if document_ids is not None:
        references = references.filter(
            to_object_id__in=[str(pk) for pk in document_ids]
        )
    return [
        (int(page_id), int(document_id), path)
        for page_id, document_id, path in references.values_list(
            "object_id", "to_object_id", "content_path"
        )
    ]


def _closed_references(references):
    """The references that sit inside a closed agenda item, or inside the
    decision on one."""
    item_ids, decision_ids = set(), set()
    for _page, _document, path in references:
        if match := ITEM_PATH.match(path):
            item_ids.add(int(match[1]))
        elif match := DECISION_PATH.match(path):
            decision_ids.add(int(match[1]))
    closed_items = set(
        AgendaItem.objects.filter(pk__in=item_ids, closed=True).values_list(
            "pk", flat=True
        )
    )
    closed_decisions = set(
        MinutesDecision.objects.filter(
            pk__in=decision_ids, agenda_item__closed=True
        ).values_list("pk", flat=True)
    )
    closed = set()
    for reference in references:
        path = reference[2]
        if (match := ITEM_PATH.match(path)) and int(match[1]) in closed_items:
            closed.add(reference)
        elif (match := DECISION_PATH.match(path)) and int(match[1]) in closed_decisions:
            closed.add(reference)
    return closed


def public_document_ids(document_ids=None):
    """Ids of the documents (among document_ids, or all) that anyone may
    download."""
    references = _page_references(document_ids)
    closed = _closed_references(references)
    open_references = [ref for ref in references if ref not in closed]
    published = public_pages({page for page, _doc, _path in open_references})
    owners = document_owners({doc for page, doc, _path in open_references})
    clusters = cluster_paths()
    candidates = {
        doc
        for page, doc, _path in open_references
        if page in published
        and doc in owners
        and may_use(published[page], owners[doc], clusters)
    }
    attached_to_closed = set(
        AgendaItemAttachment.objects.filter(
            item__closed=True, document_id__in=candidates
        ).values_list("document_id", flat=True)
    )
    return candidates - attached_to_closed - {doc for _p, doc, _path in closed}


def is_public(document):
    return document.pk in public_document_ids([document.pk])


def editable_page_ids(user):
    return PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change", "publish"]
    )


# What lets a user work with a document in Wagtail's collection policy:
# "choose" and "change" on its collection ("change" also through "add" for
# the uploader).
WORKING_ACTIONS = ["choose", "change"]


def user_can_edit_document_use(user, document):
    """Whether the user works with the document: a superuser, or someone
    whose groups may choose or change documents in its collection."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    policy = policy_registry.get_by_type(get_document_model())
    return policy.user_has_any_permission_for_instance(user, WORKING_ACTIONS, document)


def user_can_download(user, document):
    return is_public(document) or user_can_edit_document_use(user, document)


def documents_visible_to(user, documents):
    """Narrow a document queryset to those the user may see in the admin: the
    ones they work with (their collections, see above). Wagtail's choosers
    already list only the collections the user may choose from; the admin
    API does not."""
    if user.is_superuser:
        return documents
    policy = policy_registry.get_by_type(get_document_model())
    working = policy.instances_user_has_any_permission_for(user, WORKING_ACTIONS)
    return documents.filter(pk__in=working.values("pk"))
