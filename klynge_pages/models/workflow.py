"""Sign-off of minutes by the cluster's approvers, as a Wagtail workflow task.

The task finds the cluster from the page it moderates, so one task serves
every cluster. In the cluster's "per organisation" mode it needs one approval
from each member organisation (each municipality, the region, PLO), recorded
separately; it completes only when all have approved. Each approval is bound
to the revision sent for sign-off and to the digest of its public record
(see klynge_pages/signoff.py); the organisation an approver signs for is the
secretariat's decision (`Signatory`). A rejection returns the minutes to the
editor; the round's approvals stay on record but no longer count.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Page, Task, TaskState, Workflow

from .. import rules
from ..constants import SignOffMode
from .pages import ClusterPage, MinutesPage, MinutesSignOff
from .snippets import Signatory


def join_names(names):
    """“A”, “A og B”, “A, B og C”."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return format_lazy("{} {} {}", ", ".join(names[:-1]), _("og"), names[-1])


class MinutesWorkflow(Workflow):
    """ "Referatgodkendelse" as minutes start it (MinutesPage.get_workflow):
    every submission, by any view, goes through `start`, which refuses minutes
    of a meeting that has not begun."""

    class Meta:
        proxy = True
        # Workflows are managed as Wagtail's own; no permissions of its own.
        default_permissions = ()

    @transaction.atomic
    def start(self, obj, user):
        meeting = obj.get_parent().specific
        start = getattr(meeting, "start", None)
        if not rules.meeting_has_begun(start):
            raise rules.MinutesBeforeMeeting(start)
        return super().start(obj, user)


