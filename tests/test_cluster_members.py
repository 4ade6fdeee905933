"""“Tilføj klyngens medlemmer”: who counts as a cluster's members, and that
only those who work on the cluster's meetings may ask."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from klynge_pages.cluster_members import cluster_members
from klynge_pages.models import MeetingPage
from klyngeportal_site.demo import load_demo_content

from .factories import OrganisationFactory, PersonFactory, make_cluster, make_meeting
from .signoff_world import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    region = OrganisationFactory(name="Region Nordjylland")
    hjoerring = OrganisationFactory(name="Hjørring Kommune")
    midt = make_cluster("Klynge Midt", members=[region, aalborg])
    nord = make_cluster("Klynge Nord", members=[hjoerring, region])
    midt.refresh_from_db()
    nord.refresh_from_db()
    people = {
        "bente": PersonFactory(
            name="Bente Gravesen", organisation=aalborg, cluster=midt
        ),
        "eva": PersonFactory(name="Eva Sejersdal", organisation=region, cluster=midt),
        "jane": PersonFactory(name="Jane Pedersen", organisation=region, cluster=midt),
        # The region's people in another cluster are that cluster's.
        "nord": PersonFactory(name="Niels Nord", organisation=region, cluster=nord),
        # Registered with Midt, but not for one of its members: a guest.
        "guest": PersonFactory(name="Gitte Gæst", organisation=hjoerring, cluster=midt),
        # Not registered with any cluster.
        "loose": PersonFactory(name="Lars Løs", organisation=aalborg),
    }
    return {
        "midt": midt,
        "nord": nord,
        "people": people,
        "editor": make_user("midt-red", midt.editors_group),
        "approver": make_user("midt-godk", midt.approvers_group),
        "admin_only": make_user("kun-admin", admin_access_only()),
        "outsider": make_user("nord-red", nord.editors_group),
    }


def admin_access_only():
    """A group that may open the admin and nothing else: no page rights."""
    group = Group.objects.create(name="Kun adgang til administrationen")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return group


def members_url(cluster):
    return reverse("klynge_pages_cluster_members", args=(cluster.pk,))


def test_the_members_are_the_clusters_people_at_its_member_organisations(client, world):
    client.force_login(world["editor"])

    response = client.get(members_url(world["midt"]))

    assert response.status_code == 200
    people = world["people"]
    # By the memberships' order (the region first), then by name.
    assert response.json()["members"] == [
        {
            "id": person.pk,
            "string": person.public_label,
            "edit_url": reverse(
                "wagtailsnippets_klynge_pages_person:edit", args=(person.pk,)
            ),
            "role": "medlem",
            "attendance": "indkaldt",
        }
        for person in (people["eva"], people["jane"], people["bente"])
    ]


def test_the_approvers_who_edit_meetings_too_get_them(client, world):
    client.force_login(world["approver"])

    response = client.get(members_url(world["midt"]))

    assert [member["id"] for member in response.json()["members"]] == [
        world["people"][name].pk for name in ("eva", "jane", "bente")
    ]


@pytest.mark.parametrize("user", ["outsider", "admin_only"])
def test_who_does_not_work_on_the_clusters_meetings_learns_nothing(client, world, user):
    client.force_login(world[user])

    response = client.get(members_url(world["midt"]))

    # Wagtail's answer to PermissionDenied in the admin: back to the start.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "Sejersdal" not in response.text


def test_an_anonymous_visitor_is_sent_to_the_login(client, world):
    response = client.get(members_url(world["midt"]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_button_is_on_new_and_existing_meetings_of_the_cluster(client, world):
    midt = world["midt"]
    meeting = make_meeting(midt)
    client.force_login(world["editor"])
    url = members_url(midt)

    add = client.get(
        reverse(
            "wagtailadmin_pages:add",
            args=("klynge_pages", "meetingpage", midt.pk),
        )
    )
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))

    for response in (add, edit):
        assert response.status_code == 200
        assert f'data-klynge-cluster-members="{url}"' in response.text
        assert "Tilføj klyngens medlemmer" in response.text
        assert "klynge_pages/js/meeting_editor.js" in response.text
    assert MeetingPage.objects.count() == 1


def test_the_demo_steering_groups_members_are_the_people_of_its_minutes():
    """The seed's minutes list who took part for Aalborg, Jammerbugt and the
    region; those are the steering group's members, and no political
    cluster's (whose members are politicians, not in the seeds)."""
    content = load_demo_content()

    took_part = content.meeting.participants.values_list("person__name", flat=True)
    members = cluster_members(content.steering_group)
    assert sorted(person.name for person in members) == sorted(took_part)
    assert len(members) == 6
    for cluster in content.political_clusters:
        assert cluster_members(cluster) == []
