"""The deadlines of the terms of reference, per cluster, computed in one place
for the dashboard panel, the report and the reminders.

Everything is read in a fixed number of queries however many clusters and
meetings there are: the clusters with their members, every meeting and every
set of minutes below them, the open workflows of those minutes and their
approvals, and the editors with an e-mail address (whom reminders reach).
The rules themselves are the plain functions of `klynge_pages.rules`; this
module only gathers the dates they need.

"Today" is a parameter everywhere, so that the states are computed for a
fixed day in tests and by `send_reminders`.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowState

from klynge_pages import rules
from klynge_pages.constants import SECRETARIAT_GROUP
from klynge_pages.models import (
    ClusterMembership,
    ClusterPage,
    ClusterSignOffTask,
    MeetingPage,
    MinutesPage,
    MinutesSignOff,
    SignOffMode,
)
from klynge_pages.rules import DeadlineState

# The fields of a meeting that the overview reads; nothing else is loaded.
MEETING_FIELDS = (
    "title",
    "path",
    "depth",
    "live",
    "first_published_at",
    "start",
    "end",
    "host",
)


class DeadlineKind:
    AGENDA = "dagsorden"
    MINUTES = "referat"
    LABELS = {AGENDA: _("Dagsorden"), MINUTES: _("Referat")}


class Status:
    """The desk's one vocabulary: every badge on the dashboard panel and the
    report is one of these words, the report's filter offers exactly these,
    and the exports write them. A deadline's badge is its state (the values
    of `klynge_pages.rules.DeadlineState`); a cluster's row adds its flags.

    Each word has a tone, the badge's colour; the word is always written out,
    so nothing is said by colour alone.
    """

    OVERDUE = DeadlineState.OVERDUE.value
    PENDING = DeadlineState.PENDING.value
    LATE = DeadlineState.LATE.value
    MET = DeadlineState.MET.value
    SIGNOFF = "signoff"
    BELOW_MINIMUM = "below_minimum"
    NO_EDITOR_EMAIL = "no_editor_email"

    LABELS = {
        **{state.value: state.label for state in DeadlineState},
        SIGNOFF: _("Afventer godkendelse"),
        BELOW_MINIMUM: _("For få møder"),
        NO_EDITOR_EMAIL: _("Ingen redaktør med e-mail"),
    }
    # What each word means, for the badge's tooltip and the editor's guide.
    DESCRIPTIONS = {
        OVERDUE: _("Fristen er passeret, og dagsordenen eller referatet er ikke ude."),
        PENDING: _("Fristen er ikke nået, og dagsordenen eller referatet er ikke ude."),
        LATE: _("Dagsordenen eller referatet kom ud efter fristen."),
        MET: _("Dagsordenen eller referatet kom ud inden for fristen."),
        SIGNOFF: _("Et referat venter på godkendelse."),
        BELOW_MINIMUM: _("Færre møder i år end kommissoriets mindste antal."),
        NO_EDITOR_EMAIL: _(
            "Ingen aktiv redaktør i klyngen har en e-mailadresse: påmindelser "
            "når ingen."
        ),
    }
    TONES = {
        OVERDUE: "critical",
        PENDING: "info",
        LATE: "warning",
        MET: "positive",
        SIGNOFF: "info",
        BELOW_MINIMUM: "warning",
        NO_EDITOR_EMAIL: "critical",
    }
    ORDER = (OVERDUE, PENDING, LATE, MET, SIGNOFF, BELOW_MINIMUM, NO_EDITOR_EMAIL)
    CHOICES = list(zip(ORDER, map(LABELS.get, ORDER), strict=True))
    # The states that put a cluster on the dashboard: something to do.
    NEEDS_ATTENTION = frozenset(
        {OVERDUE, PENDING, SIGNOFF, BELOW_MINIMUM, NO_EDITOR_EMAIL}
    )


@dataclass(frozen=True)
class Badge:
    status: str

    @property
    def label(self):
        return Status.LABELS[self.status]

    @property
    def description(self):
        return Status.DESCRIPTIONS[self.status]

    @property
    def tone(self):
        return Status.TONES[self.status]

    def __str__(self):
        return str(self.label)


@dataclass
class Deadline:
    """The agenda or the minutes of one meeting, and where they stand."""

    cluster: ClusterPage
    meeting: MeetingPage
    kind: str
    due: date
    state: str
    today: date

    @property
    def kind_label(self):
        return DeadlineKind.LABELS[self.kind]

    @property
    def badge(self):
        return Badge(self.state)

    @property
    def state_label(self):
        return Status.LABELS[self.state]

    @property
    def is_open(self):
        return self.state in (DeadlineState.PENDING, DeadlineState.OVERDUE)

    @property
    def is_overdue(self):
        return self.state == DeadlineState.OVERDUE

    @property
    def days_left(self):
        """Days until the deadline; negative once it has passed."""
        return (self.due - self.today).days


@dataclass
class SignOffWait:
    """Minutes in the workflow "Referatgodkendelse", waiting for a task."""

    meeting: MeetingPage
    minutes_id: int
    minutes_title: str
    task_name: str
    is_cluster_signoff: bool
    # In "one approval per organisation" mode, the members still to sign;
    # empty in the single mode (any of the cluster's approvers may sign).
    pending_organisations: list = field(default_factory=list)

    @property
    def waiting_for(self):
        if self.pending_organisations:
            return ", ".join(org.name for org in self.pending_organisations)
        if self.is_cluster_signoff:
            return str(_("klyngens godkendere"))
        return self.task_name


@dataclass
class ClusterDeadlines:
    """One cluster's row of the overview."""

    cluster: ClusterPage
    today: date
    next_meeting: MeetingPage | None = None
    # The next meeting's agenda, whatever its state.
    agenda: Deadline | None = None
    # Agendas and minutes not yet out, oldest deadline first.
    open_deadlines: list = field(default_factory=list)
    # The latest minutes deadline: the oldest one still open, else the one of
    # the last meeting held.
    minutes: Deadline | None = None
    signoffs: list = field(default_factory=list)
    meetings_this_year: int = 0
    suggested_host: object = None
    # The active editors with an e-mail address: who reminders go to.
    editors: list = field(default_factory=list)

    @property
    def has_minimum(self):
        return self.cluster.min_meetings_per_year > 0

    @property
    def has_editor_email(self):
        return bool(self.editors)

    @property
    def below_minimum(self):
        return rules.below_minimum(
            self.meetings_this_year, self.cluster.min_meetings_per_year
        )

    @property
    def overdue(self):
        return [d for d in self.open_deadlines if d.is_overdue]

    @property
    def open_minutes(self):
        return [d for d in self.open_deadlines if d.kind == DeadlineKind.MINUTES]

    @property
    def open_agendas(self):
        return [d for d in self.open_deadlines if d.kind == DeadlineKind.AGENDA]

    @property
    def agenda_is_not_next(self):
        """The agenda shown is another meeting's than the next one."""
        return self.agenda is not None and (
            self.next_meeting is None or self.agenda.meeting.pk != self.next_meeting.pk
        )

    @property
    def signoff_badge(self):
        return Badge(Status.SIGNOFF) if self.signoffs else None

    @property
    def minimum_badge(self):
        return Badge(Status.BELOW_MINIMUM) if self.below_minimum else None

    @property
    def email_badge(self):
        return None if self.has_editor_email else Badge(Status.NO_EDITOR_EMAIL)

    @property
    def badges(self):
        """The row's badges beyond its deadlines: sign-off, minimum, e-mail."""
        badges = (self.signoff_badge, self.minimum_badge, self.email_badge)
        return [badge for badge in badges if badge is not None]

    @property
    def states(self):
        """The words on the row's badges: the agenda's and the minutes' it
        shows (the most urgent of each) and its flags. The report's filter
        matches these, so a filter finds exactly the rows that show its word."""
        states = {d.state for d in (self.agenda, self.minutes) if d is not None}
        states.update(badge.status for badge in self.badges)
        return states

    @property
    def needs_attention(self):
        return bool(self.states & Status.NEEDS_ATTENTION)

    @property
    def most_urgent(self):
        return self.open_deadlines[0] if self.open_deadlines else None

    @property
    def urgency(self):
        """Sort key: overdue first (oldest first), then coming deadlines (the
        nearest first), then sign-offs, then too few meetings, then no editor
        to remind."""
        if self.overdue:
            rank, due = 0, self.overdue[0].due
        elif self.open_deadlines:
            rank, due = 1, self.open_deadlines[0].due
        elif self.signoffs:
            rank, due = 2, date.max
        elif self.below_minimum:
            rank, due = 3, date.max
        elif not self.has_editor_email:
            rank, due = 4, date.max
        else:
            rank, due = 5, date.max
        return (rank, due, self.cluster.title)

    # --- flat values for the report's columns and its CSV/XLSX export -------

    @property
    def cluster_title(self):
        return self.cluster.title

    @property
    def next_meeting_title(self):
        return self.next_meeting.title if self.next_meeting else ""

    @property
    def next_meeting_start(self):
        if self.next_meeting is None:
            return None
        return timezone.localtime(self.next_meeting.start).replace(tzinfo=None)

    @property
    def agenda_due(self):
        return self.agenda.due if self.agenda else None

    @property
    def agenda_state(self):
        return str(self.agenda.state_label) if self.agenda else ""

    @property
    def minutes_due(self):
        return self.minutes.due if self.minutes else None

    @property
    def minutes_state(self):
        return str(self.minutes.state_label) if self.minutes else ""

    @property
    def open_minutes_count(self):
        return len(self.open_minutes)

    @property
    def signoff_text(self):
        return "; ".join(
            f"{wait.meeting.title}: {wait.waiting_for}" for wait in self.signoffs
        )

    @property
    def below_minimum_text(self):
        return str(_("Ja")) if self.below_minimum else str(_("Nej"))

    @property
    def min_meetings_text(self):
        # No minimum is not "at least 0": the column stays empty.
        return self.cluster.min_meetings_per_year if self.has_minimum else None

    @property
    def editor_emails_text(self):
        return ", ".join(user.email for user in self.editors)

    @property
    def states_text(self):
        return ", ".join(
            str(Status.LABELS[key]) for key in Status.ORDER if key in self.states
        )

    @property
    def suggested_host_name(self):
        return self.suggested_host.name if self.suggested_host else ""


