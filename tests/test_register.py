"""People and meeting places belong to a cluster: its groups add and change
them, the secretariat changes all (klynge_pages.permissions.
ClusterRegisterPolicy). Checked through the snippet views, by effect."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from klynge_pages.models import Location, MeetingParticipant, Person

from .factories import (
    LocationFactory,
    OrganisationFactory,
    PersonFactory,
    make_cluster,
    make_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    midt = make_cluster(title="Klynge Midt")
    nord = make_cluster(title="Klynge Nord", area="nord")
    midt.refresh_from_db()
    nord.refresh_from_db()
    User = get_user_model()
    editor = User.objects.create_user("midt-redaktoer", password="x")
    editor.groups.add(midt.editors_group)
    secretary = User.objects.create_user("sekretaer", password="x")
    secretary.groups.add(Group.objects.get(name="Sekretariat"))
    return {"midt": midt, "nord": nord, "editor": editor, "secretary": secretary}


def person_form(name, organisation, cluster):
    return {
        "name": name,
        "title": "",
        "organisation": organisation.pk,
        "cluster": cluster.pk if cluster else "",
    }


def test_an_editor_adds_people_to_their_own_cluster_only(client, world):
    organisation = OrganisationFactory(name="Aalborg Kommune")
    client.force_login(world["editor"])
    url = reverse("wagtailsnippets_klynge_pages_person:add")

    form = client.get(url).text
    assert "Klynge Nord" not in form
    client.post(url, person_form("Ny i Nord", organisation, world["nord"]))
    client.post(url, person_form("Ny i ingen", organisation, None))
    client.post(url, person_form("Ny i Midt", organisation, world["midt"]))

    assert list(Person.objects.values_list("name", "cluster")) == [
        ("Ny i Midt", world["midt"].pk)
    ]


def test_the_secretariats_people_are_not_the_editors_to_change(client, world):
    shared = PersonFactory(name="Fælles person", cluster=None)
    own = PersonFactory(name="Midts person", cluster=world["midt"])
    client.force_login(world["editor"])

    listing = client.get(reverse("wagtailsnippets_klynge_pages_person:list")).text
    client.post(
        reverse("wagtailsnippets_klynge_pages_person:edit", args=(shared.pk,)),
        person_form("Omdøbt", shared.organisation, world["midt"]),
    )

    shared.refresh_from_db()
    assert shared.name == "Fælles person"
    edit = reverse("wagtailsnippets_klynge_pages_person:edit", args=(own.pk,))
    assert edit in listing
    assert (
        reverse("wagtailsnippets_klynge_pages_person:edit", args=(shared.pk,))
        not in listing
    )

    client.force_login(world["secretary"])
    client.post(
        reverse("wagtailsnippets_klynge_pages_person:edit", args=(shared.pk,)),
        person_form("Omdøbt af sekretariatet", shared.organisation, None),
    )
    shared.refresh_from_db()
    assert shared.name == "Omdøbt af sekretariatet"


def test_places_follow_the_same_rule(client, world):
    place = LocationFactory(name="Rådhuset i Nord", cluster=world["nord"])
    client.force_login(world["editor"])

    client.post(
        reverse("wagtailsnippets_klynge_pages_location:edit", args=(place.pk,)),
        {"name": "Flyttet", "address": "", "cluster": world["midt"].pk},
    )

    place.refresh_from_db()
    assert (place.name, place.cluster_id) == ("Rådhuset i Nord", world["nord"].pk)


def test_the_migration_gives_people_and_places_the_one_cluster_they_appear_in(
    world,
):
    only_midt = PersonFactory(name="Kun i Midt", cluster=None)
    in_both = PersonFactory(name="I begge", cluster=None)
    place = Location.objects.create(name="Regionshuset")
    midt_meeting = make_meeting(world["midt"], items=0, location=place)
    nord_meeting = make_meeting(world["nord"], items=0)
    for meeting, people in (
        (midt_meeting, [only_midt, in_both]),
        (nord_meeting, [in_both]),
    ):
        for person in people:
            MeetingParticipant.objects.create(page=meeting, person=person)

    migration = importlib.import_module("klynge_pages.migrations.0008_signoff_data")
    migration.owning_clusters(apps, None)

    only_midt.refresh_from_db()
    in_both.refresh_from_db()
    place.refresh_from_db()
    assert only_midt.cluster_id == world["midt"].pk
    assert in_both.cluster_id is None
    assert place.cluster_id == world["midt"].pk
