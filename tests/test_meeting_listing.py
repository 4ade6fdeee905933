"""“Møder” in the admin: the meetings a user may work on, newest first, with
date, status and next deadline; nothing of another cluster's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from klynge_pages.models import MinutesPage

from .factories import make_cluster, make_meeting, make_minutes
from .signoff_world import make_user, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    midt = make_cluster(title="Klynge Midt")
    midt.refresh_from_db()
    nord = make_cluster(title="Klynge Nord")
    nord.refresh_from_db()
    now = timezone.now()
    meetings = {
        "held": make_meeting(midt, items=1, title="Holdt møde"),
        "coming": make_meeting(
            midt, start=now + timedelta(days=20), items=1, title="Kommende møde"
        ),
        "draft": make_meeting(
            midt, start=now + timedelta(days=40), live=False, title="Kladdemøde"
        ),
        "signing": make_meeting(
            midt, start=now - timedelta(days=3), items=1, title="Møde i godkendelse"
        ),
        "cancelled": make_meeting(
            midt, start=now - timedelta(days=60), cancelled=True, title="Aflyst møde"
        ),
        "other": make_meeting(nord, live=False, title="Nords hemmelige kladde"),
    }
    make_minutes(meetings["held"])
    editor = make_user("redaktoer", midt.editors_group)
    submit(make_minutes(meetings["signing"], live=False), editor)
    return meetings, editor


def listing(client, user):
    client.force_login(user)
    response = client.get(reverse("klynge_meetings:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_sees_the_own_clusters_meetings_newest_first(client, world):
    meetings, editor = world

    html = listing(client, editor)

    assert "Nords hemmelige kladde" not in html
    titles = ["Kladdemøde", "Kommende møde", "Møde i godkendelse", "Aflyst møde"]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert html.index("Aflyst møde") < html.index("Holdt møde")  # 2019
    # Nor by searching, which finds the own cluster's.
    index = reverse("klynge_meetings:index")
    assert "Kladdemøde" in client.get(index + "?q=Kladdem%C3%B8de").content.decode()
    found = client.get(index + "?q=hemmelige kladde")
    assert "Nords hemmelige kladde" not in found.content.decode()


def test_each_row_says_where_the_meeting_stands(client, world):
    meetings, editor = world

    html = listing(client, editor)

    def row(title):
        start = html.index(title)
        return html[start : html.index("</tr>", start)]

    assert "Referat udgivet" in row("Holdt møde")
    assert "Referat afventer godkendelse" in row("Møde i godkendelse")
    assert "Dagsorden udgivet" in row("Kommende møde")
    assert "Referat " in row("Kommende møde") and "(kommende)" in row("Kommende møde")
    assert "Kladde" in row("Kladdemøde") and "Dagsorden " in row("Kladdemøde")
    assert "Aflyst" in row("Aflyst møde")
    assert MinutesPage.objects.count() == 2


def test_it_is_in_the_menu(client, world):
    _meetings, editor = world
    client.force_login(editor)

    assert reverse("klynge_meetings:index") in client.get("/admin/").content.decode()
