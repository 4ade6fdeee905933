"""The public search page (`/soeg/`), its JSON variant and autocomplete."""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from klynge_pages.conf import public_template_context
from klynge_pages.pagination import pagination
from klynge_security.ratelimit import rate_limited

from . import connection, engines
from .errors import UNAVAILABLE
from .query import SearchParams, clean_text

FACET_LABELS = {
    # Not "Type": its values include "Klynge", right above the cluster facet.
    "type": gettext_lazy("Indholdstype"),
    "klynge": gettext_lazy("Klynge"),
    "aar": gettext_lazy("År"),
    "organisation": gettext_lazy("Organisation"),
    "emneord": gettext_lazy("Emneord"),
}


SEARCH_MESSAGE = gettext_lazy(
    "Du har søgt mange gange på kort tid. Vent et minut, og prøv så igen."
)


@require_GET
@rate_limited("search", "SEARCH_RATE_LIMIT", SEARCH_MESSAGE)
def search_page(request):
    params = SearchParams.from_querydict(request.GET)
    results = None if params.is_empty else engines.search(params)
    if request.GET.get("format") == "json":
        if results is None:
            return JsonResponse({"query": "", "total": 0, "hits": [], "facets": {}})
        return JsonResponse(results.as_json())
    return TemplateResponse(
        request,
        "klynge_search/search_page.html",
        public_template_context(
            params=params,
            results=results,
            facet_groups=_facet_groups(params, results),
            pagination=_pagination(params, results),
            sort_links=_sort_links(params),
            json_url="?" + urlencode({**params.as_query(), "format": "json"}),
            selected_filters=len(params.filters),
        ),
    )


def _facet_groups(params, results):
    if results is None:
        return []
    groups = []
    for name in ("type", "klynge", "aar", "organisation", "emneord"):
        values = results.facets.get(name) or []
        if not values:
            continue
        # The search without this facet and on its first page, encoded once
        # for all of the group's links (up to 30).
        rest = urlencode(params.as_query(**{name: None, "side": None}))
        links = []
        for value in values:
            if value.selected:  # the link removes the filter
                query = rest
            else:
                query = "&".join(filter(None, (rest, urlencode({name: value.value}))))
            links.append((value, "?" + query))
        groups.append((name, FACET_LABELS[name], links))
    return groups


def _pagination(params, results):
    if results is None:
        return None

    def link(number):
        return "?" + urlencode(params.as_query(side=number if number > 1 else None))

    return pagination(params.page, results.pages, link)


def _sort_links(params):
    return [
        (
            label,
            "?" + urlencode(params.as_query(sortering=value, side=None)),
            params.sort == value,
        )
        for value, label in (("relevans", _("Relevans")), ("nyeste", _("Nyeste først")))
    ]


@require_GET
@rate_limited("suggest", "SUGGEST_RATE_LIMIT", SEARCH_MESSAGE, json=True)
def suggest(request):
    """Autocomplete on titles: `/soeg/forslag/?q=sundhedsaft` → ["…"]."""
    prefix = clean_text(request.GET.get("q", ""))[:50]
    if len(prefix) < 2 or not connection.is_configured():
        return JsonResponse({"suggestions": []})
    try:
        titles = engines.ElasticsearchEngine().complete(prefix)
    except UNAVAILABLE:
        titles = []
    return JsonResponse({"suggestions": titles})
