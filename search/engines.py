"""The two engines behind the public search page.

`ElasticsearchEngine` is the real one: Danish analysis, compound parts, old
spellings, facets with counts, highlights, "Mente du …?". `DatabaseEngine`
answers when no Elasticsearch is configured (the embedded default) or when
it is down: Wagtail's database search backend for pages and the ORM for
agenda items, with simple highlighting and the type, year and cluster
facets. Both return the same `Results`, and one contract test suite runs
against both.

User input reaches Elasticsearch only inside `simple_query_string` and
`multi_match` queries, never as `query_string` syntax.
"""

import re
from collections import Counter
from datetime import date, datetime

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from elasticsearch.dsl import Search
from elasticsearch.dsl import query as dsl

from klynge_pages.models import (
    AgendaItem,
    ClusterPage,
    MeetingPage,
    MinutesDecision,
    MinutesPage,
)
from klynge_pages.rules import local_date

from . import connection
from .documents import Visibility
from .indexer import UNAVAILABLE, alias_name, replay_soon
from .query import DOC_TYPE_LABELS, PAGE_SIZE, FacetValue, Hit, Results

TEXT_FIELDS = [
    "title^4",
    "text",
    "recommendation^1.5",
    "decision^2",
    "compounds^0.5",
    # The text with "aa" as "å": "Ålborg" finds "Aalborg".
    "folded^0.5",
]
HIGHLIGHT_FIELDS = ["title", "text", "recommendation", "decision"]
SNIPPET_LENGTH = 240
SQS_FLAGS = "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE|ESCAPE"
FACET_FIELDS = {
    "klynge": "cluster_id",
    "aar": "year",
    "type": "doc_type",
    "organisation": "organisations",
    "emneord": "tags",
}


def _compounds():
    from . import compounds

    return compounds


def engine_for_request():
    return ElasticsearchEngine() if connection.is_configured() else DatabaseEngine()


def search(params):
    """Results for `params`, from Elasticsearch when it answers in time,
    otherwise from the database with a notice."""
    engine = engine_for_request()
    if isinstance(engine, ElasticsearchEngine):
        try:
            results = engine.search(params)
        except UNAVAILABLE:
            results = DatabaseEngine().search(params)
            results.notice = _(
                "Den fulde søgning er ikke tilgængelig lige nu. Resultaterne "
                "kommer fra en enklere søgning og kan være færre."
            )
            return results
        replay_soon()
        return results
    return engine.search(params)