# --- who sees which clusters -------------------------------------------------


def sees_all_clusters(user):
    if not user.is_active:
        return False
    # Asked several times a request (menu items, views, panel): kept on the
    # user object, as Django keeps its permission cache.
    cached = getattr(user, "_klynge_sees_all_clusters", None)
    if cached is None:
        cached = (
            user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()
        )
        user._klynge_sees_all_clusters = cached
    return cached


def has_desk(user):
    """Whether `user` sees any cluster: the report, the reminder log and
    their menu items are for them only."""
    cached = getattr(user, "_klynge_has_desk", None)
    if cached is None:
        cached = visible_clusters(user).exists()
        user._klynge_has_desk = cached
    return cached


def visible_clusters(user):
    """The clusters whose deadlines `user` sees: the secretariat and
    superusers all, editors and approvers those of their groups."""
    clusters = ClusterPage.objects.all()
    if sees_all_clusters(user):
        return clusters
    if not user.is_authenticated or not user.is_active:
        return clusters.none()
    group_ids = list(user.groups.values_list("pk", flat=True))
    return clusters.filter(
        Q(editors_group__in=group_ids) | Q(approvers_group__in=group_ids)
    )


# --- the overview ------------------------------------------------------------


def _below(paths):
    """Pages below any of the `paths`, in one condition."""
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def _parent_path(path):
    return path[: -Page.steplen]


