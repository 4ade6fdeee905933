from django.core.management.base import BaseCommand

from klynge_pages import cluster_documents, sharing
from klynge_pages.models import ClusterIndexPage, ClusterPage


class Command(BaseCommand):
    help = (
        "Create or update every cluster's editor and approver groups and "
        "collection, and the secretariat group, with exactly their "
        "permissions: anything else those groups hold is reported and "
        "removed. Grants of other groups in the cluster tree and the "
        "collections are reported only. Idempotent."
    )

    def handle(self, *args, **options):
        removed = []
        for index in ClusterIndexPage.objects.all():
            group = sharing.ensure_secretariat_group(index, removed)
            self.stdout.write(f"{group.name}: {index.title} and below")
        for cluster in ClusterPage.objects.order_by("path"):
            editors, approvers = sharing.ensure_cluster_groups(cluster, removed)
            self.stdout.write(
                f"{cluster.title}: {editors.name}, {approvers.name}, "
                f"collection {cluster.collection.name}"
            )
        if removed:
            self.stdout.write("Removed grants the project's groups must not hold:")
            for line in removed:
                self.stdout.write(f"  {line}")
        foreign = sharing.foreign_grants()
        if foreign:
            self.stdout.write(
                "Other groups with rights in the cluster tree or the collections "
                "(left as they are; remove them in the admin unless intended):"
            )
            for line in foreign:
                self.stdout.write(f"  {line}")
        misplaced = cluster_documents.misplaced_documents()
        if misplaced:
            self.stdout.write(
                "Documents used by pages that may not use them (only pages of "
                "the cluster whose collection holds a document may; move or "
                "upload a copy):"
            )
            for line in misplaced:
                self.stdout.write(f"  {line}")
