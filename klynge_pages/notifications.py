"""E-mail to a cluster's approvers when minutes await their sign-off, with
Wagtail's notification machinery (user preferences, recipients' language,
one connection for all mails). Wagtail's own notifier only knows group
approval tasks; this one knows ClusterSignOffTask."""

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier

from .models import ClusterSignOffTask


class SignOffSubmissionNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    notification = "submitted"
    template_directory = "klynge_pages/notifications/"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, self.valid_classes) and isinstance(
            instance.task.specific, ClusterSignOffTask
        )

    def get_template_base_prefix(self, instance, **kwargs):
        return "signoff_"

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        task = task_state.task.specific
        cluster = task.cluster_of(context["object"])
        context["cluster"] = cluster
        context["pending"] = task.pending_organisations(task_state, cluster)
        context["base_url"] = settings.WAGTAILADMIN_BASE_URL
        return context

    def get_recipient_users(self, task_state, **kwargs):
        task = task_state.task.specific
        cluster = task.cluster_of(task_state.workflow_state.content_object)
        if cluster is None or cluster.approvers_group_id is None:
            return set()
        recipients = get_user_model().objects.filter(groups=cluster.approvers_group_id)
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return set(recipients)


signoff_submission_notifier = SignOffSubmissionNotifier()
