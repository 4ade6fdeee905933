"""The rules computed on real content: rotation of hosts, minimum meetings,
agenda and minutes deadlines."""

from datetime import date

import pytest
from django.utils import timezone

from klynge_pages.rules import DeadlineState

from .factories import (
    OrganisationFactory,
    local,
    make_cluster,
    make_meeting,
    make_minutes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    return [
        OrganisationFactory(name="Aalborg Kommune"),
        OrganisationFactory(name="Jammerbugt Kommune"),
        OrganisationFactory(name="Region Nordjylland"),
    ]


def test_next_host_rotates_to_the_member_that_never_hosted(members):
    aalborg, jammerbugt, region = members
    cluster = make_cluster(members=members)
    make_meeting(cluster, start=local(2020, 1, 6, 10, 0), host=aalborg)

    assert cluster.suggested_next_host() == jammerbugt


def test_next_host_is_the_least_recent_once_all_have_hosted(members):
    aalborg, jammerbugt, region = members
    cluster = make_cluster(members=members)
    make_meeting(cluster, start=local(2020, 1, 6, 10, 0), host=jammerbugt)
    make_meeting(cluster, start=local(2021, 1, 6, 10, 0), host=aalborg)
    make_meeting(cluster, start=local(2022, 1, 6, 10, 0), host=region)
    make_meeting(cluster, start=local(2023, 1, 6, 10, 0), host=jammerbugt)

    assert cluster.suggested_next_host() == aalborg


def test_hosting_in_another_cluster_does_not_count(members):
    aalborg, jammerbugt, region = members
    cluster = make_cluster(members=members)
    other = make_cluster(title="Klynge Nord", members=[aalborg])
    make_meeting(other, start=local(2020, 1, 6, 10, 0), host=aalborg)

    assert cluster.suggested_next_host() == aalborg


def test_cluster_without_meetings_this_year_is_below_minimum():
    cluster = make_cluster(min_meetings_per_year=1)
    make_meeting(cluster, start=local(2019, 11, 6, 16, 30))

    assert cluster.is_below_minimum(year=2020)
    assert not cluster.is_below_minimum(year=2019)


def test_draft_meetings_count_towards_the_minimum():
    cluster = make_cluster(min_meetings_per_year=2)
    make_meeting(cluster, start=local(2020, 3, 1, 10, 0))
    make_meeting(cluster, start=local(2020, 9, 1, 10, 0), live=False)

    assert not cluster.is_below_minimum(year=2020)


def test_agenda_published_a_week_ahead_is_on_time():
    cluster = make_cluster()
    meeting = make_meeting(cluster, start=local(2019, 11, 6, 16, 30))
    assert meeting.agenda_due == date(2019, 10, 30)

    # The last minute of the due day still counts, whatever today's date is.
    meeting.first_published_at = local(2019, 10, 30, 23, 59)
    assert meeting.agenda_state() == DeadlineState.MET
    meeting.first_published_at = local(2019, 10, 31, 0, 0)
    assert meeting.agenda_state() == DeadlineState.LATE


def test_agenda_published_after_the_due_day_is_late():
    cluster = make_cluster()
    meeting = make_meeting(cluster, start=timezone.now() + timezone.timedelta(days=2))

    assert meeting.agenda_state() == DeadlineState.LATE


def test_minutes_state_follows_the_minutes_page():
    cluster = make_cluster()
    meeting = make_meeting(cluster, start=local(2019, 11, 6, 16, 30))

    assert meeting.minutes_state(today=date(2019, 11, 13)) == DeadlineState.PENDING
    assert meeting.minutes_state(today=date(2019, 11, 14)) == DeadlineState.OVERDUE

    minutes = make_minutes(meeting)
    minutes.first_published_at = local(2019, 11, 13, 15, 0)
    minutes.save()
    assert meeting.minutes_state() == DeadlineState.MET


def test_draft_minutes_do_not_meet_the_deadline():
    cluster = make_cluster()
    meeting = make_meeting(cluster, start=local(2019, 11, 6, 16, 30))
    make_minutes(meeting, live=False)

    assert meeting.minutes_state(today=date(2019, 11, 14)) == DeadlineState.OVERDUE


def test_next_and_past_meetings(members):
    cluster = make_cluster(members=members)
    old = make_meeting(cluster, start=local(2019, 11, 6, 16, 30))
    older = make_meeting(cluster, start=local(2019, 3, 6, 16, 30))
    future = make_meeting(cluster, start=timezone.now() + timezone.timedelta(days=30))
    make_meeting(
        cluster, start=timezone.now() + timezone.timedelta(days=60), live=False
    )

    assert cluster.next_meeting() == future
    assert cluster.past_meetings_by_year() == [(2019, [old, older])]
