"""Clusters, users and helpers for the sign-off tests: a cluster signing
off per member organisation (Aalborg, Jammerbugt, the region), its editor,
the secretariat, one approver per organisation, and an approver of another
cluster. Actions go through the admin's views over HTTP."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import TaskState

from klynge_pages.models import MinutesPage, Signatory, SignOffMode

from .factories import OrganisationFactory, make_cluster, make_meeting, make_minutes


def make_user(username, *groups, organisation=None):
    user = get_user_model().objects.create_user(
        username=username, password="x", first_name=username.title()
    )
    user.groups.add(*groups)
    if organisation is not None:
        Signatory.objects.create(
            user=user, name=username.title(), organisation=organisation
        )
    return user


def build():
    """The minutes (a draft) and the users by role."""
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    jammerbugt = OrganisationFactory(name="Jammerbugt Kommune")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    cluster = make_cluster(
        title="Klyngestyregruppe Midt",
        members=[aalborg, jammerbugt, region],
        signoff_mode=SignOffMode.PER_ORGANISATION,
    )
    cluster.refresh_from_db()
    other = make_cluster(title="Klyngestyregruppe Nord")
    other.refresh_from_db()
    minutes = make_minutes(make_meeting(cluster, items=2), live=False)
    users = {
        "editor": make_user("redaktoer", cluster.editors_group),
        "secretary": make_user("sekretaer", Group.objects.get(name="Sekretariat")),
        "aalborg": make_user("aalborg", cluster.approvers_group, organisation=aalborg),
        "jammerbugt": make_user(
            "jammerbugt", cluster.approvers_group, organisation=jammerbugt
        ),
        "region": make_user("region", cluster.approvers_group, organisation=region),
        "outsider": make_user("nord", other.approvers_group, organisation=aalborg),
    }
    return minutes, users


def submit(minutes, user):
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    minutes.save_revision(user=user)
    return minutes.get_workflow().start(minutes, user)


def current_task_state(minutes):
    return TaskState.objects.get(
        workflow_state__object_id=str(minutes.pk), status=TaskState.STATUS_IN_PROGRESS
    ).specific


def act(client, user, minutes, action, comment=None):
    """The action through Wagtail's workflow action view, as the dashboard's
    buttons post it."""
    client.force_login(user)
    task_state = current_task_state(minutes)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(minutes.pk, action, task_state.pk)
    )
    data = {"comment": comment} if comment is not None else {}
    return client.post(url, data)


def to_signoff(client, minutes, users):
    submit(minutes, users["editor"])
    act(client, users["secretary"], minutes, "approve")
    assert current_task_state(minutes).task.specific.name == "Klyngens godkendelse"


def assert_denied(response):
    # Wagtail's admin answers a PermissionDenied with a redirect to its
    # dashboard and a message.
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    ), response


def is_live(minutes):
    return MinutesPage.objects.get(pk=minutes.pk).live


def public_html(client, minutes):
    client.logout()
    response = client.get(MinutesPage.objects.get(pk=minutes.pk).url)
    assert response.status_code == 200
    return response.content.decode()
