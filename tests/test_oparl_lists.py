"""OParl lists on a generated data set of a few thousand objects: stable
order, pagination through `links.next`, the four filters kept in the links,
soft-deleted objects for `modified_since` clients, and bad parameters."""

from datetime import UTC, timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from klynge_pages.models import AgendaItem, MeetingPage, MeetingParticipant, Person
from oparl import records

from .factories import OrganisationFactory, local, make_cluster, make_meeting
from .oparl_spec import check_list_page

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MEETINGS = 10
ITEMS_PER_MEETING = 300  # 3,000 agenda items: the largest list
PEOPLE_PER_MEETING = 150  # 1,500 people and memberships
FIRST = local(2020, 1, 6, 10, 0)


def created_at(n):
    return FIRST + timedelta(days=7 * n)


def modified_at(n):
    # Modified in the reverse order of creation, so the two filters differ.
    return FIRST + timedelta(days=400 - 7 * n)


def q(value):
    return quote(value.isoformat(), safe="")


@pytest.fixture
def data():
    """Ten published meetings; their agenda items and participants are
    bulk-created, as publishing thousands of pages would take minutes. The
    records are synced once, at the end, as `manage.py oparl_sync` does."""
    organisation = OrganisationFactory(name="Aalborg Kommune")
    cluster = make_cluster(members=[organisation])
    meetings = [
        make_meeting(cluster, start=created_at(n), items=0) for n in range(MEETINGS)
    ]
    items, participants = [], []
    people = Person.objects.bulk_create(
        Person(name=f"Deltager {n}", title="byrådsmedlem", organisation=organisation)
        for n in range(MEETINGS * PEOPLE_PER_MEETING)
    )
    for n, meeting in enumerate(meetings):
        Page.objects.filter(pk=meeting.pk).update(
            first_published_at=created_at(n), last_published_at=modified_at(n)
        )
        items += [
            AgendaItem(page=meeting, number=k + 1, title=f"Punkt {k + 1}", sort_order=k)
            for k in range(ITEMS_PER_MEETING)
        ]
        participants += [
            MeetingParticipant(page=meeting, person=person, sort_order=k)
            for k, person in enumerate(
                people[n * PEOPLE_PER_MEETING : (n + 1) * PEOPLE_PER_MEETING]
            )
        ]
    AgendaItem.objects.bulk_create(items, batch_size=500)
    MeetingParticipant.objects.bulk_create(participants, batch_size=500)
    records.sync()
    body = cluster.get_parent().pk
    return {
        "meetings": meetings,
        "base": f"http://testserver/oparl/v1.1/body/{body}",
    }


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def walk(client, url):
    pages = []
    while url:
        page = get(client, url)
        check_list_page(page)
        pages.append(page)
        url = page["links"].get("next")
    return pages


def ids(pages):
    return [obj["id"] for page in pages for obj in page["data"]]


def item_ids(queryset):
    return [
        f"http://testserver/oparl/v1.1/agendaitem/{uuid}"
        for uuid in queryset.order_by("pk").values_list("uuid", flat=True)
    ]


def test_largest_list_pages_through_every_item_once_in_a_stable_order(client, data):
    pages = walk(client, f"{data['base']}/agendaitem")

    assert len(pages) == MEETINGS * ITEMS_PER_MEETING // 100
    assert ids(pages) == item_ids(AgendaItem.objects.all())
    assert ids(walk(client, f"{data['base']}/agendaitem")) == ids(pages)
    first, second, last = pages[0], pages[1], pages[-1]
    assert first["pagination"] == {
        "totalElements": 3000,
        "elementsPerPage": 100,
        "currentPage": 1,
        "totalPages": 30,
    }
    assert first["links"]["next"] == f"{data['base']}/agendaitem?page=2"
    assert "prev" not in first["links"]
    assert second["links"]["prev"] == f"{data['base']}/agendaitem"
    assert second["links"]["self"] == f"{data['base']}/agendaitem?page=2"
    assert "next" not in last["links"]
    assert last["links"]["self"] == last["links"]["last"]


def test_limit_sets_the_page_size_up_to_the_maximum(client, data):
    small = get(client, f"{data['base']}/person?limit=7")
    large = get(client, f"{data['base']}/person?limit=5000")

    assert len(small["data"]) == 7
    assert small["pagination"]["totalPages"] == 1500 // 7 + 1
    assert small["links"]["next"] == f"{data['base']}/person?limit=7&page=2"
    assert len(large["data"]) == 100


