"""The place of a meeting is chosen from a list that starts with where the
cluster met lately, and a new meeting starts at the place of the cluster's
latest meeting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klynge_pages.forms import location_choices
from klynge_pages.models import Location, MeetingPage

from .admin_forms import PUBLISH, meeting_form
from .factories import LocationFactory, local, make_cluster, make_meeting
from .signoff_world import make_user

pytestmark = pytest.mark.django_db

RECENT = "Klyngens seneste mødesteder"
OWN = "Klyngens mødesteder"
OTHERS = "Andre mødesteder"


@pytest.fixture
def world():
    midt = make_cluster(title="Klynge Midt")
    nord = make_cluster(title="Klynge Nord", area="nord")
    midt.refresh_from_db()
    nord.refresh_from_db()
    places = {
        name: LocationFactory(name=name, address=f"{name}vej 1", cluster=midt)
        for name in ("Aalborg", "Brønderslev", "Dronninglund", "Jammerbugt", "Nibe")
    }
    places["Sejlflod"] = LocationFactory(name="Sejlflod", address="", cluster=midt)
    places["Ubrugt"] = LocationFactory(name="Ubrugt", address="", cluster=midt)
    places["Regionshuset"] = LocationFactory(name="Regionshuset", cluster=None)
    places["Hjørring"] = LocationFactory(name="Hjørring", address="", cluster=nord)
    # Midt met at six places, Aalborg twice (the oldest and the newest).
    for month, name in enumerate(
        ["Aalborg", "Sejlflod", "Brønderslev", "Dronninglund", "Jammerbugt", "Nibe"],
        start=1,
    ):
        make_meeting(
            midt, start=local(2019, month, 6, 16, 30), items=1, location=places[name]
        )
    make_meeting(midt, start=local(2019, 8, 6, 16, 30), items=1, location=None)
    make_meeting(
        midt, start=local(2019, 7, 6, 16, 30), items=1, location=places["Aalborg"]
    )
    # Nord's newest meeting of all, at a place of Midt's.
    make_meeting(
        nord, start=local(2019, 12, 6, 16, 30), items=1, location=places["Sejlflod"]
    )
    return {
        "midt": midt,
        "nord": nord,
        "places": places,
        "midt_editor": make_user("midt", midt.editors_group),
        "nord_editor": make_user("nord", nord.editors_group),
    }


def add_url(cluster):
    return reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "meetingpage", cluster.pk)
    )


def groups(bound_field):
    """{group label: [place names]} in the order the list shows them."""
    names = {place.pk: place.name for place in Location.objects.all()}
    return {
        label: [names[value] for value, _ in options]
        for label, options in bound_field.field.widget.choices
        if isinstance(options, list)
    }


def test_recent_places_come_first_and_the_latest_is_chosen(client, world):
    client.force_login(world["midt_editor"])

    response = client.get(add_url(world["midt"]))

    location = response.context["form"]["location"]
    assert groups(location) == {
        # The last five distinct places, newest first.
        RECENT: ["Aalborg", "Nibe", "Jammerbugt", "Dronninglund", "Brønderslev"],
        OWN: ["Sejlflod", "Ubrugt"],
        OTHERS: ["Hjørring", "Regionshuset"],
    }
    assert location.value() == world["places"]["Aalborg"].pk
    html = response.text
    assert f'<optgroup label="{RECENT}">' in html
    assert reverse("wagtailsnippets_klynge_pages_location:add") in html


def test_another_clusters_editor_sees_their_own_recent_places(client, world):
    client.force_login(world["nord_editor"])

    location = client.get(add_url(world["nord"])).context["form"]["location"]

    assert groups(location) == {
        RECENT: ["Sejlflod"],
        OWN: ["Hjørring"],
        OTHERS: [
            "Aalborg",
            "Brønderslev",
            "Dronninglund",
            "Jammerbugt",
            "Nibe",
            "Regionshuset",
            "Ubrugt",
        ],
    }
    assert location.value() == world["places"]["Sejlflod"].pk


def test_the_choices_take_two_queries_however_many_meetings_and_places(world):
    cluster = world["midt"]
    for number in range(10):
        LocationFactory(name=f"Sted {number}", cluster=cluster)

    with CaptureQueriesContext(connection) as queries:
        choices, latest = location_choices(cluster, list(Location.objects.all()))

    assert len(queries) == 2
    assert latest == world["places"]["Aalborg"]
    assert sum(len(options) for _, options in choices[1:]) == Location.objects.count()


def test_an_existing_meeting_keeps_its_place(client, world):
    meeting = make_meeting(
        world["midt"],
        start=local(2019, 9, 6, 16, 30),
        items=1,
        location=world["places"]["Regionshuset"],
    )
    client.force_login(world["midt_editor"])

    response = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))

    assert (
        response.context["form"]["location"].value()
        == world["places"]["Regionshuset"].pk
    )


def test_the_chosen_place_is_published_on_the_meeting_page(client, world):
    client.force_login(world["midt_editor"])
    place = world["places"]["Jammerbugt"]

    response = client.post(
        add_url(world["midt"]),
        meeting_form("nyt-moede", "Nyt møde", location=place.pk, **PUBLISH),
    )

    assert response.status_code == 302
    meeting = MeetingPage.objects.get(title="Nyt møde")
    assert meeting.live and meeting.location == place
    client.logout()
    page = client.get(meeting.url)
    assert page.status_code == 200
    assert "Jammerbugtvej 1" in page.text


def test_an_unknown_place_is_refused_and_nothing_made(client, world):
    client.force_login(world["nord_editor"])

    response = client.post(
        add_url(world["nord"]),
        meeting_form("ukendt", "Ukendt sted", location=999999, **PUBLISH),
    )

    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.text
    assert not MeetingPage.objects.filter(title="Ukendt sted").exists()
