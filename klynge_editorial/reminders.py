"""Reminders by e-mail to a cluster's editors about the deadlines of the
terms of reference: a few days before a deadline, and once it has passed
(`manage.py send_reminders`), or whenever someone who may sends one from the
admin ("Send påmindelse").

Each reminder sent is recorded (DeadlineReminder). A recorded automatic
reminder is never sent again, so `manage.py send_reminders` may run as often
as cron likes; one sent from the admin is recorded with its sender.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from klynge_pages.dates import danish_date
from klynge_pages.models import ClusterPage

from .deadlines import DeadlineKind, build_overview, visible_clusters
from .models import DeadlineReminder

# The page log's action for a reminder sent from the admin (wagtail_hooks.py).
REMINDER_LOG_ACTION = "klynge_editorial.reminder"

DEFAULT_DAYS_BEFORE = 3
# Overdue deadlines older than this get no reminder: the first run on a site
# with years of history must not mail about every old meeting.
DEFAULT_OVERDUE_WITHIN = 30


@dataclass
class Reminder:
    deadline: object  # deadlines.Deadline
    stage: str
    recipients: list = field(default_factory=list)  # users with an e-mail
    sent_by: object = None  # the user who sent it from the admin

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

    @property
    def stage_label(self):
        return DeadlineReminder.Stage(self.stage).label

    def __str__(self):
        d = self.deadline
        return _("%(cluster)s / %(meeting)s: %(kind)s, frist %(due)s (%(stage)s)") % {
            "cluster": d.cluster.title,
            "meeting": d.meeting.title,
            "kind": str(d.kind_label).lower(),
            "due": danish_date(d.due),
            "stage": str(self.stage_label).lower(),
        }


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
                candidates.append(Reminder(deadline, stage, recipients=row.editors))
    if not candidates:
        return []

    sent = set(
        DeadlineReminder.objects.filter(
            meeting__in={reminder.meeting.pk for reminder in candidates}
        ).values_list("meeting_id", "kind", "stage", "deadline")
    )
    return [reminder for reminder in candidates if reminder.key not in sent]


# --- reminders sent from the admin -------------------------------------------


def clusters_for_sender(user):
    """The clusters whose editors `user` may remind from the admin: the
    secretariat and superusers every cluster, a cluster's editors and
    approvers their own cluster. The one rule every path asks."""
    return visible_clusters(user)


def may_send(user, cluster):
    return clusters_for_sender(user).filter(pk=cluster.pk).exists()


def manual_reminder(user, meeting, kind, today=None):
    """The reminder `user` may send now about the agenda or the minutes
    (`kind`) of `meeting`, or None when that deadline is not open today.

    Raises PermissionDenied when the meeting's cluster is not the user's.
    """
    cluster = clusters_for_sender(user).parent_of(meeting).first()
    if cluster is None:
        raise PermissionDenied
    today = today or timezone.localdate()
    [row] = build_overview(ClusterPage.objects.filter(pk=cluster.pk), today=today)
    for deadline in row.open_deadlines:
        if deadline.meeting.pk == meeting.pk and deadline.kind == kind:
            return Reminder(
                deadline,
                DeadlineReminder.Stage.MANUAL,
                recipients=row.editors,
                sent_by=user,
            )
    return None


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
                "is_overdue": reminder.deadline.is_overdue,
                "sender": reminder.sent_by,
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
    if not reminder.recipients:
        raise ValueError("a reminder without recipients cannot be sent")
    deadline = reminder.deadline
    try:
        with transaction.atomic():
            record = DeadlineReminder.objects.create(
                cluster=reminder.cluster,
                meeting=reminder.meeting,
                kind=deadline.kind,
                stage=reminder.stage,
                deadline=deadline.due,
                recipients="\n".join(user.email for user in reminder.recipients),
                sent_by=reminder.sent_by,
            )
            for message in build_messages(reminder, connection=connection):
                message.send()
    except IntegrityError:
        return False  # another run sent it
    if reminder.sent_by is not None:
        log(
            instance=reminder.meeting,
            action=REMINDER_LOG_ACTION,
            user=reminder.sent_by,
            data={
                "reminder": record.pk,
                "kind": deadline.kind,
                "deadline": deadline.due.isoformat(),
                "recipients": [user.email for user in reminder.recipients],
            },
        )
    return True


def open_connection():
    return get_connection()
