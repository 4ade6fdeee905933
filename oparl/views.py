"""The read-only OParl 1.1 endpoints.

Every answer is JSON in UTF-8 with `Access-Control-Allow-Origin: *` (spec
2.6), errors included: an OParl error object (spec 2.9) whose `message` is
Danish, the language of the content, and whose `debug` is English.
"""

import math
import re
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from klynge_pages.models import AgendaItemAttachment

from .catalog import Catalog, Entry
from .serializers import SCHEMA, Serializer

FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
PAGE_SIZE = 100
# An unencoded "+" in a query string arrives as a space: "…T10:00:00 01:00".
SPACE_FOR_PLUS = re.compile(r" (\d{2}(:?\d{2})?)$")

SERIALIZE = {
    "body": "bodies",
    "cluster": "clusters",
    "organisation": "organisations",
    "person": "persons",
    "membership": "memberships",
    "meeting": "meetings",
    "agendaitem": "agenda_items",
    "file": "files",
    "location": "locations",
}


class ApiError(Exception):
    def __init__(self, status, message, debug):
        super().__init__(debug)
        self.status = status
        self.message = message
        self.debug = debug


def json_response(data, status=200):
    return JsonResponse(
        data,
        status=status,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json; charset=utf-8",
    )


def error_response(status, message, debug):
    return json_response(
        {"type": SCHEMA + "Error", "message": message, "debug": debug}, status=status
    )


def not_found_error(debug="No such object."):
    return ApiError(404, "Objektet findes ikke.", debug)


def oparl_view(view):
    """GET (and HEAD) only, CORS on every answer, errors as JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = error_response(
                405,
                "Denne grænseflade kan kun læses (GET).",
                f"Method {request.method} not allowed; the API is read-only.",
            )
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error_response(error.status, error.message, error.debug)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


# --- list parameters ------------------------------------------------------------


def parse_time(name, raw):
    value = SPACE_FOR_PLUS.sub(r"+\1", raw.strip())
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(
            400,
            f"Ugyldig værdi for {name}: “{raw}”. Angiv et tidspunkt efter "
            "ISO 8601, fx 2024-01-31T12:00:00+01:00.",
            f"{name}: {raw!r} is not an ISO 8601 date-time "
            "(yyyy-mm-ddThh:mm:ss±hh:mm).",
        ) from None
    if timezone.is_naive(parsed):
        # Without an offset: Danish time, the time of the content.
        parsed = timezone.make_aware(parsed)
    return value, parsed


def parse_count(name, raw):
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise ApiError(
            400,
            f"Ugyldig værdi for {name}: “{raw}”. Angiv et helt tal større end 0.",
            f"{name}: {raw!r} is not a positive integer.",
        )
    return number


class ListParams:
    """The parameters of an external object list (spec 2.5): the four
    filters, `limit`, `omit_internal` and the page."""

    def __init__(self, query):
        self.filters = {}
        self.bounds = {}
        for name in FILTERS:
            raw = query.get(name)
            if raw is not None:
                self.filters[name], self.bounds[name] = parse_time(name, raw)
        self.omit_internal = query.get("omit_internal", "").lower() == "true"
        self.limit = None
        if query.get("limit") is not None:
            self.limit = parse_count("limit", query["limit"])
        self.per_page = min(self.limit or PAGE_SIZE, PAGE_SIZE)
        self.page = parse_count("page", query["page"]) if "page" in query else 1

    @property
    def with_deleted(self):
        # Deleted objects go only to clients that ask for changes (spec 2.5).
        return "modified_since" in self.bounds

    def matches(self, entry):
        bounds = self.bounds
        return (
            ("created_since" not in bounds or entry.created >= bounds["created_since"])
            and (
                "created_until" not in bounds
                or entry.created <= bounds["created_until"]
            )
            and (
                "modified_since" not in bounds
                or entry.modified >= bounds["modified_since"]
            )
            and (
                "modified_until" not in bounds
                or entry.modified <= bounds["modified_until"]
            )
        )

    def url(self, base, page):
        """A page's URL with the filters kept, parameters in a fixed order."""
        query = list(self.filters.items())
        if self.omit_internal:
            query.append(("omit_internal", "true"))
        if self.limit:
            query.append(("limit", str(self.limit)))
        if page > 1:
            query.append(("page", str(page)))
        return f"{base}?{urlencode(query)}" if query else base


def paged(request, base, params, entries, render):
    """One page of a list: `data`, `pagination` and `links` (spec 2.5)."""
    entries = [entry for entry in entries if params.matches(entry)]
    total = len(entries)
    pages = max(1, math.ceil(total / params.per_page))
    if params.page > pages:
        raise ApiError(
            404,
            f"Siden findes ikke: listen har {pages} side(r).",
            f"page {params.page} is past the last page ({pages}).",
        )
    start = (params.page - 1) * params.per_page
    chunk = entries[start : start + params.per_page]
    links = {"first": params.url(base, 1), "self": params.url(base, params.page)}
    if params.page > 1:
        links["prev"] = params.url(base, params.page - 1)
    if params.page < pages:
        links["next"] = params.url(base, params.page + 1)
    links["last"] = params.url(base, pages)
    return json_response(
        {
            "data": render(chunk),
            "pagination": {
                "totalElements": total,
                "elementsPerPage": params.per_page,
                "currentPage": params.page,
                "totalPages": pages,
            },
            "links": links,
        }
    )


