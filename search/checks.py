"""What the public search cannot run without (Django's system checks): its
URLs, a valid index prefix, and, when an Elasticsearch server is named, the
Danish Hunspell dictionary on its nodes."""

import re

from django.core.checks import Error, Tags, Warning, register
from django.urls import NoReverseMatch, reverse
from elasticsearch import ApiError, TransportError

from klynge_pages.conf import klynge_settings

from . import connection

# Elasticsearch's rules for index names, with room for "-<name>-<time>".
INDEX_PREFIX = re.compile(r"[a-z0-9][a-z0-9._-]{0,200}")
# A word the da_DK dictionary stems: "hospitalerne" -> "hospital".
LOCALE = "da_DK"
PROBE_WORD, PROBE_STEM = "hospitalerne", "hospital"


@register(Tags.urls)
def urls_check(app_configs, **kwargs):
    try:
        reverse("klynge_search:search")
    except NoReverseMatch:
        return [
            Error(
                "The public search's URLs are not in the site's URL "
                "configuration (namespace 'klynge_search').",
                hint='Add path("soeg/", include("klynge_search.urls")) before '
                "Wagtail's own URLs.",
                id="klynge_search.E001",
            )
        ]
    return []


@register(Tags.compatibility)
def index_prefix_check(app_configs, **kwargs):
    prefix = klynge_settings.SEARCH_INDEX_PREFIX
    if isinstance(prefix, str) and INDEX_PREFIX.fullmatch(prefix):
        return []
    return [
        Error(
            f"KLYNGE_SEARCH_INDEX_PREFIX is {prefix!r}, which Elasticsearch "
            "does not accept in an index name.",
            hint="Lower-case letters, digits, '.', '_' and '-', starting with a "
            "letter or digit.",
            id="klynge_search.E002",
        )
    ]


@register("elasticsearch")
def danish_analysis_check(app_configs, **kwargs):
    """The index's Danish analysis needs the da_DK Hunspell dictionary on
    every node; without it, creating the index fails and the search stays on
    the database. A server that does not answer is only a warning: the
    search answers from the database until it does."""
    client = connection.get_client()
    if client is None:
        return []
    url = klynge_settings.ELASTICSEARCH_URL
    try:
        answer = client.options(request_timeout=5, max_retries=0).indices.analyze(
            tokenizer="standard",
            filter=["lowercase", {"type": "hunspell", "locale": LOCALE}],
            text=PROBE_WORD,
        )
    except ApiError as error:
        return [
            Error(
                f"Elasticsearch at {url} cannot analyse Danish: {error}",
                hint="Every node needs the Danish Hunspell dictionary in "
                "config/hunspell/da_DK/ (da_DK.aff and da_DK.dic, e.g. from "
                "Debian's hunspell-da); restart the nodes after adding it.",
                id="klynge_search.E003",
            )
        ]
    except (TransportError, OSError) as error:
        return [
            Warning(
                f"Elasticsearch at {url} does not answer ({error}); the public "
                "search answers from the database until it does.",
                hint="Start the server, or leave KLYNGE_ELASTICSEARCH_URL empty "
                "to use the database search on purpose.",
                id="klynge_search.W004",
            )
        ]
    stems = [token["token"] for token in answer.body.get("tokens", [])]
    if PROBE_STEM not in stems:
        return [
            Error(
                f"Elasticsearch at {url} has a da_DK Hunspell dictionary that "
                f"does not stem {PROBE_WORD!r} to {PROBE_STEM!r} (got {stems}).",
                hint="Install the Danish dictionary of Debian's hunspell-da on "
                "every node.",
                id="klynge_search.E005",
            )
        ]
    return []