def build_overview(clusters, today=None):
    """[ClusterDeadlines] for the `clusters` (a queryset), most urgent first."""
    today = today or timezone.localdate()
    clusters = list(
        clusters.order_by("path").prefetch_related(
            Prefetch(
                "memberships",
                queryset=ClusterMembership.objects.select_related("organisation"),
            )
        )
    )
    if not clusters:
        return []
    by_path = {cluster.path: cluster for cluster in clusters}
    below = _below(by_path)

    meetings = list(
        # A cancelled meeting has no deadlines and counts for no minimum.
        MeetingPage.objects.filter(below, cancelled=False)
        .only(*MEETING_FIELDS)
        .order_by("start")
    )
    minutes = list(
        MinutesPage.objects.filter(below).values(
            "pk", "path", "title", "live", "first_published_at"
        )
    )
    live_minutes = {}  # meeting path -> first published
    minutes_by_pk = {}
    for row in minutes:
        minutes_by_pk[row["pk"]] = row
        if row["live"]:
            live_minutes[_parent_path(row["path"])] = row["first_published_at"]

    rows = {path: ClusterDeadlines(cluster, today) for path, cluster in by_path.items()}
    last_hosted = {path: {} for path in by_path}
    meetings_by_path = {}
    for meeting in meetings:
        cluster_path = _parent_path(meeting.path)
        row = rows.get(cluster_path)
        if row is None:  # below a cluster, but not a meeting of it
            continue
        meetings_by_path[meeting.path] = meeting
        _add_meeting(row, meeting, live_minutes, today)
        if meeting.host_id:
            hosted = last_hosted[cluster_path]
            hosted[meeting.host_id] = max(
                meeting.start, hosted.get(meeting.host_id, meeting.start)
            )

    _add_signoffs(rows, minutes_by_pk, meetings_by_path)
    editors = editors_by_group(
        {cluster.editors_group_id for cluster in clusters if cluster.editors_group_id}
    )

    for path, row in rows.items():
        row.editors = editors.get(row.cluster.editors_group_id, [])
        row.open_deadlines.sort(key=lambda d: (d.due, d.meeting.start))
        # The row shows the most urgent of each: the oldest open agenda and
        # minutes, else the next meeting's agenda and the last minutes due.
        open_agendas = row.open_agendas
        if open_agendas:
            row.agenda = open_agendas[0]
        open_minutes = row.open_minutes
        if open_minutes:
            row.minutes = open_minutes[0]
        row.suggested_host = rules.suggest_next_host(
            row.cluster.member_organisations(), last_hosted[path]
        )
    return sorted(rows.values(), key=lambda row: row.urgency)


