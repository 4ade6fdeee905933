"""The host of a meeting is chosen among the cluster's members, and a new
meeting starts with the one the rotation names."""

import pytest
from django.urls import reverse

from klynge_pages.models import MeetingPage

from .admin_forms import meeting_form
from .factories import OrganisationFactory, make_cluster, make_meeting
from .signoff_world import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    outsider = OrganisationFactory(name="Hjørring Kommune")
    cluster = make_cluster(members=[aalborg, region])
    cluster.refresh_from_db()
    make_meeting(cluster, items=1, host=region)
    return {
        "cluster": cluster,
        "aalborg": aalborg,
        "region": region,
        "outsider": outsider,
        "editor": make_user("redaktoer", cluster.editors_group),
    }


def add_url(cluster):
    return reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "meetingpage", cluster.pk)
    )


def test_the_members_are_offered_with_the_next_host_chosen(client, world):
    client.force_login(world["editor"])

    form = client.get(add_url(world["cluster"])).context["form"]

    field = form["host"]
    offered = {label for value, label in field.field.choices if value}
    assert offered == {"Aalborg Kommune", "Region Nordjylland"}
    # The region hosted last: Aalborg is next.
    assert field.value() == world["aalborg"].pk


def test_another_organisation_is_refused_and_nothing_made(client, world):
    client.force_login(world["editor"])

    response = client.post(
        add_url(world["cluster"]),
        meeting_form("udefra", "Møde udefra", host=world["outsider"].pk),
    )

    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.text
    assert not MeetingPage.objects.filter(slug="udefra").exists()


def test_a_former_member_stays_the_host_of_its_meeting(client, world):
    cluster = world["cluster"]
    meeting = make_meeting(cluster, items=1, host=world["outsider"], title="Gammelt")
    client.force_login(world["editor"])

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(meeting.pk,)),
        meeting_form(meeting.slug, "Gammelt møde", host=world["outsider"].pk),
    )

    assert response.status_code == 302
    assert MeetingPage.objects.get(pk=meeting.pk).host == world["outsider"]
