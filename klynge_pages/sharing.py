"""Per-cluster sharing, the Plone way: each cluster has its own editors and
approvers, with permissions on that cluster's subtree only, plus one
site-wide secretariat group.

    "<klynge>: Redaktører"  add, edit and publish meetings (agendas); submit
                            minutes for approval
    "<klynge>: Godkendere"  the same; they sign minutes off in the workflow
                            "Referatgodkendelse", which publishes them
    "Sekretariat"           add, edit, publish, lock and unlock in every cluster

The page permissions are Wagtail's, per subtree; permissions.py narrows
them per page type: minutes go live only through the workflow, never around
it, and the cluster page itself is the secretariat's to publish.

Groups are Wagtail's own (`Group` + `GroupPagePermission`), kept in step with
the cluster by `ensure_cluster_groups`, which runs whenever a cluster is
saved and from `manage.py sync_cluster_groups`. A renamed cluster renames its
groups; a moved cluster keeps them, since page permissions follow the subtree.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowTask,
)

EDITORS_SUFFIX = _("Redaktører")
APPROVERS_SUFFIX = _("Godkendere")
SECRETARIAT_GROUP = "Sekretariat"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "publish_page"]
APPROVER_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS
SECRETARIAT_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS + ["unlock_page"]

MINUTES_WORKFLOW = "Referatgodkendelse"
AGENDA_WORKFLOW = "Dagsordensgodkendelse"
SECRETARIAT_REVIEW_TASK = "Sekretariatets gennemsyn"
SIGNOFF_TASK = "Klyngens godkendelse"

# Everyone who edits needs the admin, attachments and images, and the people
# and places to choose from. A cluster's groups change only their own
# cluster's people and places (permissions.ClusterRegisterPolicy); the whole
# register, organisations and who signs for which organisation
# (`Signatory`) are the secretariat's.
COMMON_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("klynge_pages", "view_organisation"),
    ("klynge_pages", "add_person"),
    ("klynge_pages", "change_person"),
    ("klynge_pages", "view_person"),
    ("klynge_pages", "add_location"),
    ("klynge_pages", "change_location"),
    ("klynge_pages", "view_location"),
]
SECRETARIAT_PERMISSIONS = COMMON_PERMISSIONS + [
    ("klynge_pages", "add_organisation"),
    ("klynge_pages", "change_organisation"),
    ("klynge_pages", "change_any_person"),
    ("klynge_pages", "change_any_location"),
    ("klynge_pages", "add_signatory"),
    ("klynge_pages", "change_signatory"),
    ("klynge_pages", "delete_signatory"),
    ("klynge_pages", "view_signatory"),
]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]


def _permissions(pairs):
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in pairs
    ]


def _page_permissions(codenames):
    return [
        Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for codename in codenames
    ]


def _grant(group, page, page_codenames, model_permissions):
    """Make `group`'s permissions exactly these (idempotent)."""
    page_permissions = _page_permissions(page_codenames)
    GroupPagePermission.objects.filter(group=group).exclude(
        page=page, permission__in=page_permissions
    ).delete()
    for permission in page_permissions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission
        )
    group.permissions.set(_permissions(model_permissions))
    root = Collection.get_first_root_node()
    for permission in _permissions(COLLECTION_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


def group_name(cluster, suffix, taken_by_other=False):
    # Group names are unique (150 characters); two clusters with one title
    # are told apart by the page id.
    title = cluster.title if not taken_by_other else f"{cluster.title} ({cluster.pk})"
    return f"{title[: 150 - len(str(suffix)) - 2]}: {suffix}"


def _ensure_group(cluster, field, suffix):
    group = getattr(cluster, field)
    wanted = group_name(cluster, suffix)
    holder = Group.objects.filter(name=wanted).exclude(pk=getattr(group, "pk", None))
    holder = holder.first()
    # A group of that name that no other cluster uses is adopted (e.g. after
    # a revision without the link was published); otherwise keep apart.
    if holder is not None and (
        group is not None or _used_by_other_cluster(holder, cluster)
    ):
        wanted = group_name(cluster, suffix, taken_by_other=True)
    if group is None:
        group, _ = Group.objects.get_or_create(name=wanted)
    elif group.name != wanted:
        group.name = wanted
        group.save(update_fields=["name"])
    return group


def _used_by_other_cluster(group, cluster):
    from .models import ClusterPage

    return (
        ClusterPage.objects.exclude(pk=cluster.pk)
        .filter(Q(editors_group=group) | Q(approvers_group=group))
        .exists()
    )


@transaction.atomic
def ensure_cluster_groups(cluster):
    """Create or update the cluster's two groups and their permissions."""
    from .models import ClusterPage

    editors = _ensure_group(cluster, "editors_group", EDITORS_SUFFIX)
    approvers = _ensure_group(cluster, "approvers_group", APPROVERS_SUFFIX)
    _grant(editors, cluster, EDITOR_PAGE_PERMISSIONS, COMMON_PERMISSIONS)
    _grant(approvers, cluster, APPROVER_PAGE_PERMISSIONS, COMMON_PERMISSIONS)
    if (cluster.editors_group_id, cluster.approvers_group_id) != (
        editors.pk,
        approvers.pk,
    ):
        # update(), not save(): saving would signal another round of this.
        ClusterPage.objects.filter(pk=cluster.pk).update(
            editors_group=editors, approvers_group=approvers
        )
        cluster.editors_group, cluster.approvers_group = editors, approvers
    return editors, approvers


@transaction.atomic
def ensure_secretariat_group(index_page):
    """The site-wide secretariat: every cluster under `index_page`."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    _grant(group, index_page, SECRETARIAT_PAGE_PERMISSIONS, SECRETARIAT_PERMISSIONS)
    ensure_minutes_workflow(group)
    ensure_agenda_workflow(group)
    return group


def _secretariat_review(secretariat):
    review = GroupApprovalTask.objects.filter(name=SECRETARIAT_REVIEW_TASK).first()
    if review is None:
        review = GroupApprovalTask.objects.create(name=SECRETARIAT_REVIEW_TASK)
    review.groups.add(secretariat)
    return review


@transaction.atomic
def ensure_agenda_workflow(secretariat):
    """ "Dagsordensgodkendelse": the secretariat's review of an agenda, for
    the clusters that ask for it (ClusterPage.agenda_review)."""
    workflow, _ = Workflow.objects.get_or_create(name=AGENDA_WORKFLOW)
    WorkflowTask.objects.update_or_create(
        workflow=workflow,
        task=_secretariat_review(secretariat),
        defaults={"sort_order": 0},
    )
    return workflow


@transaction.atomic
def ensure_minutes_workflow(secretariat):
    """ "Referatgodkendelse": the secretariat's review, then the sign-off by
    the cluster's approvers (see ClusterSignOffTask)."""
    from .models import ClusterSignOffTask

    workflow, _ = Workflow.objects.get_or_create(name=MINUTES_WORKFLOW)
    review = _secretariat_review(secretariat)
    signoff = ClusterSignOffTask.objects.filter(name=SIGNOFF_TASK).first()
    if signoff is None:
        signoff = ClusterSignOffTask.objects.create(name=SIGNOFF_TASK)
    for position, task in enumerate([review, signoff]):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": position}
        )
    return workflow