def render_entries(serializer, entries):
    """The objects of one list page, each loaded with its kind's queries."""
    wanted = {}
    for entry in entries:
        if not entry.deleted:
            wanted.setdefault(entry.kind, []).append(entry.pk)
    objects = {}
    for kind, pks in wanted.items():
        for pk, data in zip(
            pks, getattr(serializer, SERIALIZE[kind])(pks), strict=True
        ):
            objects[kind, pk] = data
    return [
        serializer.tombstone(entry.kind, entry.deleted)
        if entry.deleted
        else objects[entry.kind, entry.pk]
        for entry in entries
    ]


# --- endpoints -------------------------------------------------------------------


@oparl_view
def system(request):
    return json_response(Serializer(request, Catalog()).system())


@oparl_view
def body_list(request):
    params = ListParams(request.GET)
    catalog = Catalog()
    serializer = Serializer(request, catalog, params.omit_internal)
    return paged(
        request,
        serializer.url("body-list"),
        params,
        catalog.entries("body", with_deleted=params.with_deleted),
        lambda chunk: render_entries(serializer, chunk),
    )


def body_catalog(pk):
    catalog = Catalog(body_id=pk)
    if pk not in catalog.bodies:
        raise not_found_error(f"No body {pk}.")
    return catalog


# The lists of a body: {URL segment: kinds listed, in this order}.
BODY_LISTS = {
    "organization": ("cluster", "organisation"),
    "person": ("person",),
    "meeting": ("meeting",),
    "agendaitem": ("agendaitem",),
    "file": ("file",),
    "location": ("location",),
    "membership": ("membership",),
}


def body_objects(list_name):
    kinds = BODY_LISTS[list_name]

    @oparl_view
    def view(request, pk):
        params = ListParams(request.GET)
        catalog = body_catalog(pk)
        serializer = Serializer(request, catalog, params.omit_internal)
        entries = []
        for rank, kind in enumerate(kinds):
            entries += catalog.entries(kind, rank, with_deleted=params.with_deleted)
        entries.sort(key=lambda entry: entry.sort)
        return paged(
            request,
            serializer.url(f"body-{list_name}", pk),
            params,
            entries,
            lambda chunk: render_entries(serializer, chunk),
        )

    return view


@oparl_view
def body_terms(request, pk):
    params = ListParams(request.GET)
    catalog = body_catalog(pk)
    serializer = Serializer(request, catalog, params.omit_internal)
    terms = catalog.terms
    entries = [
        Entry((0, key), "term", key, term.stamp.created, term.stamp.modified)
        for key, term in terms.items()
    ]
    return paged(
        request,
        serializer.url("body-legislativeterm", pk),
        params,
        entries,
        lambda chunk: [serializer.term(terms[entry.pk], body_id=pk) for entry in chunk],
    )


def empty_list(list_name):
    """Papers and consultations: the content has none, but a body must link
    to both lists (schema Body)."""

    @oparl_view
    def view(request, pk):
        params = ListParams(request.GET)
        catalog = body_catalog(pk)
        serializer = Serializer(request, catalog)
        return paged(request, serializer.url(f"body-{list_name}", pk), params, [], list)

    return view


def detail(kind):
    @oparl_view
    def view(request, key):
        catalog = Catalog()
        serializer = Serializer(
            request, catalog, request.GET.get("omit_internal") == "true"
        )
        if kind == "agendaitem":
            pk = catalog.item_pk(key)
        else:
            pk = key
        if pk is not None and catalog.shows(kind, pk):
            return json_response(getattr(serializer, SERIALIZE[kind])([pk])[0])
        record = catalog.gone(kind, str(key))
        if record is not None:
            return json_response(serializer.tombstone(kind, record))
        raise not_found_error(f"No {kind} {key}.")

    return view


@oparl_view
def legislative_term(request, key):
    catalog = Catalog()
    if key not in catalog.terms:
        raise not_found_error(f"No legislative term {key}.")
    body_id = next(iter(catalog.bodies), None)
    return json_response(
        Serializer(request, catalog).term(catalog.terms[key], body_id=body_id)
    )


def file_content(download):
    """The file itself: `accessUrl` shows it in the browser (never
    `Content-Disposition: attachment`), `downloadUrl` saves it (spec 2.7)."""

    @oparl_view
    def view(request, key):
        catalog = Catalog()
        if not catalog.shows("file", key):
            if catalog.gone("file", str(key)) is not None:
                raise ApiError(410, "Filen er slettet.", f"File {key} was deleted.")
            raise not_found_error(f"No file {key}.")
        document = (
            AgendaItemAttachment.objects.select_related("document").get(pk=key).document
        )
        try:
            handle = document.file.open("rb")
        except (OSError, ValueError):
            raise not_found_error(
                f"The file of document {document.pk} is missing."
            ) from None
        return FileResponse(
            handle,
            as_attachment=download,
            filename=document.filename,
            content_type=document.content_type,
        )

    return view


@oparl_view
def not_found(request, rest=""):
    # A canonical URL has no trailing slash (except the system's): redirect.
    if request.path.endswith("/") and len(request.path) > 1:
        try:
            resolve(request.path[:-1])
        except Resolver404:
            pass
        else:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(
                request.path[:-1] + (f"?{query}" if query else "")
            )
    raise ApiError(
        404,
        "Adressen findes ikke i OParl-grænsefladen.",
        f"No OParl endpoint at {request.path}; start at {reverse('oparl:system')}.",
    )
