"""The real engine: Elasticsearch, with Danish analysis, compound parts, old
spellings, facets with counts, highlights and "Mente du …?".

User input reaches Elasticsearch only inside `simple_query_string` and
`multi_match` queries, never as `query_string` syntax.
"""

from datetime import datetime

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch.dsl import Search
from elasticsearch.dsl import query as dsl

from klynge_pages.conf import klynge_settings
from klynge_pages.models import ClusterPage
from klynge_pages.rules import local_date

from .. import compounds, connection
from ..errors import SearchFailed
from ..indices import alias_name
from ..outbox import replay_soon
from ..query import DOC_TYPE_LABELS, PAGE_SIZE, FacetValue, Hit, Results
from .base import SearchEngine, shorten

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
SQS_FLAGS = "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE|ESCAPE"
# The recency boost's decay: half of it left after two years.
RECENCY = {"origin": "now", "scale": "730d", "decay": 0.5}
# How many of the best matches the recency boost reorders: the first ten
# pages. Beyond them the hits follow the text score (the order stays
# stable from page to page).
RESCORE_WINDOW = 100
RECENCY_RESCORE = {
    "window_size": RESCORE_WINDOW,
    "query": {
        "rescore_query": {
            "function_score": {
                "functions": [
                    {"weight": 1},
                    {"gauss": {"date": RECENCY}, "weight": 0.5},
                ],
                "score_mode": "sum",
                "boost_mode": "replace",
            }
        },
        "query_weight": 1,
        "rescore_query_weight": 1,
        "score_mode": "multiply",
    },
}
# What a hit shows (the texts for a snippet where nothing was highlighted).
SOURCE_FIELDS = [
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
    "cancelled",
]
# The count and facets request (no hits) goes through Elasticsearch's shard
# request cache, which keeps its answer until the index next changes: paging
# through a search, or a popular search, counts its facets once.
REQUEST_CACHE = True
FACET_FIELDS = {
    "klynge": "cluster_id",
    "aar": "year",
    "type": "doc_type",
    "organisation": "organisations",
    "emneord": "tags",
}


_search_clients = {}


def _search_client(client, timeout):
    """`client` with the search's timeout, made once per client and timeout
    rather than on every request. A slow answer is not retried (the citizen
    would wait twice); a node that refuses the connection is, on the next
    node of a cluster, which costs nothing."""
    key = (id(client), timeout)
    entry = _search_clients.get(key)
    if entry is None or entry[0] is not client:
        retries = max(len(connection.node_urls()) - 1, 0)
        entry = (
            client,
            client.options(
                request_timeout=timeout, max_retries=retries, retry_on_timeout=False
            ),
        )
        _search_clients[key] = entry
    return entry[1]


# {cluster page id: title} for the cluster facet's labels, kept in Django's
# cache, which production shares between processes: read from the database
# when a cluster is missing, one was saved or deleted (`signals.py`), or the
# names are older than this (seconds).
CLUSTER_NAMES_MAX_AGE = 60
CLUSTER_NAMES_KEY = "klynge-search-cluster-names"


def forget_cluster_names():
    cache.delete(CLUSTER_NAMES_KEY)


