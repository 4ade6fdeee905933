"""The embedded default, and the fallback while Elasticsearch is down:
Wagtail's database search backend for pages and the ORM for agenda items,
with simple highlighting and the type, year and cluster facets. A page of
results costs the same few queries however many hits it shows."""

import re
from collections import Counter
from datetime import date

from django.db import DatabaseError
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page

from klynge_pages.models import (
    AgendaItem,
    ClusterPage,
    MeetingPage,
    MinutesDecision,
    MinutesPage,
    public_page_ids,
)
from klynge_pages.richtext import plain_text
from klynge_pages.rules import local_date

from ..query import DOC_TYPE_LABELS, PAGE_SIZE, FacetValue, Hit, Results
from .base import SearchEngine, shorten

WORD = re.compile(r"\w+", re.UNICODE)
MAX_DATABASE_HITS = 1000
STEPLEN = Page.steplen


def _highlight(html, words):
    """The text of rich text `html`, shortened and escaped, with <mark>
    around the query's words."""
    text = shorten(plain_text(html))
    escaped = escape(text)
    if not words:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile(
        "|".join(
            re.escape(escape(word)) for word in sorted(words, key=len, reverse=True)
        ),
        re.IGNORECASE,
    )
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


class DatabaseEngine(SearchEngine):
    """The embedded default: Wagtail's database search for pages, the ORM
    for agenda items. No compound parts, old spellings, stemming of
    inflected forms beyond what the database backend does, or suggestions."""

    name = "database"

    def search(self, params):
        words = [w for w in WORD.findall(params.q.lower()) if len(w) > 1][:10]
        hits = []
        wanted = params.filters.get("type")
        if wanted in (None, "punkt"):
            hits += self._items(words)
        if wanted in (None, "moede", "klynge") and words:
            hits += self._pages(words, wanted)
        hits = [hit for hit in hits if self._matches_filters(hit, params)]
        facets = self._facets(hits, params)
        hits = [hit for hit in hits if self._matches_facets(hit, params)]
        if params.sort == "nyeste" or not params.q:
            hits.sort(key=lambda hit: hit[0].date or date.min, reverse=True)
        results = Results(params=params, total=len(hits), engine=self.name)
        page = hits[params.offset : params.offset + PAGE_SIZE]
        results.hits = [hit for hit, _meta in page]
        results.facets = facets
        return results

    def _items(self, words):
        """Agenda items of public meetings, each with its meeting and its
        cluster's id and title, in three queries however many hits."""
        public_minutes = MinutesPage.objects.visible().values("pk")
        items = AgendaItem.objects.filter(
            page__in=MeetingPage.objects.visible().values("pk")
        )
        for word in words:
            open_match = (
                Q(description__icontains=word)
                | Q(recommendation__icontains=word)
                | Q(
                    decisions__decision__icontains=word,
                    decisions__page__in=public_minutes,
                )
                | Q(tags__name__iexact=word)
            )
            items = items.filter(
                Q(title__icontains=word) | (Q(closed=False) & open_match)
            )
        parent = ClusterPage.objects.filter(
            path=Substr(
                OuterRef("page__path"), 1, Length(OuterRef("page__path")) - STEPLEN
            )
        )
        items = (
            items.distinct()
            .select_related("page")
            .annotate(
                cluster_id=Subquery(parent.values("pk")[:1]),
                cluster_title=Subquery(parent.values("title")[:1]),
            )
            .order_by("-page__start", "sort_order")
        )
        items = list(items[:MAX_DATABASE_HITS])
        # One query for the decisions of every hit, from public minutes only.
        decisions = dict(
            MinutesDecision.objects.filter(
                agenda_item__in=[item.pk for item in items if not item.closed],
                page__in=public_minutes,
            ).values_list("agenda_item_id", "decision")
        )
        hits = []
        for item in items:
            meeting = item.page
            decision = "" if item.closed else decisions.get(item.pk, "")
            text = (
                ""
                if item.closed
                else (decision or item.recommendation or item.description)
            )
            hit = Hit(
                doc_type="punkt",
                title=item.title,
                url=f"{meeting.url}#{item.anchor}",
                snippet=_highlight(text, words),
                cluster=item.cluster_title,
                date=local_date(meeting.start),
                item_number=item.number,
                meeting_title=meeting.title,
                closed=item.closed,
                cancelled=meeting.cancelled,
            )
            hits.append((hit, {"cluster_id": item.cluster_id}))
        return hits

    def _pages(self, words, wanted):
        """Public meetings and clusters found by Wagtail's database search,
        with the meetings' clusters read in one query (two more for the
        pages' visibility)."""
        found = {}
        models = {"moede": MeetingPage, "klynge": ClusterPage}
        for doc_type, model in models.items():
            if wanted not in (None, doc_type):
                continue
            try:
                # Wagtail's search takes field filters only, so live and
                # public here; no unpublished ancestor below.
                found[doc_type] = list(
                    model.objects.live()
                    .public()
                    .search(" ".join(words), operator="and")[:200]
                )
            except DatabaseError:
                # The database backend's parser refuses some inputs; the
                # agenda items above are still searched.
                found[doc_type] = []
        public = public_page_ids(
            [page.pk for pages in found.values() for page in pages]
        )
        found = {
            doc_type: [page for page in pages if page.pk in public]
            for doc_type, pages in found.items()
        }
        meetings = found.get("moede", [])
        parents = {
            cluster.path: cluster
            for cluster in ClusterPage.objects.filter(
                path__in={page.path[:-STEPLEN] for page in meetings}
            ).only("pk", "path", "title")
        }
        hits = []
        for page in meetings:
            cluster = parents.get(page.path[:-STEPLEN])
            if cluster is None:
                continue
            hit = Hit(
                doc_type="moede",
                title=page.title,
                url=page.url,
                snippet=_highlight(page.intro, words),
                cluster=cluster.title,
                date=local_date(page.start),
                cancelled=page.cancelled,
            )
            hits.append((hit, {"cluster_id": cluster.pk}))
        for page in found.get("klynge", []):
            hit = Hit(
                doc_type="klynge",
                title=page.title,
                url=page.url,
                snippet=_highlight(page.intro, words),
                cluster=page.title,
            )
            hits.append((hit, {"cluster_id": page.pk}))
        return hits

    @staticmethod
    def _matches_filters(entry, params):
        hit, _meta = entry
        if params.date_from and (not hit.date or hit.date < params.date_from):
            return False
        return not (params.date_to and (not hit.date or hit.date > params.date_to))

    @staticmethod
    def _matches_facets(entry, params, without=None):
        hit, meta = entry
        checks = {
            "type": lambda value: hit.doc_type == value,
            "aar": lambda value: hit.date is not None and hit.date.year == value,
            "klynge": lambda value: meta["cluster_id"] == value,
        }
        for name, value in params.filters.items():
            if name == without:
                continue
            check = checks.get(name)
            # Organisation and tag facets are Elasticsearch's only.
            if check is None or not check(value):
                return False
        return True

    def _facets(self, hits, params):
        facets = {}
        for name in ("type", "aar", "klynge"):
            counts = Counter()
            labels = {}
            for entry in hits:
                if not self._matches_facets(entry, params, without=name):
                    continue
                hit, meta = entry
                if name == "type":
                    key, label = hit.doc_type, str(DOC_TYPE_LABELS[hit.doc_type])
                elif name == "aar":
                    if hit.date is None:
                        continue
                    key = label = str(hit.date.year)
                else:
                    key, label = str(meta["cluster_id"]), hit.cluster
                counts[key] += 1
                labels[key] = label
            ordered = sorted(counts, reverse=True) if name == "aar" else counts
            facets[name] = [
                FacetValue(
                    value=key,
                    label=labels[key],
                    count=counts[key],
                    selected=str(params.filters.get(name, "")) == key,
                )
                for key in ordered
            ]
        return facets
