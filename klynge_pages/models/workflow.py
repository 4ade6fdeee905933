"""Sign-off of minutes by the cluster's approvers, as a Wagtail workflow task.

The task finds the cluster from the page it moderates, so one task serves
every cluster. In the cluster's "per organisation" mode it needs one approval
from each member organisation (each municipality, the region, PLO), recorded
separately; it completes only when all have approved. A rejection returns
the minutes to the editor and clears the approvals of that round.
"""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Page, Task, TaskState


class SignOffMode(models.TextChoices):
    SINGLE = "samlet", _("Én godkendelse fra klyngens godkendere")
    PER_ORGANISATION = "pr_organisation", _("Én godkendelse pr. medlemsorganisation")


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
        from .pages import ClusterPage

        if not isinstance(obj, Page):
            return None
        return ClusterPage.objects.ancestor_of(obj, inclusive=True).first()

    @staticmethod
    def organisation_of(user):
        from .snippets import Person

        person = Person.objects.filter(user=user).select_related("organisation").first()
        return person.organisation if person else None

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
        from .pages import MinutesSignOff

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

    def _current_task_state(self, obj):
        return (
            TaskState.objects.filter(
                task=self,
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__object_id=str(obj.pk),
            )
            .order_by("-started_at")
            .first()
        )

    def can_approve_now(self, obj, user):
        """An approver may approve; in per-organisation mode only for their
        own organisation, once, and only if it is a member."""
        cluster = self.cluster_of(obj)
        if not self.is_approver(cluster, user):
            return False
        required = self.required_organisations(cluster)
        if not required:
            return True
        organisation = self.organisation_of(user)
        task_state = self._current_task_state(obj)
        if organisation is None or task_state is None:
            return False
        return organisation.pk in {
            pending.pk for pending in self.pending_organisations(task_state, cluster)
        }

    # --- Wagtail's task interface -------------------------------------------

    def start(self, workflow_state, user=None):
        # Every submission is a new round of sign-off.
        from .pages import MinutesSignOff

        MinutesSignOff.objects.filter(page_id=workflow_state.object_id).delete()
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        return self.is_approver(self.cluster_of(obj), user)

    def locked_for_user(self, obj, user):
        return not self.is_approver(self.cluster_of(obj), user)

    def get_actions(self, obj, user):
        actions = []
        if self.is_approver(self.cluster_of(obj), user):
            actions.append(("reject", _("Afvis med kommentar"), True))
        if self.can_approve_now(obj, user):
            actions += [
                ("approve", _("Godkend"), False),
                ("approve", _("Godkend med kommentar"), True),
            ]
        return actions

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .pages import ClusterPage, MinutesPage

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        paths = ClusterPage.objects.filter(
            approvers_group__in=user.groups.all()
        ).values_list("path", flat=True)
        if not paths:
            return TaskState.objects.none()
        in_clusters = Q()
        for path in paths:
            in_clusters |= Q(path__startswith=path)
        page_ids = MinutesPage.objects.filter(in_clusters).values_list("pk", flat=True)
        return states.filter(workflow_state__object_id__in=[str(pk) for pk in page_ids])

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        from .pages import MinutesSignOff

        page = task_state.workflow_state.content_object
        comment = kwargs.get("comment", "")
        cluster = self.cluster_of(page)
        if action_name == "reject":
            if not self.is_approver(cluster, user):
                raise PermissionDenied
            self.approvals(task_state).delete()
            task_state.reject(user=user, comment=comment)
            return None
        if action_name != "approve" or not self.can_approve_now(page, user):
            raise PermissionDenied

        organisation = self.organisation_of(user)
        MinutesSignOff.objects.create(
            page_id=page.pk,
            task_state=task_state,
            organisation=organisation,
            approver_name=user.get_full_name() or user.get_username(),
            approved_at=timezone.now(),
            comment=comment,
        )
        log(
            instance=page,
            action="klynge_pages.sign_off",
            user=user,
            data={
                "organisation": organisation.name if organisation else "",
                "comment": comment,
            },
        )
        if not self.pending_organisations(task_state, cluster):
            task_state.approve(user=user, comment=comment)
        return None
