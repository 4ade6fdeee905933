"""The reference site has only the project's groups (klynge_pages/sharing.py).

Wagtail's own migrations create the groups "Moderators" (add, change,
publish and lock on the whole tree, change and delete on every document and
image) and "Editors", and a workflow "Moderators approval" on the root page,
which every page without a workflow of its own would offer. None of it fits
per-cluster sharing: the groups are deleted (with their grants and
memberships), and the workflow is taken off the tree and deactivated, its
running reviews cancelled, as Wagtail's own "disable workflow" does.
"""

from django.db import migrations

STOCK_GROUPS = ["Moderators", "Editors"]
STOCK_WORKFLOW = "Moderators approval"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Task = apps.get_model("wagtailcore", "Task")

    for workflow in Workflow.objects.filter(name=STOCK_WORKFLOW):
        WorkflowPage.objects.filter(workflow=workflow).delete()
        running = WorkflowState.objects.filter(
            workflow=workflow, status__in=["in_progress", "needs_changes"]
        )
        TaskState.objects.filter(
            workflow_state__in=running, status="in_progress"
        ).update(status="cancelled")
        running.update(status="cancelled", current_task_state=None)
        workflow.active = False
        workflow.save(update_fields=["active"])
        Task.objects.filter(
            workflow_tasks__workflow=workflow, name=STOCK_WORKFLOW
        ).update(active=False)
    Group.objects.filter(name__in=STOCK_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("klyngeportal_site", "0002_accessibilitystatementpage"),
        # After every Wagtail migration that grants the stock groups anything.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
