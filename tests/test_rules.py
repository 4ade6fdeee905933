"""The terms-of-reference rules as functions of dates, around the
boundaries."""

from datetime import date
from types import SimpleNamespace

import pytest

from klynge_pages import rules
from klynge_pages.rules import DeadlineState

from .factories import local

MEETING_START = local(2019, 11, 6, 16, 30)
MEETING_END = local(2019, 11, 6, 18, 0)


def test_agenda_is_due_one_week_before_the_meeting():
    assert rules.agenda_due(MEETING_START) == date(2019, 10, 30)


def test_minutes_are_due_one_week_after_the_meeting():
    assert rules.minutes_due(MEETING_END) == date(2019, 11, 13)


def test_deadlines_follow_danish_time_not_utc():
    # 00:30 in Copenhagen is still the previous day in UTC.
    start = local(2019, 11, 6, 0, 30)

    assert rules.agenda_due(start) == date(2019, 10, 30)


@pytest.mark.parametrize(
    ("done_at", "expected"),
    [
        (local(2019, 10, 29, 9, 0), DeadlineState.MET),
        (local(2019, 10, 30, 23, 59), DeadlineState.MET),
        (local(2019, 10, 31, 0, 0), DeadlineState.LATE),
        (local(2019, 11, 5, 12, 0), DeadlineState.LATE),
    ],
)
def test_agenda_sent_on_or_before_the_due_day_is_on_time(done_at, expected):
    due = rules.agenda_due(MEETING_START)

    assert rules.deadline_state(due, done_at) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2019, 11, 12), DeadlineState.PENDING),
        (date(2019, 11, 13), DeadlineState.PENDING),
        (date(2019, 11, 14), DeadlineState.OVERDUE),
    ],
)
def test_unsent_minutes_become_overdue_the_day_after_the_deadline(today, expected):
    due = rules.minutes_due(MEETING_END)

    assert rules.deadline_state(due, None, today=today) == expected


def org(pk, name):
    return SimpleNamespace(pk=pk, name=name)


def test_next_host_is_a_member_that_never_hosted_in_member_order():
    members = [org(1, "Aalborg"), org(2, "Jammerbugt"), org(3, "Region")]
    last_hosted = {1: local(2020, 1, 6, 10, 0)}

    assert rules.suggest_next_host(members, last_hosted).name == "Jammerbugt"


def test_next_host_is_the_member_that_hosted_least_recently():
    members = [org(1, "Aalborg"), org(2, "Jammerbugt"), org(3, "Region")]
    last_hosted = {
        1: local(2021, 1, 6, 10, 0),
        2: local(2020, 1, 6, 10, 0),
        3: local(2022, 1, 6, 10, 0),
    }

    assert rules.suggest_next_host(members, last_hosted).name == "Jammerbugt"


def test_no_members_no_suggested_host():
    assert rules.suggest_next_host([], {}) is None


@pytest.mark.parametrize(
    ("held", "minimum", "below"),
    [(0, 1, True), (1, 1, False), (1, 2, True), (0, 0, False)],
)
def test_below_minimum_meetings(held, minimum, below):
    assert rules.below_minimum(held, minimum) is below
