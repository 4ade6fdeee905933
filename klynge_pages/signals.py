"""Keep each cluster's groups in step with the cluster (see sharing.py)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.log_actions import log
from wagtail.models import PageLogEntry, TaskState
from wagtail.signals import page_published, task_submitted

from klynge_pages.conf import klynge_settings

from . import sharing
from .models import ClusterIndexPage, ClusterPage, MinutesPage
from .notifications import signoff_submission_notifier
from .workflow_actions import publishing_by_workflow

task_submitted.connect(
    signoff_submission_notifier,
    sender=TaskState,
    dispatch_uid="klynge_pages_signoff_submitted_email",
)


def sharing_enabled():
    # A site that manages its groups itself sets KLYNGE_CLUSTER_GROUPS = False.
    return klynge_settings.CLUSTER_GROUPS


@receiver(post_save, sender=ClusterPage)
def cluster_saved(sender, instance, raw=False, **kwargs):
    if sharing_enabled() and not raw:
        sharing.ensure_cluster_groups(instance)


@receiver(post_save, sender=ClusterIndexPage)
def cluster_index_saved(sender, instance, raw=False, **kwargs):
    if sharing_enabled() and not raw:
        sharing.ensure_secretariat_group(instance)


@receiver(page_published, sender=MinutesPage)
def minutes_published(sender, instance, revision, **kwargs):
    """Minutes published other than by "Referatgodkendelse" can only be a
    superuser's override (see permissions.py); the page log says so."""
    if publishing_by_workflow.get():
        return
    entry = (
        PageLogEntry.objects.filter(
            page=instance, action="wagtail.publish", revision=revision
        )
        .order_by("-timestamp", "-pk")
        .first()
    )
    log(
        instance=instance,
        action="klynge_pages.publish_override",
        user=entry.user if entry else None,
        revision=revision,
    )
