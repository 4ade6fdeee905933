"""The rules of the terms of reference, as plain functions of dates.

- The agenda is sent one week before the meeting.
- The minutes are sent at most one week after the meeting.
- Hosting rotates among the members ("går på skift"); the host chairs.
- A body holds at least its minimum number of meetings a year.
- Minutes are of a meeting that has begun: they may be drafted ahead, but
  not sent for sign-off nor published before the meeting's start.

Deadlines are whole days in Danish time: an agenda published any time on the
due date is on time.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .dates import danish_datetime

AGENDA_NOTICE = timedelta(days=7)
MINUTES_DEADLINE = timedelta(days=7)


class DeadlineState(models.TextChoices):
    # The words of the deadline report and the editor's panel alike
    # (klynge_editorial.deadlines.Status).
    PENDING = "pending", _("Kommende")
    MET = "met", _("Overholdt")
    LATE = "late", _("Udsendt for sent")
    OVERDUE = "overdue", _("Overskredet")


def local_date(value):
    """The Danish calendar date of an aware datetime (or a date as it is)."""
    if hasattr(value, "tzinfo"):
        return timezone.localdate(value)
    return value


def agenda_due(start):
    """The last day the agenda may go out for a meeting starting at `start`."""
    return local_date(start) - AGENDA_NOTICE


def minutes_due(end):
    """The last day the minutes may go out for a meeting ending at `end`."""
    return local_date(end) + MINUTES_DEADLINE


def meeting_has_begun(start, now=None):
    """Whether minutes of a meeting starting at `start` may go out."""
    return start is None or start <= (now or timezone.now())


def minutes_before_meeting_message(start):
    return gettext(
        "Referatet kan først sendes til godkendelse og udgives, når mødet er "
        "begyndt (%(start)s). Du kan gemme det som kladde indtil da."
    ) % {"start": danish_datetime(start)}


class MinutesBeforeMeeting(PermissionDenied):
    """Raised instead of sending minutes for sign-off before their meeting
    has begun (klynge_pages.models.workflow.MinutesWorkflow)."""

    def __init__(self, start):
        super().__init__(minutes_before_meeting_message(start))


def deadline_state(due, done_at=None, today=None):
    """Where a deadline stands: met or late once done, else pending or overdue."""
    if done_at is not None:
        return DeadlineState.MET if local_date(done_at) <= due else DeadlineState.LATE
    today = today or timezone.localdate()
    return DeadlineState.OVERDUE if today > due else DeadlineState.PENDING


def suggest_next_host(members, last_hosted):
    """The member that hosted least recently.

    `members` are organisations in the cluster's order; `last_hosted` maps an
    organisation's pk to the start of the last meeting it hosted. A member
    that never hosted comes first, in the cluster's order.
    """
    members = list(members)
    if not members:
        return None
    never = [member for member in members if member.pk not in last_hosted]
    if never:
        return never[0]
    return min(members, key=lambda member: last_hosted[member.pk])


def below_minimum(meetings_this_year, minimum):
    return meetings_this_year < minimum
