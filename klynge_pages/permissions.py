"""Who may publish what, on top of the groups' page permissions.

Wagtail's permissions are per subtree, not per page type, and a cluster's
groups hold theirs on the cluster page. The rules of the terms of reference
are finer than that, so each page type narrows Wagtail's tester:

- A cluster page (its terms of reference, its sign-off mode) is published,
  unpublished, moved and deleted only by someone who may publish above the
  cluster: the secretariat, or a superuser.
- A meeting (its agenda) is published by the cluster's editors, unless the
  cluster asks for the secretariat's review of agendas
  ("Dagsordensgodkendelse"); then only through that workflow or by the
  secretariat.
- Minutes go live only through "Referatgodkendelse". Nobody may publish
  them directly, nor create-and-publish them, nor copy them live: only a
  superuser keeps that override, and it is logged (see signals.py). The
  secretariat may unpublish or delete live minutes; editors may not.
- What the public sees of a meeting and its minutes is not hidden by the
  cluster's groups either: privacy settings on meetings and minutes, moving
  minutes, and moving a meeting with minutes to another cluster are the
  secretariat's (a superuser's too).

The same testers serve the admin's views, its bulk actions, copy and move,
and Wagtail's page API, which all ask `page.permissions_for_user(user)`.
"""

from django.db.models import Q
from wagtail.models import PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy

from . import registry, rules


class ClusterScopedPermissionTester(PagePermissionTester):
    @property
    def cluster(self):
        if not hasattr(self, "_cluster"):
            self._cluster = (
                registry.model("ClusterPage")
                .objects.ancestor_of(self.page, inclusive=True)
                .first()
            )
        return self._cluster

    def publishes_above_cluster(self):
        """True for a superuser and for a group with publish permission on a
        page above the cluster (the secretariat): not for the cluster's own
        groups."""
        if not self.user.is_active:
            return False
        if self.user.is_superuser:
            return True
        cluster = self.cluster
        if cluster is None:
            return "publish" in self.permissions
        return any(
            grant.permission.codename == "publish_page"
            and grant.page.depth < cluster.depth
            and cluster.path.startswith(grant.page.path)
            for grant in self.permission_policy.get_cached_permissions_for_user(
                self.user
            )
        )

    def agenda_review_required(self):
        return bool(self.cluster and self.cluster.agenda_review)


class ClusterPagePermissionTester(ClusterScopedPermissionTester):
    def can_publish(self):
        return super().can_publish() and self.publishes_above_cluster()

    def can_unpublish(self):
        return super().can_unpublish() and self.publishes_above_cluster()

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk) and self.publishes_above_cluster()

    def can_publish_subpage(self):
        # Creating a meeting and publishing it in one go.
        return super().can_publish_subpage() and (
            not self.agenda_review_required() or self.publishes_above_cluster()
        )


class MeetingPagePermissionTester(ClusterScopedPermissionTester):
    def can_set_view_restrictions(self):
        return self.publishes_above_cluster()

    def can_move_to(self, destination):
        if not super().can_move_to(destination):
            return False
        # Minutes are approved in their cluster; under another cluster their
        # "Godkendt af …" lines would name the wrong body's approvers.
        parent_path = self.page.path[: -self.page.steplen]
        if destination.path != parent_path and self.has_minutes():
            return self.publishes_above_cluster()
        return True

    def has_minutes(self):
        return registry.model("MinutesPage").objects.child_of(self.page).exists()

    def can_publish(self):
        return super().can_publish() and (
            not self.agenda_review_required() or self.publishes_above_cluster()
        )

    def can_publish_subpage(self):
        # The only subpage of a meeting is its minutes.
        return super().can_publish_subpage() and self.user.is_superuser

    def can_unpublish(self):
        # Unpublishing a meeting takes its live minutes off the site too.
        if not super().can_unpublish():
            return False
        return (
            not registry.model("MinutesPage")
            .objects.child_of(self.page)
            .live()
            .exists()
            or self.publishes_above_cluster()
        )


class MinutesPagePermissionTester(ClusterScopedPermissionTester):
    def can_publish(self):
        # Only a superuser publishes minutes without "Referatgodkendelse",
        # and not before the meeting has begun (every publish path of the
        # admin asks this: the edit form, the admin API, bulk actions).
        if not (super().can_publish() and self.user.is_superuser):
            return False
        if not self.page.pk:
            # A page being created has no parent yet: its form checks.
            return True
        meeting = self.page.get_parent().specific
        return rules.meeting_has_begun(getattr(meeting, "start", None))

    def can_set_view_restrictions(self):
        return self.publishes_above_cluster()

    def can_move(self):
        # Minutes belong to their meeting; while they are being signed off
        # they do not move at all (what is signed includes their meeting).
        if not super().can_move() or not self.publishes_above_cluster():
            return False
        return self.user.is_superuser or not self.page.workflow_in_progress

    def can_unpublish(self):
        return super().can_unpublish() and self.publishes_above_cluster()

    def can_delete(self, ignore_bulk=False):
        if not super().can_delete(ignore_bulk):
            return False
        return not self.page.live or self.publishes_above_cluster()


def may_invite_members(user, cluster):
    """Who may fill a meeting's participants from the cluster's members
    (cluster_members.py): whoever may add a meeting to the cluster or edit
    its meetings."""
    permissions = cluster.permissions_for_user(user)
    return permissions.can_add_subpage() or permissions.can_edit()


def clusters_of(user):
    """The ids of the clusters whose editors' or approvers' group `user` is
    in."""
    if not user.is_active:
        return set()
    groups = user.groups.all()
    return set(
        registry.model("ClusterPage")
        .objects.filter(Q(editors_group__in=groups) | Q(approvers_group__in=groups))
        .values_list("pk", flat=True)
    )


class ClusterRegisterPolicy(ModelPermissionPolicy):
    """People and meeting places ("Klyngeregister"): everyone who edits may
    add and choose them, a cluster's groups change only those of their own
    cluster (`cluster`), and whoever holds `change_any_<model>` (the
    secretariat) changes all. So an editor of one cluster cannot rename the
    people in another cluster's minutes."""

    def manages_all(self, user):
        return user.is_active and (
            user.is_superuser
            or user.has_perm(f"{self.app_label}.change_any_{self.model_name}")
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action not in ("change", "delete") or self.manages_all(user):
            return True
        return instance.cluster_id is not None and instance.cluster_id in clusters_of(
            user
        )

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if self.manages_all(user) or not set(actions) <= {"change", "delete"}:
            return instances
        return instances.filter(cluster__in=clusters_of(user))
