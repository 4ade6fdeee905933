"""“Opret næste møde”: a draft of the next meeting from the last one, through
the admin — what is copied, what is not, and who may."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageLogEntry

from klynge_pages.models import (
    AgendaItem,
    AgendaItemAttachment,
    Attendance,
    MeetingPage,
    MinutesPage,
)
from klynge_pages.models.pages import MeetingParticipant

from .factories import (
    OrganisationFactory,
    attach_and_tag,
    make_cluster,
    make_document,
    make_meeting,
    make_minutes,
)
from .signoff_world import make_user

pytestmark = pytest.mark.django_db

CLOSED_TEXT = "Fortrolig sagsfremstilling om en medarbejder"


@pytest.fixture
def world():
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    cluster = make_cluster(members=[aalborg, region])
    cluster.refresh_from_db()
    other = make_cluster(title="Klynge Nord")
    other.refresh_from_db()
    meeting = make_meeting(cluster, items=3, participants=2, closed=(3,), host=region)
    closed = meeting.agenda_items.get(number=3)
    closed.description = f"<p>{CLOSED_TEXT}</p>"
    closed.attachments = [
        AgendaItemAttachment(document=make_document("Lukket bilag", cluster=cluster))
    ]
    closed.save()
    # As held: one came, one sent apologies.
    first, second = MeetingParticipant.objects.filter(page=meeting).order_by("pk")
    MeetingParticipant.objects.filter(pk=first.pk).update(attendance=Attendance.PRESENT)
    MeetingParticipant.objects.filter(pk=second.pk).update(
        attendance=Attendance.APOLOGIES
    )
    meeting = attach_and_tag(meeting, cluster)
    make_minutes(MeetingPage.objects.get(pk=meeting.pk))
    return {
        "cluster": cluster,
        "meeting": MeetingPage.objects.get(pk=meeting.pk),
        "aalborg": aalborg,
        "editor": make_user("redaktoer", cluster.editors_group),
        "approver": make_user("godkender", cluster.approvers_group),
        "outsider": make_user("nord", other.editors_group),
        "secretary": make_user("sekretaer", Group.objects.get(name="Sekretariat")),
    }


def url(meeting):
    return reverse("klynge_pages_next_meeting", args=(meeting.pk,))


def create(client, user, meeting, **extra):
    client.force_login(user)
    data = {"start": "2019-12-04 16:30", "end": "2019-12-04 18:00", **extra}
    return client.post(url(meeting), data)


def new_meetings(cluster, meeting):
    return MeetingPage.objects.child_of(cluster).exclude(pk=meeting.pk)


def test_the_next_meeting_is_a_draft_with_the_agenda_and_people(client, world):
    meeting, cluster = world["meeting"], world["cluster"]

    response = create(client, world["editor"], meeting)

    new = new_meetings(cluster, meeting).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(new.pk,))
    assert not new.live and new.get_latest_revision() is not None
    assert new.slug == "2019-12-04"
    assert new.title == meeting.title
    assert (new.location_id, new.room) == (meeting.location_id, meeting.room)
    # The rotation: Aalborg has not hosted, the region has.
    assert new.host == world["aalborg"]
    items = list(new.agenda_items.order_by("number"))
    old_items = list(meeting.agenda_items.order_by("number"))
    assert [(i.number, i.title, i.closed) for i in items] == [
        (i.number, i.title, i.closed) for i in old_items
    ]
    assert items[0].description == old_items[0].description
    assert list(items[0].tags.names()) == ["psykiatri"]
    assert {i.uuid for i in items}.isdisjoint({i.uuid for i in old_items})
    # Closed contents, attachments (not asked for) and minutes stay behind.
    assert items[2].description == "" and items[2].recommendation == ""
    assert not AgendaItemAttachment.objects.filter(item__page=new).exists()
    assert not MinutesPage.objects.child_of(new).exists()
    participants = list(new.participants.all())
    assert len(participants) == 2
    assert {p.attendance for p in participants} == {Attendance.INVITED}
    assert PageLogEntry.objects.filter(page=new, action="wagtail.create").exists()
    # The original is as it was.
    assert AgendaItem.objects.filter(page=meeting).count() == 3
    assert list(
        MeetingParticipant.objects.filter(page=meeting)
        .order_by("pk")
        .values_list("attendance", flat=True)
    ) == [Attendance.PRESENT, Attendance.APOLOGIES]


def test_the_open_items_attachments_on_request(client, world):
    meeting, cluster = world["meeting"], world["cluster"]

    create(client, world["editor"], meeting, attachments="on")

    new = new_meetings(cluster, meeting).get()
    copied = AgendaItemAttachment.objects.filter(item__page=new)
    assert [(a.item.number, a.document.title, a.label) for a in copied] == [
        (1, "Bilag om psykiatri", "Bilag 1")
    ]
    # The original keeps its own.
    assert AgendaItemAttachment.objects.filter(item__page=meeting).count() == 2


def test_a_second_meeting_on_the_same_day_gets_its_own_slug(client, world):
    meeting, cluster = world["meeting"], world["cluster"]

    create(client, world["editor"], meeting)
    create(client, world["editor"], meeting)

    slugs = sorted(new_meetings(cluster, meeting).values_list("slug", flat=True))
    assert slugs == ["2019-12-04", "2019-12-04-2"]


def test_the_public_page_of_the_new_meeting_says_invited_not_attended(client, world):
    meeting, cluster = world["meeting"], world["cluster"]
    create(client, world["editor"], meeting)
    new = new_meetings(cluster, meeting).get()
    new.get_latest_revision().publish()
    client.logout()

    html = client.get(MeetingPage.objects.get(pk=new.pk).url).content.decode()

    assert "Indkaldt" in html
    assert "Deltog" not in html
    assert CLOSED_TEXT not in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"start": "", "end": ""}, "Dette felt er påkrævet."),
        (
            {"start": "4. december", "end": "2019-12-04 18:00"},
            "Indtast gyldig dato/tid.",
        ),
        (
            {"start": "2019-12-04 18:00", "end": "2019-12-04 16:30"},
            "Mødet skal slutte efter, det er begyndt.",
        ),
    ],
    ids=["empty", "malformed", "ends-before-it-starts"],
)
def test_bad_times_are_refused_and_nothing_is_made(client, world, data, error):
    meeting, cluster = world["meeting"], world["cluster"]
    client.force_login(world["editor"])

    response = client.post(url(meeting), data)

    assert response.status_code == 422
    assert error in response.text
    assert not new_meetings(cluster, meeting).exists()


def test_an_editor_of_another_cluster_may_not(client, world):
    meeting, cluster = world["meeting"], world["cluster"]
    client.force_login(world["outsider"])

    form = client.get(url(meeting))
    post = create(client, world["outsider"], meeting)

    # Wagtail's admin answers PermissionDenied with a redirect and a message.
    assert form.status_code in (302, 403) and post.status_code in (302, 403)
    assert not new_meetings(cluster, meeting).exists()
    listing = client.get(reverse("wagtailadmin_explore", args=(cluster.pk,)))
    assert url(meeting) not in listing.content.decode()


def test_the_action_is_on_the_meeting_and_in_the_listing(client, world):
    meeting, cluster = world["meeting"], world["cluster"]
    client.force_login(world["editor"])

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))
    listing = client.get(reverse("wagtailadmin_explore", args=(cluster.pk,)))
    form = client.get(url(meeting))

    for response in (edit, listing):
        assert url(meeting) in response.content.decode()
    assert form.status_code == 200
    # Four weeks on, as a first suggestion.
    assert "2019-12-04 16:30" in form.content.decode()


def test_the_minutes_start_from_the_invited_as_attending(client, world):
    meeting, cluster = world["meeting"], world["cluster"]
    create(client, world["editor"], meeting)
    new = new_meetings(cluster, meeting).get()

    form = client.get(
        reverse("wagtailadmin_pages:add", args=("klynge_pages", "minutespage", new.pk))
    )

    attendance = form.context["form"].formsets["attendance"]
    assert [f.initial["attendance"] for f in attendance.forms] == [
        Attendance.PRESENT,
        Attendance.PRESENT,
    ]
