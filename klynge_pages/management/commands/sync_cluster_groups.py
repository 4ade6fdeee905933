from django.core.management.base import BaseCommand

from klynge_pages import sharing
from klynge_pages.models import ClusterIndexPage, ClusterPage


class Command(BaseCommand):
    help = (
        "Create or update every cluster's editor and approver groups and the "
        "secretariat group, with their permissions. Idempotent."
    )

    def handle(self, *args, **options):
        for index in ClusterIndexPage.objects.all():
            group = sharing.ensure_secretariat_group(index)
            self.stdout.write(f"{group.name}: {index.title} and below")
        for cluster in ClusterPage.objects.order_by("path"):
            editors, approvers = sharing.ensure_cluster_groups(cluster)
            self.stdout.write(f"{cluster.title}: {editors.name}, {approvers.name}")