def cluster_names(ids):
    """{cluster page id: title}, with every id of `ids` in it if it is a
    cluster."""
    names = cache.get(CLUSTER_NAMES_KEY)
    if names is None or any(key not in names for key in ids):
        names = dict(ClusterPage.objects.values_list("pk", "title"))
        cache.set(CLUSTER_NAMES_KEY, names, CLUSTER_NAMES_MAX_AGE)
    return names


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self, client=None):
        self.client = _search_client(
            client or connection.get_client(), klynge_settings.SEARCH_TIMEOUT
        )

    def text_query(self, q):
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
        """The two request bodies of a search, sent together in one `msearch`:

        - the page of hits: scored, rescored for recency, highlighted, with
          no count (so Elasticsearch may skip what cannot reach the page);
        - the count and the facets: the same query as a filter (no scores),
          every match counted once for each facet. It has no hits, so
          Elasticsearch's request cache keeps it until the index changes.

        The queries are elasticsearch-dsl objects; the bodies around them are
        plain dictionaries, as `Search`'s chained copies cost a third of a
        millisecond per search.
        """
        query = (self.text_query(params.q) if params.q else dsl.MatchAll()).to_dict()
        all_filters = self.filters(params)
        post_filter = (
            {"post_filter": dsl.Bool(filter=all_filters).to_dict()}
            if all_filters
            else {}
        )

        hits = {
            "query": query,
            **post_filter,
            "highlight": {
                "encoder": "html",
                "pre_tags": ["<mark>"],
                "post_tags": ["</mark>"],
                "fragment_size": 160,
                "number_of_fragments": 2,
                "no_match_size": 0,
                "fields": {name: {} for name in HIGHLIGHT_FIELDS},
            },
            "_source": SOURCE_FIELDS,
            "track_total_hits": False,
            "from": params.offset,
            "size": PAGE_SIZE,
        }
        if params.q and params.sort == "relevans":
            # Recent decisions a little higher, never above a better match:
            # the score times 1 to 1.5 (a Gaussian decay over two years), as
            # a rescore of the best matches instead of a function score over
            # every match.
            hits["rescore"] = RECENCY_RESCORE
        if params.sort == "nyeste" or not params.q:
            hits["sort"] = [{"date": {"order": "desc", "missing": "_last"}}, "_score"]

        aggs = {}
        for name, es_field in FACET_FIELDS.items():
            others = self.filters(params, without=name)
            terms = {"field": es_field, "size": 30}
            if name == "aar":
                terms["order"] = {"_key": "desc"}
            aggs[name] = {
                "filter": (
                    dsl.Bool(filter=others) if others else dsl.MatchAll()
                ).to_dict(),
                "aggs": {"values": {"terms": terms}},
            }
        facets = {
            "query": {"bool": {"filter": [query]}},
            **post_filter,
            "aggs": aggs,
            "size": 0,
        }
        return hits, facets

    def search(self, params):
        hits, facets = self.build(params)
        response = self.client.msearch(
            index=alias_name(),
            searches=[{}, hits, {"request_cache": REQUEST_CACHE}, facets],
        ).body
        for part in response["responses"]:
            if "error" in part:
                raise SearchFailed(str(part["error"])[:500])
        page, counted = response["responses"]
        results = Results(
            params=params,
            total=counted["hits"]["total"]["value"],
            engine=self.name,
            took_ms=response["took"],
        )
        # Plain dictionaries, not elasticsearch-dsl's wrapped response.
        results.hits = [self._hit(hit) for hit in page["hits"]["hits"]]
        results.facets = self._facets(counted["aggregations"], params)
        if params.q and results.total < 3:
            results.suggestion = self.suggest_phrase(params.q)
        return results

    def _hit(self, hit):
        source = hit["_source"]
        highlights = hit.get("highlight") or {}
        fragments = []
        for name in ("decision", "recommendation", "text", "title"):
            fragments += highlights.get(name, [])[:2]
        if fragments:
            snippet = " … ".join(fragments[:2])
        else:
            text = (
                source.get("decision")
                or source.get("recommendation")
                or source.get("text")
                or ""
            )
            snippet = escape(shorten(text))
        day = None
        if source.get("date"):
            day = local_date(datetime.fromisoformat(str(source["date"])))
        return Hit(
            doc_type=source.get("doc_type"),
            title=source.get("title"),
            url=source.get("url"),
            snippet=mark_safe(snippet),  # noqa: S308 - escaped by Elasticsearch's html encoder, or above
            cluster=source.get("cluster") or "",
            date=day,
            item_number=source.get("item_number"),
            meeting_title=source.get("meeting_title") or "",
            closed=bool(source.get("closed", False)),
            cancelled=bool(source.get("cancelled", False)),
        )

    def _facets(self, aggregations, params):
        # The clusters' names from the database (a few dozen, cached for a
        # minute) instead of a second aggregation over every match.
        names = cluster_names(
            [bucket["key"] for bucket in aggregations["klynge"]["values"]["buckets"]]
        )
        facets = {}
        for name in FACET_FIELDS:
            values = []
            for bucket in aggregations[name]["values"]["buckets"]:
                key = bucket["key"]
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
                        count=bucket["doc_count"],
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

    def after_search(self):
        # The server answers: what waits in the outbox can be written.
        replay_soon()
