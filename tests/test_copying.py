"""Wagtail's own "Kopiér" for every page type of ours, through the admin:
the copy is a draft with identities of its own (agenda item uuids, the rows
nested in the items), and the original is left as it was."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

from klynge_pages.models import (
    AgendaItem,
    AgendaItemAttachment,
    ClusterPage,
    MeetingPage,
    MinutesPage,
)

from .factories import (
    OrganisationFactory,
    attach_and_tag,
    make_cluster,
    make_meeting,
    make_minutes,
)
from .signoff_world import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cluster = make_cluster(members=[OrganisationFactory(name="Aalborg Kommune")])
    cluster.refresh_from_db()
    other = make_cluster(title="Klynge Nord")
    other.refresh_from_db()
    meeting = make_meeting(cluster, items=2, participants=2)
    meeting = attach_and_tag(meeting, cluster)
    return {
        "cluster": cluster,
        "meeting": MeetingPage.objects.get(pk=meeting.pk),
        "editor": make_user("redaktoer", cluster.editors_group),
        "outsider": make_user("nord", other.editors_group),
        "secretary": make_user("sekretaer", Group.objects.get(name="Sekretariat")),
    }


def copy_through_admin(client, user, page, parent, slug, **extra):
    client.force_login(user)
    data = {
        "new_title": f"Kopi af {page.title}",
        "new_slug": slug,
        "new_parent_page": parent.pk,
        **extra,
    }
    return client.post(reverse("wagtailadmin_pages:copy", args=(page.pk,)), data)


def test_copying_a_meeting_with_agenda_items_gives_every_item_a_new_identity(
    client, world
):
    meeting = world["meeting"]
    before = {item.pk: item.uuid for item in meeting.agenda_items.all()}
    attachments_before = set(
        AgendaItemAttachment.objects.filter(item__page=meeting).values_list(
            "pk", "item_id"
        )
    )

    response = copy_through_admin(
        client, world["editor"], meeting, world["cluster"], "kopi"
    )

    assert response.status_code == 302
    copy = MeetingPage.objects.get(slug="kopi")
    assert not copy.live
    items = list(copy.agenda_items.order_by("number"))
    assert [item.number for item in items] == [1, 2]
    assert not {item.pk for item in items} & set(before)
    assert not {item.uuid for item in items} & set(before.values())
    # The original is untouched, its attachments still its own.
    assert {item.pk: item.uuid for item in meeting.agenda_items.all()} == before
    assert (
        set(
            AgendaItemAttachment.objects.filter(item__page=meeting).values_list(
                "pk", "item_id"
            )
        )
        == attachments_before
    )
    copied_attachment = AgendaItemAttachment.objects.get(item__page=copy)
    assert copied_attachment.label == "Bilag 1"

    # The copy's latest revision carries the copy's own identities too.
    draft = copy.get_latest_revision_as_object()
    assert {item.uuid for item in draft.agenda_items.all()} == {
        item.uuid for item in items
    }
    # Publishing the copy (the revision Wagtail copied) neither fails nor
    # takes anything from the original.
    draft.save_revision().publish()
    assert AgendaItem.objects.filter(page=meeting).count() == 2
    assert AgendaItem.objects.filter(page=copy).count() == 2
    assert (
        set(
            AgendaItemAttachment.objects.filter(item__page=meeting).values_list(
                "pk", "item_id"
            )
        )
        == attachments_before
    )
    assert AgendaItemAttachment.objects.filter(item__page=copy).count() == 1
    assert set(AgendaItem.objects.get(page=copy, number=1).tags.names()) == {
        "psykiatri"
    }


def test_a_copied_meeting_is_a_draft_the_public_does_not_see(client, world):
    copy_through_admin(
        client, world["editor"], world["meeting"], world["cluster"], "kopi"
    )
    copy = MeetingPage.objects.get(slug="kopi")
    client.logout()

    assert client.get(copy.url_path.replace("/forside-test", "", 1)).status_code == 404
    assert client.get(world["meeting"].get_url()).status_code == 200


def test_copying_a_meeting_with_its_minutes_copies_both_as_drafts(client, world):
    make_minutes(world["meeting"])

    response = copy_through_admin(
        client,
        world["secretary"],
        world["meeting"],
        world["cluster"],
        "kopi",
        copy_subpages="on",
    )

    assert response.status_code == 302
    copy = MeetingPage.objects.get(slug="kopi")
    minutes = MinutesPage.objects.child_of(copy).get()
    assert not minutes.live
    assert MinutesPage.objects.live().count() == 1


def test_copying_a_cluster_with_its_meetings_gives_fresh_ids(client, world):
    secretary = world["secretary"]
    index = world["cluster"].get_parent()

    response = copy_through_admin(
        client,
        secretary,
        world["cluster"],
        index,
        "klynge-kopi",
        copy_subpages="on",
    )

    assert response.status_code == 302
    copy = ClusterPage.objects.get(slug="klynge-kopi")
    assert copy.editors_group_id != world["cluster"].editors_group_id
    copied_meeting = MeetingPage.objects.child_of(copy).get()
    assert copied_meeting.agenda_items.count() == 2
    assert AgendaItem.objects.values("uuid").distinct().count() == 4


def test_copying_minutes_alone_does_not_crash(client, world):
    minutes = make_minutes(world["meeting"], live=False)
    other_meeting = make_meeting(world["cluster"], slug="andet-moede", items=1)

    response = copy_through_admin(
        client, world["secretary"], minutes, other_meeting, "referat-kopi"
    )

    assert response.status_code in (200, 302)
    assert MinutesPage.objects.filter(slug="referat-kopi").count() <= 1


def test_an_editor_of_another_cluster_cannot_copy_the_meeting(client, world):
    pages_before = Page.objects.count()

    response = copy_through_admin(
        client, world["outsider"], world["meeting"], world["cluster"], "kopi"
    )

    assert response.status_code in (302, 403, 404)
    assert not response.headers.get("Location", "").endswith(
        reverse("wagtailadmin_explore", args=(world["cluster"].pk,))
    )
    assert Page.objects.count() == pages_before
    assert not MeetingPage.objects.filter(slug="kopi").exists()