def editors_by_group(group_ids):
    """{group id: [user]}: the active members of the editors' groups who have
    an e-mail address, by address; in one query."""
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


def _meeting_end(meeting):
    # The end is required on a meeting; a row without one (an import, a
    # manual fix in the database) is read as ending when it starts.
    return meeting.end or meeting.start


def _add_meeting(row, meeting, live_minutes, today):
    cluster = row.cluster
    start_day = rules.local_date(meeting.start)
    end = _meeting_end(meeting)
    if start_day.year == today.year:
        row.meetings_this_year += 1

    if row.next_meeting is None and rules.local_date(end) >= today:
        row.next_meeting = meeting
        due = rules.agenda_due(meeting.start)
        row.agenda = Deadline(
            cluster,
            meeting,
            DeadlineKind.AGENDA,
            due,
            rules.deadline_state(due, meeting.first_published_at, today),
            today,
        )
    if meeting.first_published_at is None and start_day >= today:
        due = rules.agenda_due(meeting.start)
        row.open_deadlines.append(
            Deadline(
                cluster,
                meeting,
                DeadlineKind.AGENDA,
                due,
                rules.deadline_state(due, None, today),
                today,
            )
        )
    if start_day <= today:
        due = rules.minutes_due(end)
        done_at = live_minutes.get(meeting.path)
        deadline = Deadline(
            cluster,
            meeting,
            DeadlineKind.MINUTES,
            due,
            rules.deadline_state(due, done_at, today),
            today,
        )
        if deadline.is_open:
            row.open_deadlines.append(deadline)
        else:
            # Meetings come oldest first: this ends as the last one held.
            row.minutes = deadline


def _add_signoffs(rows, minutes_by_pk, meetings_by_path):
    """Minutes in a workflow, with the task they wait for and, in the
    per-organisation mode, the organisations still to sign."""
    if not minutes_by_pk:
        return
    states = list(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in minutes_by_pk],
        ).select_related("current_task_state__task")
    )
    signoff_type = ContentType.objects.get_for_model(ClusterSignOffTask)
    signoff_states = [
        state.current_task_state_id
        for state in states
        if state.current_task_state
        and state.current_task_state.task.content_type_id == signoff_type.pk
    ]
    approved = {}
    for task_state_id, organisation_id in MinutesSignOff.objects.filter(
        task_state__in=signoff_states
    ).values_list("task_state_id", "organisation_id"):
        approved.setdefault(task_state_id, set()).add(organisation_id)

    for state in states:
        minutes = minutes_by_pk[int(state.object_id)]
        meeting = meetings_by_path.get(_parent_path(minutes["path"]))
        task_state = state.current_task_state
        if meeting is None or task_state is None:
            continue
        row = rows[_parent_path(meeting.path)]
        is_signoff = task_state.task.content_type_id == signoff_type.pk
        pending = []
        if is_signoff and row.cluster.signoff_mode == SignOffMode.PER_ORGANISATION:
            done = approved.get(task_state.pk, set())
            pending = [
                org for org in row.cluster.member_organisations() if org.pk not in done
            ]
        row.signoffs.append(
            SignOffWait(
                meeting=meeting,
                minutes_id=minutes["pk"],
                minutes_title=minutes["title"],
                task_name=task_state.task.name,
                is_cluster_signoff=is_signoff,
                pending_organisations=pending,
            )
        )
    for row in rows.values():
        row.signoffs.sort(key=lambda wait: wait.meeting.start)


def overview_for_user(user, today=None):
    return build_overview(visible_clusters(user), today=today)
