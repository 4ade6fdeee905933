"""A new meeting's address is its date, as the demo's ("/2019-11-06/"),
unless the editor wrote one of their own."""

import pytest
from django.urls import reverse
from django.utils.text import slugify

from klynge_pages.models import MeetingPage

from .admin_forms import meeting_form
from .factories import make_cluster
from .signoff_world import make_user

pytestmark = pytest.mark.django_db

TITLE = "Møde i Klyngestyregruppe Midt"


@pytest.fixture
def cluster():
    cluster = make_cluster()
    cluster.refresh_from_db()
    return cluster


def add(client, cluster, slug, title=TITLE):
    client.force_login(
        make_user(f"r{MeetingPage.objects.count()}", cluster.editors_group)
    )
    return client.post(
        reverse(
            "wagtailadmin_pages:add", args=("klynge_pages", "meetingpage", cluster.pk)
        ),
        meeting_form(slug, title),
    )


@pytest.mark.parametrize(
    "slug",
    [slugify(TITLE, allow_unicode=True), slugify(TITLE), ""],
    ids=["from-the-title", "from-the-title-ascii", "empty"],
)
def test_the_slug_wagtail_fills_in_becomes_the_date(client, cluster, slug):
    response = add(client, cluster, slug)

    assert response.status_code == 302
    assert MeetingPage.objects.child_of(cluster).get().slug == "2019-11-06"


def test_two_meetings_of_one_title_and_day_get_addresses_of_their_own(client, cluster):
    for _ in range(2):
        assert (
            add(client, cluster, slugify(TITLE, allow_unicode=True)).status_code == 302
        )

    slugs = MeetingPage.objects.child_of(cluster).values_list("slug", flat=True)
    assert sorted(slugs) == ["2019-11-06", "2019-11-06-2"]


def test_the_editors_own_slug_is_kept_and_can_still_clash(client, cluster):
    assert add(client, cluster, "julemoede").status_code == 302
    again = add(client, cluster, "julemoede", title="Et andet møde")

    assert MeetingPage.objects.child_of(cluster).get().slug == "julemoede"
    assert again.status_code == 200
    assert "julemoede" in again.text


def test_editing_keeps_the_address(client, cluster):
    add(client, cluster, "")
    meeting = MeetingPage.objects.child_of(cluster).get()

    client.post(
        reverse("wagtailadmin_pages:edit", args=(meeting.pk,)),
        meeting_form("", "Nyt navn"),
    )

    assert MeetingPage.objects.get(pk=meeting.pk).slug == "2019-11-06"