# --- Elasticsearch ----------------------------------------------------------


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, client=None):
        client = client or connection.get_client()
        self.client = client.options(
            request_timeout=settings.SEARCH_TIMEOUT, max_retries=0
        )

    def text_query(self, q):
        compounds = _compounds()
        queries = [
            dsl.SimpleQueryString(
                query=q, fields=TEXT_FIELDS, default_operator="and", flags=SQS_FLAGS
            )
        ]
        folded = compounds.fold_old_spelling(q)
        if folded != q:
            queries.append(
                dsl.SimpleQueryString(
                    query=folded,
                    fields=TEXT_FIELDS,
                    default_operator="and",
                    flags=SQS_FLAGS,
                )
            )
        parts = compounds.compound_text(q)
        if parts:
            # A compound in the query found by its parts in the text.
            queries.append(
                dsl.MultiMatch(
                    query=parts,
                    fields=["title^2", "text", "decision", "compounds"],
                    operator="and",
                    type="cross_fields",
                    boost=0.3,
                )
            )
        return dsl.Bool(should=queries, minimum_should_match=1)

    def filters(self, params, without=None):
        clauses = []
        for name, value in params.filters.items():
            if name != without:
                clauses.append(dsl.Term(**{FACET_FIELDS[name]: value}))
        if params.date_from or params.date_to:
            bounds = {}
            if params.date_from:
                bounds["gte"] = params.date_from.isoformat()
            if params.date_to:
                bounds["lte"] = params.date_to.isoformat()
            clauses.append(dsl.Range(date=bounds))
        return clauses

    def build(self, params):
        s = Search(using=self.client, index=alias_name())
        if params.q:
            query = self.text_query(params.q)
            if params.sort == "relevans":
                # Recent decisions a little higher, never above a better match.
                query = dsl.FunctionScore(
                    query=query,
                    functions=[
                        {"weight": 1},
                        {
                            "gauss": {
                                "date": {"origin": "now", "scale": "730d", "decay": 0.5}
                            },
                            "weight": 0.5,
                        },
                    ],
                    score_mode="sum",
                    boost_mode="multiply",
                )
        else:
            query = dsl.MatchAll()
        s = s.query(query)
        all_filters = self.filters(params)
        if all_filters:
            s = s.post_filter(dsl.Bool(filter=all_filters))
        for name, es_field in FACET_FIELDS.items():
            others = self.filters(params, without=name)
            agg = s.aggs.bucket(
                name,
                "filter",
                filter=dsl.Bool(filter=others) if others else dsl.MatchAll(),
            )
            terms = {"field": es_field, "size": 30}
            if name == "aar":
                terms["order"] = {"_key": "desc"}
            agg.bucket("values", "terms", **terms)
        s.aggs.bucket(
            "cluster_names",
            "terms",
            field="cluster_id",
            size=100,
        ).bucket("name", "terms", field="cluster", size=1)
        if params.sort == "nyeste" or not params.q:
            s = s.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
        s = s.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=160,
            number_of_fragments=2,
            no_match_size=0,
        ).highlight(*HIGHLIGHT_FIELDS)
        s = s.source(
            [
                "doc_type",
                "title",
                "url",
                "text",
                "recommendation",
                "decision",
                "cluster",
                "date",
                "item_number",
                "meeting_title",
                "closed",
            ]
        )
        return s[params.offset : params.offset + PAGE_SIZE]

    def search(self, params):
        s = self.build(params)
        response = s.execute()
        results = Results(
            params=params,
            total=response.hits.total.value,
            engine=self.name,
            took_ms=response.took,
        )
        results.hits = [self._hit(hit) for hit in response]
        results.facets = self._facets(response, params)
        if params.q and results.total < 3:
            results.suggestion = self.suggest_phrase(params.q)
        return results

    def _hit(self, hit):
        highlights = getattr(hit.meta, "highlight", None)
        fragments = []
        if highlights:
            for name in ("decision", "recommendation", "text", "title"):
                fragments += list(getattr(highlights, name, []))[:2]
        if fragments:
            snippet = " … ".join(fragments[:2])
        else:
            source = (
                getattr(hit, "decision", "")
                or getattr(hit, "recommendation", "")
                or getattr(hit, "text", "")
                or ""
            )
            snippet = escape(_shorten(source))
        day = None
        if getattr(hit, "date", None):
            day = local_date(datetime.fromisoformat(str(hit.date)))
        return Hit(
            doc_type=hit.doc_type,
            title=hit.title,
            url=hit.url,
            snippet=mark_safe(snippet),  # noqa: S308 - escaped by Elasticsearch's html encoder, or above
            cluster=getattr(hit, "cluster", "") or "",
            date=day,
            item_number=getattr(hit, "item_number", None),
            meeting_title=getattr(hit, "meeting_title", "") or "",
            closed=bool(getattr(hit, "closed", False)),
        )

    def _facets(self, response, params):
        names = {
            bucket.key: bucket.name.buckets[0].key if bucket.name.buckets else ""
            for bucket in response.aggregations.cluster_names.buckets
        }
        facets = {}
        for name in FACET_FIELDS:
            buckets = getattr(response.aggregations, name).values.buckets
            values = []
            for bucket in buckets:
                key = bucket.key
                if name == "klynge":
                    label = names.get(key, str(key))
                elif name == "type":
                    label = str(DOC_TYPE_LABELS.get(key, key))
                else:
                    label = str(key)
                values.append(
                    FacetValue(
                        value=str(key),
                        label=label,
                        count=bucket.doc_count,
                        selected=str(params.filters.get(name, "")) == str(key),
                    )
                )
            facets[name] = values
        return facets

    def suggest_phrase(self, q):
        """ "Mente du …?": a better-spelt phrase from the indexed text."""
        s = Search(using=self.client, index=alias_name()).extra(size=0)
        s = s.suggest(
            "mente",
            q,
            phrase={
                "field": "spelling",
                "size": 3,
                "max_errors": 2,
                "confidence": 1.0,
                "direct_generator": [
                    {
                        "field": "spelling",
                        "suggest_mode": "missing",
                        "min_word_length": 3,
                    }
                ],
            },
        )
        response = s.execute()
        options = response.suggest.mente[0].options if response.suggest.mente else []
        for option in options:
            if option.text != q.lower() and self._finds_anything(option.text):
                return option.text
        return ""

    def _finds_anything(self, text):
        # The phrase suggester's own check (collate) needs Mustache, a module
        # the test distribution lacks; one count query does the same.
        return (
            Search(using=self.client, index=alias_name())
            .query(self.text_query(text))
            .extra(size=0, track_total_hits=1)
            .execute()
            .hits.total.value
            > 0
        )

    def complete(self, prefix, size=8):
        """Titles that start with `prefix` (the completion suggester)."""
        s = Search(using=self.client, index=alias_name()).extra(size=0).source(False)
        s = s.suggest(
            "titler",
            prefix,
            completion={
                "field": "title_suggest",
                "size": size,
                "skip_duplicates": True,
            },
        )
        response = s.execute()
        return [option.text for option in response.suggest.titler[0].options]


