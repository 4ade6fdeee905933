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

Each cluster also has its own Wagtail `Collection` for documents and images,
kept in step the same way: its groups add, choose and change documents and
images there only (`GroupCollectionPermission`), so Wagtail's choosers and
uploads show them nothing else; the secretariat works in the root collection,
which holds every cluster's. Which pages may use a document is decided by its
collection (cluster_documents.py).

The project's groups hold exactly the permissions given here and nothing
else: whatever else they hold (a grant made by hand in the admin) is removed
by the next `ensure_*`, and `manage.py sync_cluster_groups` reports it.
docs/sharing-and-signoff.md has the full table, and a test compares it with
the database.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowTask,
)

from .constants import (
    AGENDA_WORKFLOW,
    APPROVERS_SUFFIX,
    EDITORS_SUFFIX,
    MINUTES_WORKFLOW,
    SECRETARIAT_GROUP,
    SECRETARIAT_REVIEW_TASK,
    SIGNOFF_TASK,
)
from .models import ClusterIndexPage, ClusterPage, ClusterSignOffTask

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "publish_page"]
APPROVER_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS
SECRETARIAT_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS + ["unlock_page"]

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
# Documents and images: a cluster's groups in the cluster's own collection,
# the secretariat in the root collection (every cluster's and the site's own).
# "change" includes deleting (Wagtail's collection policy); nobody but a
# superuser manages the collections themselves.
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
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


def _grant(group, page, page_codenames, model_permissions, collection, removed=None):
    """Make `group`'s permissions exactly these (idempotent); describe what
    else it held, and is now removed, in `removed`."""
    removed = [] if removed is None else removed
    page_permissions = _page_permissions(page_codenames)
    stray = GroupPagePermission.objects.filter(group=group).exclude(
        page=page, permission__in=page_permissions
    )
    for grant in stray.select_related("page", "permission"):
        removed.append(
            f"{group.name}: page permission {grant.permission.codename} on "
            f"{grant.page.title} (page {grant.page_id})"
        )
    stray.delete()
    for permission in page_permissions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission
        )
    wanted = _permissions(model_permissions)
    for permission in group.permissions.exclude(pk__in=[p.pk for p in wanted]):
        removed.append(
            f"{group.name}: permission "
            f"{permission.content_type.app_label}.{permission.codename}"
        )
    group.permissions.set(wanted)
    collection_permissions = _permissions(COLLECTION_PERMISSIONS)
    stray = GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=collection, permission__in=collection_permissions
    )
    for grant in stray.select_related("collection", "permission"):
        removed.append(
            f"{group.name}: collection permission {grant.permission.codename} "
            f"on {grant.collection.name} (collection {grant.collection_id})"
        )
    stray.delete()
    for permission in collection_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
    return removed


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
    return (
        ClusterPage.objects.exclude(pk=cluster.pk)
        .filter(Q(editors_group=group) | Q(approvers_group=group))
        .exists()
    )


def collection_name(cluster, taken_by_other=False):
    title = cluster.title if not taken_by_other else f"{cluster.title} ({cluster.pk})"
    return title[:255]


def _ensure_collection(cluster):
    """The cluster's own collection, a child of the root collection: created,
    renamed with the cluster, or adopted by name when the link was lost and
    no other cluster uses it."""
    root = Collection.get_first_root_node()
    collection = (
        Collection.objects.filter(pk=cluster.collection_id).first()
        if cluster.collection_id
        else None
    )
    siblings = root.get_children()
    wanted = collection_name(cluster)
    holder = siblings.filter(name=wanted).exclude(pk=getattr(collection, "pk", None))
    holder = holder.first()
    if holder is not None and (
        collection is not None
        or ClusterPage.objects.exclude(pk=cluster.pk).filter(collection=holder).exists()
    ):
        wanted = collection_name(cluster, taken_by_other=True)
    if collection is None:
        collection = siblings.filter(name=wanted).first() or root.add_child(
            instance=Collection(name=wanted)
        )
    elif collection.name != wanted:
        collection.name = wanted
        collection.save(update_fields=["name"])
    return collection


@transaction.atomic
def ensure_cluster_groups(cluster, removed=None):
    """Create or update the cluster's two groups, its collection and their
    permissions; what else the groups held is described in `removed`."""
    editors = _ensure_group(cluster, "editors_group", EDITORS_SUFFIX)
    approvers = _ensure_group(cluster, "approvers_group", APPROVERS_SUFFIX)
    collection = _ensure_collection(cluster)
    _grant(
        editors,
        cluster,
        EDITOR_PAGE_PERMISSIONS,
        COMMON_PERMISSIONS,
        collection,
        removed,
    )
    _grant(
        approvers,
        cluster,
        APPROVER_PAGE_PERMISSIONS,
        COMMON_PERMISSIONS,
        collection,
        removed,
    )
    if (
        cluster.editors_group_id,
        cluster.approvers_group_id,
        cluster.collection_id,
    ) != (editors.pk, approvers.pk, collection.pk):
        # update(), not save(): saving would signal another round of this.
        ClusterPage.objects.filter(pk=cluster.pk).update(
            editors_group=editors, approvers_group=approvers, collection=collection
        )
        cluster.editors_group, cluster.approvers_group = editors, approvers
        cluster.collection = collection
    return editors, approvers


@transaction.atomic
def ensure_secretariat_group(index_page, removed=None):
    """The site-wide secretariat: every cluster under `index_page`, and the
    root collection (every cluster's documents and images)."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    _grant(
        group,
        index_page,
        SECRETARIAT_PAGE_PERMISSIONS,
        SECRETARIAT_PERMISSIONS,
        Collection.get_first_root_node(),
        removed,
    )
    ensure_minutes_workflow(group)
    ensure_agenda_workflow(group)
    return group


def project_groups():
    """The groups this module keeps: the secretariat and every cluster's."""
    ids = {
        pk
        for pair in ClusterPage.objects.values_list("editors_group", "approvers_group")
        for pk in pair
        if pk is not None
    }
    return Group.objects.filter(Q(pk__in=ids) | Q(name=SECRETARIAT_GROUP))


def foreign_grants():
    """Descriptions of what groups other than the project's may do in the
    cluster tree and the collections (e.g. Wagtail's stock "Moderators" and
    "Editors"): reported by `sync_cluster_groups`, never changed, since a site
    may have reasons of its own."""
    ours = project_groups().values("pk")
    found = []
    index_paths = list(ClusterIndexPage.objects.values_list("path", flat=True))
    for grant in (
        GroupPagePermission.objects.exclude(group__in=ours)
        .select_related("group", "page", "permission")
        .order_by("group__name", "page__path")
    ):
        path = grant.page.path
        if any(
            index.startswith(path) or path.startswith(index) for index in index_paths
        ):
            found.append(
                f"{grant.group.name}: page permission {grant.permission.codename} "
                f"on {grant.page.title} (page {grant.page_id})"
            )
    for grant in (
        GroupCollectionPermission.objects.exclude(group__in=ours)
        .select_related("group", "collection", "permission")
        .order_by("group__name", "collection__path")
    ):
        found.append(
            f"{grant.group.name}: collection permission {grant.permission.codename} "
            f"on {grant.collection.name} (collection {grant.collection_id})"
        )
    return found


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
