"""Keep each cluster's groups in step with the cluster (see sharing.py)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import TaskState
from wagtail.signals import task_submitted

from . import sharing
from .models import ClusterIndexPage, ClusterPage
from .notifications import signoff_submission_notifier

task_submitted.connect(
    signoff_submission_notifier,
    sender=TaskState,
    dispatch_uid="klynge_pages_signoff_submitted_email",
)


def sharing_enabled():
    # A site that manages its groups itself sets KLYNGE_CLUSTER_GROUPS = False.
    return getattr(settings, "KLYNGE_CLUSTER_GROUPS", True)


@receiver(post_save, sender=ClusterPage)
def cluster_saved(sender, instance, raw=False, **kwargs):
    if sharing_enabled() and not raw:
        sharing.ensure_cluster_groups(instance)


@receiver(post_save, sender=ClusterIndexPage)
def cluster_index_saved(sender, instance, raw=False, **kwargs):
    if sharing_enabled() and not raw:
        sharing.ensure_secretariat_group(instance)
