"""Per-cluster sharing: each cluster's editors and approvers act on that
cluster's subtree only, checked through the real admin views."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from klynge_pages import sharing
from klynge_pages.models import ClusterPage, MeetingPage

from .admin_forms import PUBLISH, SUBMIT, meeting_form
from .factories import local, make_cluster, make_cluster_index, make_meeting

pytestmark = pytest.mark.django_db


def user_in(*groups, username=None):
    user = get_user_model().objects.create_user(
        username=username or "-".join(g.name for g in groups)[:150], password="x"
    )
    user.groups.add(*groups)
    return user


@pytest.fixture
def nord():
    return make_cluster(title="Politisk klynge Nord", area="nord")


@pytest.fixture
def midt():
    return make_cluster(title="Politisk klynge Midt", area="midt")


def permissions_of(group):
    return sorted(
        (p.page.title, p.permission.codename)
        for p in GroupPagePermission.objects.filter(group=group).select_related(
            "page", "permission"
        )
    )


def test_a_new_cluster_gets_its_editor_and_approver_groups(nord):
    nord.refresh_from_db()

    assert nord.editors_group.name == "Politisk klynge Nord: Redaktører"
    assert nord.approvers_group.name == "Politisk klynge Nord: Godkendere"
    assert permissions_of(nord.editors_group) == [
        ("Politisk klynge Nord", "add_page"),
        ("Politisk klynge Nord", "change_page"),
        ("Politisk klynge Nord", "lock_page"),
        ("Politisk klynge Nord", "publish_page"),
    ]
    assert permissions_of(nord.approvers_group) == permissions_of(nord.editors_group)
    assert nord.editors_group.permissions.filter(codename="access_admin").exists()


def test_the_secretariat_may_publish_in_every_cluster(nord):
    secretariat = Group.objects.get(name="Sekretariat")

    assert ("Klynger", "publish_page") in permissions_of(secretariat)


def test_renaming_a_cluster_renames_its_groups(nord):
    nord.refresh_from_db()
    groups = (nord.editors_group_id, nord.approvers_group_id)

    nord.title = "Klynge Nord"
    nord.save_revision().publish()

    nord = ClusterPage.objects.get(pk=nord.pk)
    assert (nord.editors_group_id, nord.approvers_group_id) == groups
    assert nord.editors_group.name == "Klynge Nord: Redaktører"
    assert nord.approvers_group.name == "Klynge Nord: Godkendere"


def test_two_clusters_with_one_title_get_separate_groups():
    first = make_cluster(title="Samarbejdsforum")
    second = make_cluster(title="Samarbejdsforum")
    first.refresh_from_db()
    second.refresh_from_db()

    assert first.editors_group != second.editors_group
    assert second.editors_group.name == f"Samarbejdsforum ({second.pk}): Redaktører"


def test_sync_command_is_idempotent_and_repairs_permissions(nord):
    nord.refresh_from_db()
    GroupPagePermission.objects.filter(group=nord.editors_group).delete()

    call_command("sync_cluster_groups", stdout=StringIO())
    first = permissions_of(nord.editors_group)
    call_command("sync_cluster_groups", stdout=StringIO())

    assert permissions_of(nord.editors_group) == first
    assert len(first) == 4
    assert Group.objects.filter(name__startswith="Politisk klynge Nord").count() == 2


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_editor_of_nord_cannot_open_or_change_a_meeting_of_midt(client, nord, midt):
    nord.refresh_from_db()
    meeting = make_meeting(midt, start=local(2019, 11, 6, 16, 30), title="Midts møde")
    client.force_login(user_in(nord.editors_group))

    assert client.get(edit_url(meeting)).status_code in (302, 403)
    response = client.post(edit_url(meeting), meeting_form(meeting.slug, "Overtaget"))

    assert response.status_code in (302, 403)
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    assert meeting.title == "Midts møde"
    assert not meeting.has_unpublished_changes


def test_editor_of_nord_cannot_add_a_meeting_to_midt(client, nord, midt):
    nord.refresh_from_db()
    client.force_login(user_in(nord.editors_group))
    url = reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "meetingpage", midt.pk)
    )

    response = client.post(url, meeting_form("nyt-moede", "Nyt møde"))

    assert response.status_code in (302, 403)
    assert not MeetingPage.objects.filter(slug="nyt-moede").exists()


def test_editor_edits_and_publishes_a_meeting_in_own_cluster(client, nord):
    nord.refresh_from_db()
    meeting = make_meeting(nord, start=local(2019, 11, 6, 16, 30), title="Nords møde")
    client.force_login(user_in(nord.editors_group))

    assert client.get(edit_url(meeting)).status_code == 200
    client.post(
        edit_url(meeting), meeting_form(meeting.slug, "Nords møde, rettet", **PUBLISH)
    )

    assert MeetingPage.objects.get(pk=meeting.pk).title == "Nords møde, rettet"


def test_with_agenda_review_the_editor_submits_and_the_secretariat_publishes(
    client, nord
):
    nord.agenda_review = True
    nord.save_revision().publish()
    meeting = make_meeting(nord, start=local(2019, 11, 6, 16, 30), title="Nords møde")
    client.force_login(user_in(nord.editors_group))

    client.post(edit_url(meeting), meeting_form(meeting.slug, "Udgivet", **PUBLISH))
    assert MeetingPage.objects.get(pk=meeting.pk).title == "Nords møde"

    client.post(
        edit_url(meeting), meeting_form(meeting.slug, "Til godkendelse", **SUBMIT)
    )
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    assert meeting.current_workflow_state.workflow.name == "Dagsordensgodkendelse"
    assert meeting.title == "Nords møde"

    client.force_login(user_in(Group.objects.get(name="Sekretariat")))
    task_state = meeting.current_workflow_task_state
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(meeting.pk, "approve", task_state.pk),
        )
    )
    assert MeetingPage.objects.get(pk=meeting.pk).title == "Til godkendelse"


def test_only_the_secretariat_publishes_the_cluster_page(client, nord):
    nord.refresh_from_db()
    for group, expected in [
        (nord.editors_group, "Politisk klynge Nord"),
        (nord.approvers_group, "Politisk klynge Nord"),
        (Group.objects.get(name="Sekretariat"), "Klynge Nord"),
    ]:
        client.force_login(user_in(group))
        assert client.get(edit_url(nord)).status_code == 200
        client.post(
            edit_url(nord),
            nested_form_data(
                {
                    "title": "Klynge Nord",
                    "slug": nord.slug,
                    "kind": nord.kind,
                    "area": nord.area,
                    "intro": rich_text(""),
                    "memberships": inline_formset([]),
                    "terms_of_reference": streamfield([]),
                    "terms_approved_by": "",
                    "min_meetings_per_year": "1",
                    "signoff_mode": nord.signoff_mode,
                    "action-publish": "action-publish",
                }
            ),
        )
        assert ClusterPage.objects.get(pk=nord.pk).title == expected


def test_secretariat_edits_in_every_cluster(client, nord, midt):
    meeting = make_meeting(midt, start=local(2019, 11, 6, 16, 30))
    client.force_login(user_in(Group.objects.get(name="Sekretariat")))

    assert client.get(edit_url(meeting)).status_code == 200
    assert client.get(edit_url(nord)).status_code == 200


def test_sharing_can_be_switched_off_by_a_site(settings):
    settings.KLYNGE_CLUSTER_GROUPS = False
    make_cluster_index()

    cluster = make_cluster(title="Uden grupper")
    cluster.refresh_from_db()

    assert cluster.editors_group is None
    assert not Group.objects.filter(name__startswith="Uden grupper").exists()


def test_group_names_fit_djangos_limit():
    cluster = make_cluster(title="Et meget langt navn " * 12)
    cluster.refresh_from_db()

    assert len(cluster.editors_group.name) <= 150
    assert cluster.editors_group.name.endswith(": Redaktører")
    assert sharing.SECRETARIAT_GROUP == "Sekretariat"


# --- Least privilege: the documented table is the specification ------------

DOCS = Path(__file__).resolve().parent.parent / "docs" / "sharing-and-signoff.md"


def documented_permissions():
    """{(group pattern, on): {permission}} from the table in the docs."""
    text = DOCS.read_text()
    section = text.split("### Least privilege: every permission, per group", 1)[1]
    table = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            if table:
                break
            continue
        group, on, permissions = [cell.strip() for cell in line.strip("|").split("|")]
        table[group.strip("`"), on] = {
            p.strip().strip("`") for p in permissions.split(",") if p.strip()
        }
    return table


def held_permissions(group, cluster=None, index=None):
    """{(on, permission)} of everything the group holds, scope named as in
    the docs."""
    held = {}
    for grant in GroupPagePermission.objects.filter(group=group).select_related(
        "page", "permission"
    ):
        on = (
            "pages: the cluster"
            if cluster is not None and grant.page_id == cluster.pk
            else "pages: the cluster index"
            if index is not None and grant.page_id == index.pk
            else f"pages: {grant.page.title}"
        )
        held.setdefault(on, set()).add(grant.permission.codename)
    for grant in GroupCollectionPermission.objects.filter(group=group).select_related(
        "collection", "permission__content_type"
    ):
        on = (
            "collection: the cluster's"
            if cluster is not None and grant.collection_id == cluster.collection_id
            else "collection: root"
            if grant.collection.is_root()
            else f"collection: {grant.collection.name}"
        )
        permission = grant.permission
        held.setdefault(on, set()).add(
            f"{permission.content_type.app_label}.{permission.codename}"
        )
    for permission in group.permissions.select_related("content_type"):
        held.setdefault("site", set()).add(
            f"{permission.content_type.app_label}.{permission.codename}"
        )
    return held


def test_every_group_holds_exactly_the_documented_permissions(nord, midt):
    table = documented_permissions()
    index = make_cluster_index()
    expected = {}
    for (pattern, on), permissions in table.items():
        expected.setdefault(pattern, {})[on] = permissions
    assert set(expected) == {
        "<klynge>: Redaktører",
        "<klynge>: Godkendere",
        "Sekretariat",
    }

    for cluster in (nord, midt):
        cluster.refresh_from_db()
        assert (
            held_permissions(cluster.editors_group, cluster=cluster)
            == (expected["<klynge>: Redaktører"])
        )
        assert (
            held_permissions(cluster.approvers_group, cluster=cluster)
            == (expected["<klynge>: Godkendere"])
        )
    secretariat = Group.objects.get(name="Sekretariat")
    assert held_permissions(secretariat, index=index) == expected["Sekretariat"]


def test_a_fresh_installation_has_only_the_projects_groups(nord, midt):
    nord.refresh_from_db()
    midt.refresh_from_db()

    assert set(Group.objects.values_list("name", flat=True)) == {
        "Sekretariat",
        nord.editors_group.name,
        nord.approvers_group.name,
        midt.editors_group.name,
        midt.approvers_group.name,
    }
    # Wagtail's stock workflow is on no page and inactive: a cluster page
    # (whose parent decides a new meeting's workflow) has none.
    assert not WorkflowPage.objects.exists()
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert ClusterPage.objects.get(pk=nord.pk).get_workflow() is None


def test_sync_cluster_groups_reports_and_removes_stray_grants(nord, midt):
    nord.refresh_from_db()
    midt.refresh_from_db()
    root_page = Page.get_first_root_node()
    publish = Permission.objects.get(codename="publish_page")
    GroupPagePermission.objects.create(
        group=nord.editors_group, page=root_page, permission=publish
    )
    GroupCollectionPermission.objects.create(
        group=nord.editors_group,
        collection=midt.collection,
        permission=Permission.objects.get(codename="choose_document"),
    )
    nord.approvers_group.permissions.add(
        Permission.objects.get(codename="delete_person")
    )
    outsider = Group.objects.create(name="Egen gruppe")
    GroupPagePermission.objects.create(group=outsider, page=midt, permission=publish)
    out = StringIO()

    call_command("sync_cluster_groups", stdout=out)

    report = out.getvalue()
    assert f"{nord.editors_group.name}: page permission publish_page on Root" in report
    assert f"collection permission choose_document on {midt.collection.name}" in report
    assert f"{nord.approvers_group.name}: permission klynge_pages.delete_person" in (
        report
    )
    assert "Egen gruppe: page permission publish_page on Politisk klynge Midt" in (
        report
    )
    assert not GroupPagePermission.objects.filter(
        group=nord.editors_group, page=root_page
    ).exists()
    assert not GroupCollectionPermission.objects.filter(
        group=nord.editors_group, collection=midt.collection
    ).exists()
    assert not nord.approvers_group.permissions.filter(codename="delete_person")
    # Another group's grant is reported, not changed.
    assert GroupPagePermission.objects.filter(group=outsider).exists()