def test_created_filters_select_by_the_meetings_publication(client, data):
    meetings = data["meetings"]
    since = q(created_at(4))
    until = q(created_at(6))

    pages = walk(
        client, f"{data['base']}/agendaitem?created_since={since}&created_until={until}"
    )

    expected = AgendaItem.objects.filter(page__in=meetings[4:7])
    assert ids(pages) == item_ids(expected)
    for page in pages:
        for link in page["links"].values():
            query = parse_qs(urlsplit(link).query)
            assert query["created_since"] == [created_at(4).isoformat()]
            assert query["created_until"] == [created_at(6).isoformat()]


def test_modified_filters_select_by_the_last_change(client, data):
    meetings = data["meetings"]

    newer = walk(client, f"{data['base']}/meeting?modified_since={q(modified_at(2))}")
    older = walk(client, f"{data['base']}/meeting?modified_until={q(modified_at(8))}")

    assert ids(newer) == [
        f"http://testserver/oparl/v1.1/meeting/{m.pk}" for m in meetings[:3]
    ]
    assert ids(older) == [
        f"http://testserver/oparl/v1.1/meeting/{m.pk}" for m in meetings[8:]
    ]
    people = walk(client, f"{data['base']}/person?modified_since={q(modified_at(0))}")
    assert len(ids(people)) == PEOPLE_PER_MEETING


def test_filter_accepts_an_unencoded_plus_and_utc(client, data):
    raw = created_at(9).isoformat()  # "…+01:00": "+" arrives as a space
    utc = created_at(9).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    unencoded = get(client, f"{data['base']}/meeting?created_since={raw}")
    in_utc = get(client, f"{data['base']}/meeting?created_since={utc}")

    assert unencoded["pagination"]["totalElements"] == 1
    assert in_utc["pagination"]["totalElements"] == 1


def test_deleted_objects_are_listed_in_order_for_modified_since_only(
    client, data, django_capture_on_commit_callbacks
):
    meeting = data["meetings"][3]
    with django_capture_on_commit_callbacks(execute=True):
        MeetingPage.objects.get(pk=meeting.pk).unpublish()
    url = f"{data['base']}/agendaitem"

    changed = walk(client, f"{url}?modified_since={q(modified_at(2))}")

    objects = [obj for page in changed for obj in page["data"]]
    deleted = [obj for obj in objects if obj.get("deleted")]
    assert len(deleted) == ITEMS_PER_MEETING
    assert [obj["id"] for obj in objects] == item_ids(
        AgendaItem.objects.filter(page__in=data["meetings"][:4])
    )
    assert len(ids(walk(client, url))) == (MEETINGS - 1) * ITEMS_PER_MEETING


@pytest.fixture
def body():
    cluster = make_cluster()
    return f"http://testserver/oparl/v1.1/body/{cluster.get_parent().pk}"


@pytest.mark.parametrize(
    "name", ["created_since", "created_until", "modified_since", "modified_until"]
)
@pytest.mark.parametrize("value", ["igår", "2024-13-01T00:00:00+01:00", "2024", ""])
def test_bad_filter_values_are_refused_in_danish_and_english(client, body, name, value):
    error = get(client, f"{body}/meeting?{name}={quote(value)}", status=400)

    assert error["type"] == "https://schema.oparl.org/1.1/Error"
    assert error["message"].startswith(f"Ugyldig værdi for {name}")
    assert "ISO 8601" in error["message"]
    assert "is not an ISO 8601 date-time" in error["debug"]


@pytest.mark.parametrize("query", ["page=0", "page=to", "limit=-5", "limit=x"])
def test_bad_page_or_limit_is_refused(client, body, query):
    error = get(client, f"{body}/meeting?{query}", status=400)

    assert error["message"].startswith("Ugyldig værdi for")


def test_page_past_the_end_is_not_found(client, body):
    error = get(client, f"{body}/meeting?page=2", status=404)

    assert "1 side" in error["message"]


def test_a_list_page_costs_the_same_queries_however_many_objects_it_holds(client, data):
    get(client, f"{data['base']}/agendaitem")  # Wagtail caches the site's root
    counts = []
    for query in ("limit=1", "", "page=30", "modified_since=2000-01-01T00:00:00Z"):
        with CaptureQueriesContext(connection) as queries:
            get(client, f"{data['base']}/agendaitem?{query}")
        counts.append(len(queries))

    assert len(set(counts)) == 1, counts