class ClusterSignOffTask(Task):
    """Approval by the approvers ("Godkendere") of the page's own cluster."""

    class Meta:
        verbose_name = _("klyngens godkendelse")
        verbose_name_plural = _("klyngens godkendelser")

    @classmethod
    def get_description(cls):
        return _(
            "Klyngens godkendere godkender. Klyngen kan kræve én godkendelse "
            "fra hver medlemsorganisation."
        )

    # --- who and what -------------------------------------------------------

    @staticmethod
    def cluster_of(obj):
        if not isinstance(obj, Page):
            return None
        return ClusterPage.objects.ancestor_of(obj, inclusive=True).first()

    @staticmethod
    def signatory_of(user):
        return (
            Signatory.objects.filter(user=user).select_related("organisation").first()
        )

    @classmethod
    def organisation_of(cls, user):
        signatory = cls.signatory_of(user)
        return signatory.organisation if signatory else None

    def is_approver(self, cluster, user):
        if user.is_superuser:
            return True
        return bool(
            cluster
            and cluster.approvers_group_id
            and user.groups.filter(pk=cluster.approvers_group_id).exists()
        )

    @staticmethod
    def required_organisations(cluster):
        if cluster is None or cluster.signoff_mode != SignOffMode.PER_ORGANISATION:
            return []
        return [membership.organisation for membership in cluster.memberships.all()]

    @staticmethod
    def approvals(task_state):
        return MinutesSignOff.objects.filter(task_state=task_state)

    def pending_organisations(self, task_state, cluster):
        approved = set(
            self.approvals(task_state).values_list("organisation_id", flat=True)
        )
        return [
            organisation
            for organisation in self.required_organisations(cluster)
            if organisation.pk not in approved
        ]

    def current_task_state(self, obj):
        return (
            TaskState.objects.filter(
                task=self,
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__object_id=str(obj.pk),
            )
            .select_related("revision")
            .order_by("-started_at")
            .first()
        )

    def refusal(self, obj, user):
        """Why `user` may not approve `obj` now, in words for the approval
        screen; None when they may."""
        cluster = self.cluster_of(obj)
        if not self.is_approver(cluster, user):
            return _("Du er ikke godkender i denne klynge.")
        task_state = self.current_task_state(obj)
        if task_state is None:
            return _("Referatet afventer ikke klyngens godkendelse.")
        if task_state.revision_id != obj.latest_revision_id:
            return _(
                "Referatet er ændret, efter det blev sendt til godkendelse. "
                "Kontakt sekretariatet."
            )
        if self.approvals(task_state).filter(user=user).exists():
            return _("Du har allerede godkendt denne version.")
        required = self.required_organisations(cluster)
        if not required:
            return None
        organisation = self.organisation_of(user)
        if organisation is None:
            return _(
                "Din bruger er ikke knyttet til en medlemsorganisation — kontakt "
                "sekretariatet."
            )
        if organisation.pk not in {o.pk for o in required}:
            return _(
                "Du godkender for %(organisation)s, som ikke er medlem af "
                "klyngen — kontakt sekretariatet."
            ) % {"organisation": organisation.name}
        if organisation.pk not in {
            o.pk for o in self.pending_organisations(task_state, cluster)
        }:
            return _("%(organisation)s har allerede godkendt denne version.") % {
                "organisation": organisation.name
            }
        return None

    def can_approve_now(self, obj, user):
        return self.refusal(obj, user) is None

    def approve_label(self, obj, user):
        """“Godkend for Aalborg Kommune” while others are missing; “Godkend
        og udgiv” for the approval that completes the round."""
        cluster = self.cluster_of(obj)
        required = self.required_organisations(cluster)
        if not required:
            return _("Godkend og udgiv")
        organisation = self.organisation_of(user)
        task_state = self.current_task_state(obj)
        pending = self.pending_organisations(task_state, cluster) if task_state else []
        if organisation and [o.pk for o in pending] == [organisation.pk]:
            return _("Godkend og udgiv")
        name = organisation.name if organisation else ""
        return _("Godkend for %(organisation)s") % {"organisation": name}

    # --- Wagtail's task interface -------------------------------------------

    def start(self, workflow_state, user=None):
        """Start this round, or send it back to an earlier step first: when
        the editor resubmits after a rejection, a step that approved another
        version than the one now sent approves again (an approval is of one
        version, never of the next)."""
        earlier = self._stale_earlier_step(workflow_state)
        if earlier is not None:
            return earlier.start(workflow_state, user=user)
        return super().start(workflow_state, user=user)

    def _stale_earlier_step(self, workflow_state):
        page = workflow_state.content_object.specific
        latest = page.get_latest_revision()
        if latest is None:
            return None
        newest_approvals = {}
        for state in (
            TaskState.objects.filter(
                workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
            )
            .exclude(task=self)
            .select_related("revision")
            .order_by("started_at", "pk")
        ):
            newest_approvals[state.task_id] = state
        current = None
        for state in newest_approvals.values():
            if state.revision_id == latest.pk:
                continue
            if current is None:
                current = latest.as_object().digest()
            if state.revision is None or state.revision.as_object().digest() != current:
                return state.task.specific
        return None

    def user_can_access_editor(self, obj, user):
        return self.is_approver(self.cluster_of(obj), user)

    def locked_for_user(self, obj, user):
        # Approvers approve or reject; nobody edits (MinutesPage.get_lock).
        return True

    def get_actions(self, obj, user):
        actions = []
        if self.is_approver(self.cluster_of(obj), user):
            actions.append(("reject", _("Afvis med kommentar"), True))
        if self.can_approve_now(obj, user):
            # Always through the modal: it says what is being signed.
            actions.append(("approve", self.approve_label(obj, user), True))
        return actions

    def get_template_for_action(self, action):
        return "klynge_pages/signoff/action_modal.html"

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not user.is_superuser:
            paths = ClusterPage.objects.filter(
                approvers_group__in=user.groups.all()
            ).values_list("path", flat=True)
            if not paths:
                return TaskState.objects.none()
            in_clusters = Q()
            for path in paths:
                in_clusters |= Q(path__startswith=path)
            page_ids = MinutesPage.objects.filter(in_clusters).values_list(
                "pk", flat=True
            )
            states = states.filter(
                workflow_state__object_id__in=[str(pk) for pk in page_ids]
            )
        # Minutes leave the queue of an approver who has signed them, and of
        # those whose organisation has.
        signed = Q(user=user)
        if organisation := self.organisation_of(user):
            signed |= Q(organisation=organisation)
        done = MinutesSignOff.objects.filter(signed).values("task_state")
        return states.exclude(pk__in=done)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.workflow_state.content_object.specific
        comment = kwargs.get("comment", "") or ""
        cluster = self.cluster_of(page)
        receipt = reverse("klynge_pages_signoff_receipt", args=(page.pk, task_state.pk))
        if action_name == "reject":
            if not self.is_approver(cluster, user):
                raise PermissionDenied
            task_state.reject(user=user, comment=comment)
            return receipt
        if action_name != "approve":
            raise PermissionDenied
        refusal = self.refusal(page, user)
        if refusal is not None:
            raise PermissionDenied(refusal)

        revision = task_state.revision
        signatory = self.signatory_of(user)
        organisation = signatory.organisation if signatory else None
        MinutesSignOff.objects.create(
            page_id=page.pk,
            task_state=task_state,
            revision=revision,
            digest=revision.as_object().digest(),
            user=user,
            organisation=organisation,
            organisation_name=organisation.name if organisation else "",
            approver_name=(
                signatory.name
                if signatory
                else (user.get_full_name() or user.get_username())
            ),
            approved_at=timezone.now(),
            comment=comment,
        )
        log(
            instance=page,
            action="klynge_pages.sign_off",
            user=user,
            revision=revision,
            data={
                "organisation": organisation.name if organisation else "",
                "comment": comment,
            },
        )
        if not self.pending_organisations(task_state, cluster):
            task_state.approve(user=user, comment=comment)
        return receipt


def outcome_message(page, task_state, user):
    """What the approver's action did, in words: “Godkendt for Aalborg
    Kommune – mangler Region Nordjylland”."""
    task_state.refresh_from_db()
    task = task_state.task.specific
    if task_state.status == TaskState.STATUS_REJECTED:
        return _gettext("Referatet er sendt tilbage til redaktøren med din kommentar.")
    if not isinstance(task, ClusterSignOffTask):
        if task_state.status == TaskState.STATUS_APPROVED:
            return _gettext("Godkendt – referatet går videre til klyngens godkendelse.")
        return _gettext("Referatet afventer stadig godkendelse.")
    mine = task.approvals(task_state).filter(user=user).order_by("-pk").first()
    done = (
        _gettext("Godkendt for %(organisation)s")
        % {"organisation": mine.organisation_name}
        if mine and mine.organisation_name
        else _gettext("Godkendt")
    )
    page.refresh_from_db()
    if task_state.status == TaskState.STATUS_APPROVED:
        if page.live and page.live_revision_id == task_state.revision_id:
            return _gettext("%(done)s – referatet er udgivet.") % {"done": done}
        return _gettext("%(done)s – referatet er godkendt.") % {"done": done}
    pending = task.pending_organisations(task_state, task.cluster_of(page))
    return _gettext("%(done)s – mangler %(pending)s.") % {
        "done": done,
        "pending": join_names(o.name for o in pending),
    }
