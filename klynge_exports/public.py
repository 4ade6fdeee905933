"""What the exports may show: published, public content only.

A page is exportable when a citizen could open it: live, without a view
restriction, and with no unpublished cluster or meeting above it (klynge_pages'
`visible()`, the rule the public pages, the search and the document downloads
follow too). Everything else is "not found", so that
an export URL never confirms that a draft exists.

A closed agenda item ("lukket punkt") is exported with its number and title
only, as on the public pages; its attachments never go into a ZIP.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from klynge_pages.models import (
    AgendaItemAttachment,
    ClusterPage,
    MeetingPage,
    MinutesPage,
    public_page_ids,
)
from klynge_security.documents import public_document_ids

# Page ids are 32-bit integers; a larger number in a URL names no page (and
# SQLite would raise OverflowError on it).
MAX_ID = 2**31 - 1


def _published(queryset, pk):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(queryset.visible(), pk=pk)


def published_meeting(pk):
    return _published(MeetingPage.objects.select_related("location", "host"), pk)


def published_minutes(pk):
    return _published(MinutesPage.objects.select_related("minute_taker"), pk)


def published_cluster(slug):
    """The published cluster with this slug (the first by tree order if two
    sites share a slug)."""
    if "\x00" in slug or len(slug) > 255:  # no slug; PostgreSQL refuses NUL
        raise Http404
    cluster = ClusterPage.objects.visible().filter(slug=slug).order_by("path").first()
    if cluster is None:
        raise Http404
    return cluster


def only_published(queryset):
    """The pages of `queryset` a citizen can see, as a list in its order."""
    pages = list(queryset.live())
    published = public_page_ids([page.pk for page in pages])
    return [page for page in pages if page.pk in published]


def published_minutes_of(meeting):
    return MinutesPage.objects.child_of(meeting).visible().first()


def public_attachments(meeting):
    """[(item, attachment)] of the meeting's open items whose documents anyone
    may download, in agenda order."""
    attachments = list(
        AgendaItemAttachment.objects.filter(item__page=meeting, item__closed=False)
        .select_related("document", "item")
        .order_by("item__sort_order", "item__number", "sort_order", "pk")
    )
    allowed = public_document_ids({a.document_id for a in attachments})
    return [(a.item, a) for a in attachments if a.document_id in allowed]