def _shorten(text, length=SNIPPET_LENGTH):
    text = " ".join(strip_tags(text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " …"


# --- Database ---------------------------------------------------------------


WORD = re.compile(r"\w+", re.UNICODE)
MAX_DATABASE_HITS = 1000


def _highlight(text, words):
    """Escaped text with <mark> around the query's words."""
    text = _shorten(text)
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


class DatabaseEngine:
    """The embedded default: Wagtail's database search for pages, the ORM
    for agenda items. No compound parts, old spellings, stemming of
    inflected forms beyond what the database backend does, or suggestions."""

    name = "database"

    def search(self, params):
        words = [w for w in WORD.findall(params.q.lower()) if len(w) > 1][:10]
        visibility = Visibility()
        hits = []
        wanted = params.filters.get("type")
        if wanted in (None, "punkt"):
            hits += self._items(words, visibility)
        if wanted in (None, "moede", "klynge") and words:
            hits += self._pages(params.q, words, visibility, wanted)
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

    def _items(self, words, visibility):
        public_minutes = [
            page.pk
            for page in MinutesPage.objects.filter(live=True).only("pk", "path", "live")
            if visibility.is_public(page)
        ]
        items = AgendaItem.objects.filter(page__live=True).select_related("page")
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
        items = items.distinct().order_by("-page__start", "sort_order")
        items = list(items[:MAX_DATABASE_HITS])
        # One query for the decisions of every hit, from public minutes only.
        decisions = dict(
            MinutesDecision.objects.filter(
                agenda_item__in=[item.pk for item in items if not item.closed],
                page__in=public_minutes,
            ).values_list("agenda_item_id", "decision")
        )
        hits = []
        clusters = {}
        for item in items:
            meeting = item.page
            if not visibility.is_public(meeting):
                continue
            cluster = clusters.get(meeting.path)
            if cluster is None:
                cluster = clusters[meeting.path] = meeting.get_parent().specific
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
                cluster=cluster.title,
                date=local_date(meeting.start),
                item_number=item.number,
                meeting_title=meeting.title,
                closed=item.closed,
            )
            hits.append((hit, {"cluster_id": cluster.pk}))
        return hits

    def _pages(self, q, words, visibility, wanted):
        hits = []
        models = {"moede": MeetingPage, "klynge": ClusterPage}
        for doc_type, model in models.items():
            if wanted not in (None, doc_type):
                continue
            try:
                found = list(
                    model.objects.live()
                    .public()
                    .search(" ".join(words), operator="and")[:200]
                )
            except DatabaseError:
                # The database backend's parser refuses some inputs; the
                # agenda items above are still searched.
                found = []
            for page in found:
                if not visibility.is_public(page):
                    continue
                if doc_type == "moede":
                    cluster = page.get_parent().specific
                    hit = Hit(
                        doc_type="moede",
                        title=page.title,
                        url=page.url,
                        snippet=_highlight(page.intro, words),
                        cluster=cluster.title,
                        date=local_date(page.start),
                    )
                    hits.append((hit, {"cluster_id": cluster.pk}))
                else:
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
