"""What a citizen can open, and the queries of the public listings (the home
page, the meetings archive, the latest minutes), on the page models'
querysets so that pages, templates and tests share them.

`visible()` is the one rule of publication: live, public (Wagtail's `live()`
and `public()`) and not under an unpublished page. The public pages
(NotUnderDraftsMixin), the search (both engines and the index), the document
downloads, the exports and OParl all ask it, through a page model's manager
or, for pages of any type, through `public_pages()` / `public_page_ids()`.

Each method costs no query of its own beyond the one `public()` makes to
read the view restrictions; the annotations are subqueries, so a listing is
one query however long it is.
"""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Subquery, Window
from django.db.models.functions import ExtractYear, Length, RowNumber, Substr
from django.utils import timezone
from wagtail.models import Page
from wagtail.query import PageQuerySet

from .. import registry

STEPLEN = Page.steplen


def _ancestor_path(levels):
    """The path of the page `levels` above the outer query's page."""
    return Substr(OuterRef("path"), 1, Length(OuterRef("path")) - levels * STEPLEN)


class VisiblePageQuerySet(PageQuerySet):
    def not_under_drafts(self):
        """Pages with no unpublished ancestor: Wagtail serves a live page
        whatever its ancestors' state, NotUnderDraftsMixin does not."""
        draft_ancestors = Page.objects.filter(
            live=False,
            depth__lt=OuterRef("depth"),
            path=Substr(OuterRef("path"), 1, F("depth") * STEPLEN),
        )
        return self.exclude(Exists(draft_ancestors))

    def visible(self):
        """What a citizen can open: live, public, under no draft."""
        return self.live().public().not_under_drafts()


def visible_pages():
    """Pages of every type that a citizen can open (`visible()`)."""
    return VisiblePageQuerySet(Page).visible()


def public_pages(page_ids):
    """{page id: tree path} of the pages among `page_ids` that a citizen can
    open, in two queries however many ids (the view restrictions, then the
    pages)."""
    return dict(visible_pages().filter(pk__in=page_ids).values_list("pk", "path"))


def public_page_ids(page_ids):
    """The ids among `page_ids` of pages that a citizen can open."""
    return set(public_pages(page_ids))


class ClusterPageQuerySet(VisiblePageQuerySet):
    def in_listing_order(self):
        return self.order_by("kind", "area", "title", "pk")

    def first_of_each_kind(self, limit):
        """The first `limit` clusters of each kind in listing order, each
        with `kind_total`, the number of its kind: one query, however many
        fora there are."""
        listing_order = [F("area").asc(), F("title").asc(), F("pk").asc()]
        return (
            self.annotate(
                position=Window(
                    RowNumber(), partition_by=[F("kind")], order_by=listing_order
                ),
                kind_total=Window(Count("pk"), partition_by=[F("kind")]),
            )
            .filter(position__lte=limit)
            .order_by("kind", "position")
        )


class MeetingPageQuerySet(VisiblePageQuerySet):
    def upcoming(self, now=None):
        """Meetings that have not ended, the next first."""
        now = now or timezone.now()
        return self.filter(end__gte=now).order_by("start", "pk")

    def in_year(self, year):
        """Meetings starting in `year` (Danish time), the latest first."""
        zone = timezone.get_current_timezone()
        start = dt.datetime(year, 1, 1, tzinfo=zone)
        end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
        return self.filter(start__gte=start, start__lt=end).order_by("-start", "-pk")

    def years(self):
        """[(year, number of meetings)], the latest year first."""
        rows = (
            self.order_by()
            .annotate(year=ExtractYear("start", tzinfo=timezone.get_current_timezone()))
            .values_list("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )
        return list(rows)

    def for_listing(self):
        """With what a row of the archive shows: the cluster's title
        (`cluster_title`), the place, whether the agenda has items
        (`has_agenda`) and the slug of the published minutes
        (`minutes_slug`, None without)."""
        minutes = (
            registry.model("MinutesPage")
            .objects.visible()
            .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        )
        return self.select_related("location").annotate(
            cluster_title=Subquery(
                registry.model("ClusterPage")
                .objects.filter(path=_ancestor_path(1))
                .values("title")[:1]
            ),
            has_agenda=Exists(
                registry.model("AgendaItem").objects.filter(page=OuterRef("pk"))
            ),
            minutes_slug=Subquery(minutes.order_by("path").values("slug")[:1]),
        )


# The date minutes count as published on, for their order and the date the
# lists show: when they first went live.
MINUTES_PUBLISHED_ON = "first_published_at"


class MinutesPageQuerySet(VisiblePageQuerySet):
    def newest_first(self):
        """The order of "Seneste referater": the newest published first."""
        return self.order_by(F(MINUTES_PUBLISHED_ON).desc(nulls_last=True), "-pk")

    def for_listing(self):
        """With their meeting's title and start (`meeting_title`,
        `meeting_start`), cluster's title (`cluster_title`) and the date they
        count as published on (`listing_published_on`)."""
        meeting = registry.model("MeetingPage").objects.filter(path=_ancestor_path(1))
        return self.annotate(
            listing_published_on=F(MINUTES_PUBLISHED_ON),
            meeting_title=Subquery(meeting.values("title")[:1]),
            meeting_start=Subquery(meeting.values("start")[:1]),
            cluster_title=Subquery(
                registry.model("ClusterPage")
                .objects.filter(path=_ancestor_path(2))
                .values("title")[:1]
            ),
        )
