"""Minutes reach the public site only through "Referatgodkendelse": every
other path is tried here, with the users who would try it."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import PageLogEntry, PageViewRestriction, TaskState

from klynge_pages.models import MinutesPage

from .admin_forms import PUBLISH, minutes_form
from .factories import local, make_cluster, make_meeting, make_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cluster = make_cluster(title="Klynge A")
    cluster.refresh_from_db()
    meeting = make_meeting(cluster, start=local(2019, 11, 6, 16, 30), items=2)
    users = {}
    for role, group in [
        ("editor", cluster.editors_group),
        ("approver", cluster.approvers_group),
        ("secretary", Group.objects.get(name="Sekretariat")),
    ]:
        user = get_user_model().objects.create_user(
            username=role, password="x", email=f"{role}@example.dk"
        )
        user.groups.add(group)
        users[role] = user
    users["superuser"] = get_user_model().objects.create_superuser(
        username="admin", password="x", email="admin@example.dk"
    )
    return meeting, users


def live_minutes():
    return MinutesPage.objects.filter(live=True)


@pytest.mark.parametrize("role", ["editor", "secretary"])
def test_minutes_cannot_be_created_and_published_in_one_go(client, world, role):
    meeting, users = world
    client.force_login(users[role])

    client.post(
        reverse(
            "wagtailadmin_pages:add", args=("klynge_pages", "minutespage", meeting.pk)
        ),
        minutes_form("referat", "Referat", **PUBLISH),
    )

    assert MinutesPage.objects.child_of(meeting).count() == 1, "saved as a draft"
    assert not live_minutes().exists()


def test_bulk_publishing_a_meeting_with_its_drafts_leaves_the_minutes_alone(
    client, world
):
    meeting, users = world
    minutes = make_minutes(meeting, live=False)
    meeting.save_revision(user=users["editor"])
    client.force_login(users["editor"])

    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(f"{url}?id={meeting.pk}", {"include_descendants": "on"})
    client.post(f"{url}?id={minutes.pk}", {})

    assert not MinutesPage.objects.get(pk=minutes.pk).live


def test_scheduled_publishing_does_not_publish_unapproved_minutes(client, world):
    meeting, users = world
    minutes = make_minutes(meeting, live=False)
    client.force_login(users["editor"])

    client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        minutes_form(minutes.slug, "Referat", go_live_at="2019-11-07 09:00", **PUBLISH),
    )
    call_command("publish_scheduled", stdout=StringIO())

    assert not MinutesPage.objects.get(pk=minutes.pk).live


def test_a_superuser_override_is_published_and_logged(client, world):
    meeting, users = world
    minutes = make_minutes(meeting, live=False)
    client.force_login(users["superuser"])

    client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        minutes_form(minutes.slug, "Referat", **PUBLISH),
    )

    assert MinutesPage.objects.get(pk=minutes.pk).live
    entry = PageLogEntry.objects.get(
        page=minutes, action="klynge_pages.publish_override"
    )
    assert entry.user == users["superuser"]
    assert "uden om referatgodkendelsen" in str(entry.message)


def approve_all(minutes, users):
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    minutes.save_revision(user=users["editor"])
    minutes.get_workflow().start(minutes, users["editor"])
    for role in ("secretary", "approver"):
        state = TaskState.objects.get(
            workflow_state__object_id=str(minutes.pk),
            status=TaskState.STATUS_IN_PROGRESS,
        ).specific
        state.task.specific.on_action(state, users[role], "approve")
    return MinutesPage.objects.get(pk=minutes.pk)


def test_publishing_by_the_workflow_is_not_an_override(world):
    meeting, users = world
    minutes = approve_all(make_minutes(meeting, live=False), users)

    assert minutes.live
    assert not PageLogEntry.objects.filter(
        page=minutes, action="klynge_pages.publish_override"
    ).exists()
    assert PageLogEntry.objects.filter(page=minutes, action="wagtail.publish").exists()


def test_approved_minutes_of_a_private_meeting_stay_off_the_public_site(client, world):
    meeting, users = world
    PageViewRestriction.objects.create(
        page=meeting, restriction_type=PageViewRestriction.LOGIN
    )
    minutes = approve_all(
        make_minutes(
            meeting,
            live=False,
            decisions={1: "<p>Hemmelig beslutning</p>", 2: "<p>x</p>"},
        ),
        users,
    )
    assert minutes.live
    client.logout()

    response = client.get(minutes.url)
    cluster_page = client.get(meeting.get_parent().url)

    assert response.status_code == 302 and "login" in response["Location"]
    assert "Hemmelig beslutning" not in cluster_page.text
    assert minutes.url not in cluster_page.text


def test_the_submitter_hears_of_rejection_with_the_comment(world, mailoutbox):
    meeting, users = world
    minutes = make_minutes(meeting, live=False)
    minutes.save_revision(user=users["editor"])
    minutes.get_workflow().start(minutes, users["editor"])
    mailoutbox.clear()

    state = TaskState.objects.get(
        workflow_state__object_id=str(minutes.pk), status=TaskState.STATUS_IN_PROGRESS
    ).specific
    state.task.specific.on_action(
        state, users["secretary"], "reject", comment="Punkt 2 mangler"
    )

    to_editor = [mail for mail in mailoutbox if mail.to == ["editor@example.dk"]]
    assert len(to_editor) == 1
    assert "Punkt 2 mangler" in to_editor[0].body
    assert "afvist" in to_editor[0].subject.lower()


def test_the_submitter_hears_of_approval(world, mailoutbox):
    meeting, users = world
    minutes = make_minutes(meeting, live=False)
    mailoutbox.clear()

    approve_all(minutes, users)

    to_editor = [mail for mail in mailoutbox if mail.to == ["editor@example.dk"]]
    assert any("godkendt" in mail.subject.lower() for mail in to_editor), [
        mail.subject for mail in to_editor
    ]
