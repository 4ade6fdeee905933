"""Reminders by e-mail to a cluster's editors about the deadlines of the
terms of reference: a few days before a deadline, and once it has passed.

Each reminder sent is recorded (DeadlineReminder), and a recorded reminder is
never sent again, so `manage.py send_reminders` may run as often as cron
likes.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from klynge_pages.models import ClusterPage

from .deadlines import DeadlineKind, build_overview
from .models import DeadlineReminder

DEFAULT_DAYS_BEFORE = 3
# Overdue deadlines older than this get no reminder: the first run on a site
# with years of history must not mail about every old meeting.
DEFAULT_OVERDUE_WITHIN = 30


@dataclass
class Reminder:
    deadline: object  # deadlines.Deadline
    stage: str
    recipients: list = field(default_factory=list)  # users with an e-mail

    @property
    def cluster(self):
        return self.deadline.cluster

    @property
    def meeting(self):
        return self.deadline.meeting

    @property
    def key(self):
        d = self.deadline
        return (d.meeting.pk, d.kind, self.stage, d.due)

    def __str__(self):
        d = self.deadline
        return (
            f"{d.cluster.title} / {d.meeting.title}: {d.kind} due {d.due:%Y-%m-%d} "
            f"({self.stage})"
        )


def stage_for(deadline, days_before, overdue_within):
    if deadline.is_overdue:
        return (
            DeadlineReminder.Stage.OVERDUE
            if -deadline.days_left <= overdue_within
            else None
        )
    if deadline.is_open and 0 <= deadline.days_left <= days_before:
        return DeadlineReminder.Stage.UPCOMING
    return None


def due_reminders(
    today=None,
    days_before=DEFAULT_DAYS_BEFORE,
    overdue_within=DEFAULT_OVERDUE_WITHIN,
    clusters=None,
):
    """The reminders to send today that have not been sent, with their
    recipients: the active editors of the cluster who have an e-mail."""
    today = today or timezone.localdate()
    clusters = clusters if clusters is not None else ClusterPage.objects.all()
    candidates = []
    for row in build_overview(clusters, today=today):
        for deadline in row.open_deadlines:
            stage = stage_for(deadline, days_before, overdue_within)
            if stage is not None:
                candidates.append(Reminder(deadline, stage))
    if not candidates:
        return []

    sent = set(
        DeadlineReminder.objects.filter(
            meeting__in={reminder.meeting.pk for reminder in candidates}
        ).values_list("meeting_id", "kind", "stage", "deadline")
    )
    reminders = [reminder for reminder in candidates if reminder.key not in sent]

    editors = _editors_by_group(
        {r.cluster.editors_group_id for r in reminders if r.cluster.editors_group_id}
    )
    for reminder in reminders:
        reminder.recipients = editors.get(reminder.cluster.editors_group_id, [])
    return reminders


def _editors_by_group(group_ids):
    if not group_ids:
        return {}
    memberships = (
        get_user_model()
        .groups.through.objects.filter(
            group_id__in=group_ids, user__is_active=True, user__email__gt=""
        )
        .select_related("user")
        .order_by("user__email")
    )
    editors = {}
    for membership in memberships:
        editors.setdefault(membership.group_id, []).append(membership.user)
    return editors


def _admin_url(reminder):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    meeting = reminder.meeting
    if reminder.deadline.kind == DeadlineKind.AGENDA:
        return base + reverse("wagtailadmin_pages:edit", args=(meeting.pk,))
    # The minutes are written as a page below the meeting.
    return base + reverse("wagtailadmin_explore", args=(meeting.pk,))


def build_messages(reminder, connection=None):
    """One e-mail per recipient, in Danish."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in reminder.recipients:
            context = {
                "user": user,
                "reminder": reminder,
                "deadline": reminder.deadline,
                "cluster": reminder.cluster,
                "meeting": reminder.meeting,
                "is_agenda": reminder.deadline.kind == DeadlineKind.AGENDA,
                "is_overdue": reminder.stage == DeadlineReminder.Stage.OVERDUE,
                "days_left": reminder.deadline.days_left,
                "days_late": -reminder.deadline.days_left,
                "admin_url": _admin_url(reminder),
            }
            prefix = "klynge_editorial/emails/reminder"
            subject = " ".join(
                render_to_string(f"{prefix}_subject.txt", context).split()
            )
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string(f"{prefix}.txt", context),
                to=[user.email],
                connection=connection,
            )
            message.attach_alternative(
                render_to_string(f"{prefix}.html", context), "text/html"
            )
            messages.append(message)
    return messages


def send(reminder, connection=None):
    """Send and record one reminder; False if it was recorded meanwhile.

    The record and the e-mails go together: if sending fails, the record is
    rolled back and the next run tries again.
    """
    deadline = reminder.deadline
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                cluster=reminder.cluster,
                meeting=reminder.meeting,
                kind=deadline.kind,
                stage=reminder.stage,
                deadline=deadline.due,
                recipients="\n".join(user.email for user in reminder.recipients),
            )
            for message in build_messages(reminder, connection=connection):
                message.send()
    except IntegrityError:
        return False  # another run sent it
    return True


def open_connection():
    return get_connection()
