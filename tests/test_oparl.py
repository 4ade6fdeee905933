"""The OParl 1.1 API at /oparl/v1.1/: every object type against the
specification, files, soft delete, what must never leak, errors and CORS.
Pagination and filters on a large data set: test_oparl_lists.py."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Page, PageViewRestriction

from klynge_pages.models import (
    AgendaItemAttachment,
    MeetingPage,
    MeetingParticipant,
    MinutesAttendance,
    MinutesPage,
)
from oparl import records
from oparl.models import ObjectRecord

from .factories import (
    LocationFactory,
    OrganisationFactory,
    PersonFactory,
    collection_of,
    local,
    make_cluster,
    make_meeting,
    make_minutes,
    publish,
)
from .oparl_spec import check_list_page, check_object

pytestmark = pytest.mark.django_db

API = "/oparl/v1.1/"
SECRETS = {
    "description": "Fortrolig sagsfremstilling om en navngiven borger",
    "recommendation": "Det indstilles, at den fortrolige sag afgøres",
    "attachment": "Fortroligt bilag om personsag",
    "decision": "Fortrolig beslutning i personsagen",
    "tag": "personsag",
}
PDF = b"%PDF-1.4 bilag til punkt 1"


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def walk(client, url):
    """Every object of a list, following links.next."""
    objects = []
    while url:
        page = get(client, url)
        check_list_page(page)
        objects += page["data"]
        url = page["links"].get("next")
    return objects


def body_of(client):
    system = get(client, API)
    return walk(client, system["body"])[0]


def make_document(title, content=PDF, cluster=None):
    extra = {"collection": collection_of(cluster)} if cluster else {}
    return Document.objects.create(
        title=title, file=ContentFile(content, name=f"{title.lower()}.pdf"), **extra
    )


def attach(meeting, number, document, label):
    item = meeting.agenda_items.get(number=number)
    item.attachments = [AgendaItemAttachment(document=document, label=label)]
    item.save()


@pytest.fixture
def content(django_capture_on_commit_callbacks):
    """A cluster with members; a held meeting (approved minutes, attendance,
    a closed item with secrets, an attachment); an invited meeting."""
    aalborg = OrganisationFactory(name="Aalborg Kommune", short_name="Aalborg")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    with django_capture_on_commit_callbacks(execute=True):
        cluster = make_cluster(title="Politisk klynge Midt", members=[aalborg, region])
        steering = make_cluster(
            title="Klyngestyregruppe Midt",
            kind="klyngestyregruppe",
            parent_body=cluster,
            members=[aalborg],
        )
        chair = PersonFactory(name="Mette Formand", organisation=aalborg)
        place = LocationFactory()
        meeting = make_meeting(
            cluster,
            start=local(2019, 11, 6, 16, 30),
            items=3,
            closed=(2,),
            location=place,
            room="Mødelokale D",
            host=aalborg,
        )
        MeetingParticipant.objects.create(page=meeting, person=chair, role="formand")
        closed = meeting.agenda_items.get(number=2)
        closed.description = f"<p>{SECRETS['description']}</p>"
        closed.recommendation = f"<p>{SECRETS['recommendation']}</p>"
        closed.tags.add(SECRETS["tag"])
        closed.attachments = [
            AgendaItemAttachment(
                document=make_document("Personsag", cluster=cluster),
                label=SECRETS["attachment"],
            )
        ]
        closed.save()
        open_item = meeting.agenda_items.get(number=1)
        open_item.tags.add("psykiatri")
        open_item.attachments = [
            AgendaItemAttachment(
                document=make_document("Bilag", cluster=cluster), label="Bilag 1"
            )
        ]
        open_item.save()
        meeting = publish(MeetingPage.objects.get(pk=meeting.pk))
        minutes = make_minutes(
            meeting,
            decisions={
                1: "<p>Klyngen tog orienteringen til efterretning.</p>",
                2: f"<p>{SECRETS['decision']}</p>",
                3: "<p>Drøftet.</p>",
            },
        )
        minutes = MinutesPage.objects.get(pk=minutes.pk)
        minutes.attendance = [MinutesAttendance(person=chair, attendance="deltog")]
        publish(minutes)
        later = make_meeting(steering, start=local(2030, 3, 1, 10, 0), items=2)
    return {
        "cluster": cluster,
        "steering": steering,
        "meeting": MeetingPage.objects.get(pk=meeting.pk),
        "later": later,
        "chair": chair,
        "place": place,
        "aalborg": aalborg,
        "region": region,
    }


def everything(client):
    """Every object the API shows, by walking from the system object."""
    body = body_of(client)
    objects = {"Body": [body]}
    for key in (
        "organization",
        "person",
        "meeting",
        "agendaItem",
        "file",
        "locationList",
        "membership",
        "legislativeTermList",
        "paper",
        "consultation",
    ):
        objects[key] = walk(client, body[key])
    return objects


# --- conformance ------------------------------------------------------------


def test_system_object_is_the_entry_point(client, content):
    system = get(client, API)

    assert check_object(system, "System") == "System"
    assert system["id"] == "http://testserver/oparl/v1.1/"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = get(client, system["body"])
    check_list_page(bodies)
    assert [check_object(body, "Body") for body in bodies["data"]] == ["Body"]


def test_every_object_type_meets_the_specification(client, content):
    objects = everything(client)

    expected = {
        "organization": "Organization",
        "person": "Person",
        "meeting": "Meeting",
        "agendaItem": "AgendaItem",
        "file": "File",
        "locationList": "Location",
        "membership": "Membership",
        "legislativeTermList": "LegislativeTerm",
    }
    for key, name in expected.items():
        assert objects[key], f"the {key} list is empty"
        for obj in objects[key]:
            check_object(obj, name)
            # Each object can be fetched by its id (spec chapter 3), and
            # the standalone object is the listed one.
            assert get(client, obj["id"]) == obj
    assert objects["paper"] == [] and objects["consultation"] == []
    body = objects["Body"][0]
    check_object(body, "Body")
    assert body["name"] == "Sundhedsaftalen i Region Nordjylland"
    assert [term["name"] for term in body["legislativeTerm"]][:2] == [
        "Valgperiode 2018–2021",
        "Valgperiode 2022–2025",
    ]


def test_objects_carry_the_content(client, content):
    objects = everything(client)
    meeting = next(m for m in objects["meeting"] if m["name"].startswith("Møde 06"))
    later = next(m for m in objects["meeting"] if m is not meeting)

    assert meeting["meetingState"] == "held"
    assert later["meetingState"] == "invited"
    assert meeting["start"] == "2019-11-06T16:30:00+01:00"
    assert meeting["location"]["postalCode"] == "9220"
    assert meeting["location"]["locality"] == "Aalborg Øst"
    assert meeting["klyngeportal:room"] == "Mødelokale D"
    chair_url = f"http://testserver/oparl/v1.1/person/{content['chair'].pk}"
    assert meeting["participant"] == [chair_url]
    first, closed, third = meeting["agendaItem"]
    assert [item["order"] for item in meeting["agendaItem"]] == [0, 1, 2]
    assert first["number"] == "1" and first["public"] is True
    assert first["result"] == "Behandlet"
    assert first["resolutionText"] == "Klyngen tog orienteringen til efterretning."
    assert first["keyword"] == ["psykiatri"]
    # Label and title, as the public page names it.
    assert first["auxiliaryFile"][0]["name"] == "Bilag 1 – Bilag"
    assert closed["public"] is False
    organisations = {o["name"]: o for o in objects["organization"]}
    steering = organisations["Klyngestyregruppe Midt"]
    assert steering["subOrganizationOf"] == organisations["Politisk klynge Midt"]["id"]
    assert organisations["Politisk klynge Midt"]["klyngeportal:memberOrganization"] == [
        organisations["Aalborg Kommune"]["id"],
        organisations["Region Nordjylland"]["id"],
    ]
    [membership] = objects["membership"]
    assert membership["role"] == "Mødeleder"
    assert membership["person"] == chair_url
    assert membership["onBehalfOf"] == organisations["Aalborg Kommune"]["id"]
    assert membership["organization"] == organisations["Politisk klynge Midt"]["id"]
    [person] = objects["person"]
    assert person["membership"][0]["id"] == membership["id"]
    assert "person" not in person["membership"][0]  # no back-reference inside


def test_file_gives_checksum_size_and_both_urls(client, content):
    [file] = walk(client, body_of(client)["file"])
    document = Document.objects.get(title="Bilag")

    assert file["size"] == len(PDF)
    assert file["sha512Checksum"] == hashlib.sha512(PDF).hexdigest()
    assert file["mimeType"] == "application/pdf"
    assert file["fileName"] == document.filename
    access = client.get(file["accessUrl"])
    assert access.status_code == 200
    assert b"".join(access.streaming_content) == PDF
    assert "attachment" not in access.get("Content-Disposition", "")
    download = client.get(file["downloadUrl"])
    assert download["Content-Disposition"].startswith("attachment;")
    assert f'filename="{document.filename}"' in download["Content-Disposition"]


def test_omit_internal_leaves_out_internal_lists(client, content):
    body = body_of(client)
    meetings = walk(client, body["meeting"] + "?omit_internal=true")
    people = walk(client, body["person"] + "?omit_internal=true")

    assert all("agendaItem" not in meeting for meeting in meetings)
    assert all("membership" not in person for person in people)


# --- leaks ------------------------------------------------------------------


def test_closed_items_unpublished_and_private_content_never_leak(
    client, content, django_capture_on_commit_callbacks
):
    cluster = content["cluster"]
    with django_capture_on_commit_callbacks(execute=True):
        # A draft meeting, never published.
        make_meeting(
            cluster, start=local(2031, 1, 1, 9, 0), title="Kladdemøde", live=False
        )
        # A published meeting with an unpublished draft on top.
        meeting = content["meeting"]
        meeting.title = "Kladdetitel på et offentligt møde"
        meeting.save_revision()
        # Minutes awaiting approval: not live.
        pending = make_meeting(cluster, start=local(2020, 2, 2, 10, 0), items=1)
        insider = PersonFactory(name="Ikke Godkendt Deltager")
        waiting = make_minutes(
            pending, live=False, decisions={1: "<p>Ikke godkendt beslutning</p>"}
        )
        MinutesAttendance.objects.create(page=waiting, person=insider)
        # A private meeting, and a meeting under a private cluster.
        private = make_meeting(
            cluster, start=local(2021, 1, 1, 9, 0), title="Lukket møde"
        )
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        hidden_cluster = make_cluster(title="Hemmelig klynge")
        PageViewRestriction.objects.create(
            page=hidden_cluster, restriction_type="password", password="x"
        )
        make_meeting(hidden_cluster, title="Møde i hemmelig klynge")
        # A live meeting under an unpublished cluster.
        draft_cluster = make_cluster(title="Ikke udgivet klynge")
        make_meeting(draft_cluster, title="Møde under kladde")
        draft_cluster.unpublish()

    dump = json.dumps(everything(client), ensure_ascii=False)

    for secret in [
        *SECRETS.values(),
        "Kladdemøde",
        "Kladdetitel",
        "Ikke godkendt beslutning",
        "Ikke Godkendt Deltager",
        "Lukket møde",
        "Hemmelig klynge",
        "Møde i hemmelig klynge",
        "Ikke udgivet klynge",
        "Møde under kladde",
        "personsag.pdf",
    ]:
        assert secret not in dump, secret
    assert '"public": false' in dump
    meetings = walk(client, body_of(client)["meeting"])
    pending_json = next(m for m in meetings if m["id"].endswith(f"/{pending.pk}"))
    assert pending_json["meetingState"] == "invited"
    assert "participant" not in pending_json
    assert "result" not in pending_json["agendaItem"][0]


def test_closed_item_shows_its_title_only(client, content):
    meeting = content["meeting"]
    closed = meeting.agenda_items.get(number=2)

    item = get(client, f"{API}agendaitem/{closed.uuid}")

    assert set(item) == {
        "id",
        "type",
        "created",
        "modified",
        "meeting",
        "number",
        "order",
        "name",
        "public",
        "web",
    }
    assert item["public"] is False


def test_closed_items_attachment_cannot_be_fetched(client, content):
    attachment = AgendaItemAttachment.objects.get(label=SECRETS["attachment"])

    get(client, f"{API}file/{attachment.pk}", status=404)
    assert client.get(f"{API}file/{attachment.pk}/access").status_code == 404
    assert client.get(f"{API}file/{attachment.pk}/download").status_code == 404


def test_document_attached_to_a_closed_item_anywhere_is_no_file(client, content):
    open_attachment = AgendaItemAttachment.objects.get(label="Bilag 1")
    later = content["later"]
    closed = later.agenda_items.first()
    closed.closed = True
    closed.attachments = [
        AgendaItemAttachment(document=open_attachment.document, label="Samme bilag")
    ]
    closed.save()

    # It was shown before: now it is a deleted file.
    assert get(client, f"{API}file/{open_attachment.pk}")["deleted"] is True
    assert client.get(f"{API}file/{open_attachment.pk}/access").status_code == 410
    meeting = get(client, f"{API}meeting/{content['meeting'].pk}")
    assert "auxiliaryFile" not in meeting["agendaItem"][0]
    assert walk(client, body_of(client)["file"]) == []


def test_drafts_and_private_pages_are_not_found(client, content):
    draft = make_meeting(content["cluster"], title="Kladde", live=False)
    private = make_meeting(content["cluster"], title="Privat")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    for page in (draft, private):
        error = get(client, f"{API}meeting/{page.pk}", status=404)
        assert error["type"] == "https://schema.oparl.org/1.1/Error"


# --- soft delete --------------------------------------------------------------


def test_unpublished_meeting_becomes_a_deleted_object(
    client, content, django_capture_on_commit_callbacks
):
    meeting = content["later"]
    item = meeting.agenda_items.first()
    before = timezone.now() - timedelta(seconds=1)
    shown = get(client, f"{API}meeting/{meeting.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        MeetingPage.objects.get(pk=meeting.pk).unpublish()

    gone = get(client, f"{API}meeting/{meeting.pk}")
    assert check_object(gone, "Meeting")
    assert gone == {
        "id": shown["id"],
        "type": shown["type"],
        "created": shown["created"],
        "modified": gone["modified"],
        "deleted": True,
    }
    assert gone["modified"] >= timezone.localtime(before).isoformat()[:19]
    body = body_of(client)
    since = timezone.localtime(before).replace(microsecond=0).isoformat()
    changed = walk(
        client, f"{body['meeting']}?modified_since={since.replace('+', '%2B')}"
    )
    assert [m["id"] for m in changed if m.get("deleted")] == [shown["id"]]
    items = walk(
        client, f"{body['agendaItem']}?modified_since={since.replace('+', '%2B')}"
    )
    assert any(i["id"].endswith(str(item.uuid)) for i in items if i.get("deleted"))
    # Without modified_since, deleted objects are not listed (spec 2.5).
    assert shown["id"] not in {m["id"] for m in walk(client, body["meeting"])}


def test_republished_meeting_returns_with_a_new_modified(
    client, content, django_capture_on_commit_callbacks
):
    meeting = content["later"]
    with django_capture_on_commit_callbacks(execute=True):
        MeetingPage.objects.get(pk=meeting.pk).unpublish()
    gone = get(client, f"{API}meeting/{meeting.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        publish(MeetingPage.objects.get(pk=meeting.pk))

    back = get(client, f"{API}meeting/{meeting.pk}")
    assert "deleted" not in back
    assert back["modified"] >= gone["modified"]


def test_cancelled_meeting_says_so(client, content, django_capture_on_commit_callbacks):
    meeting = content["later"]
    assert get(client, f"{API}meeting/{meeting.pk}")["cancelled"] is False

    meeting = MeetingPage.objects.get(pk=meeting.pk)
    meeting.cancelled = True
    with django_capture_on_commit_callbacks(execute=True):
        publish(meeting)

    assert get(client, f"{API}meeting/{meeting.pk}")["cancelled"] is True


def test_meetings_under_an_unpublished_cluster_are_deleted(
    client, content, django_capture_on_commit_callbacks
):
    steering = content["steering"]
    later = content["later"]

    with django_capture_on_commit_callbacks(execute=True):
        steering.unpublish()

    assert get(client, f"{API}meeting/{later.pk}")["deleted"] is True
    assert get(client, f"{API}cluster/{steering.pk}")["deleted"] is True


def test_deleted_page_leaves_a_deleted_object(
    client, content, django_capture_on_commit_callbacks
):
    later = content["later"]
    item = later.agenda_items.first()

    with django_capture_on_commit_callbacks(execute=True):
        MeetingPage.objects.get(pk=later.pk).delete()

    assert get(client, f"{API}meeting/{later.pk}")["deleted"] is True
    assert get(client, f"{API}agendaitem/{item.uuid}")["deleted"] is True


def test_withdrawn_minutes_change_the_meeting(
    client, content, django_capture_on_commit_callbacks
):
    meeting = content["meeting"]
    held = get(client, f"{API}meeting/{meeting.pk}")
    # Make the withdrawal visibly later than the minutes' publication.
    MinutesPage.objects.filter(pk=meeting.get_children().first().pk).update(
        last_published_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        records.sync()
        MinutesPage.objects.get(pk=meeting.get_children().first().pk).unpublish()

    withdrawn = get(client, f"{API}meeting/{meeting.pk}")
    assert withdrawn["meetingState"] == "invited"
    assert "result" not in withdrawn["agendaItem"][0]
    assert withdrawn["modified"] >= held["modified"]
    # The chair is still shown: the meeting page names them too.
    assert get(client, f"{API}person/{content['chair'].pk}")["membership"]


def test_person_named_nowhere_any_more_is_deleted(
    client, content, django_capture_on_commit_callbacks
):
    later = content["later"]
    guest = PersonFactory(name="Gæst Engang")
    with django_capture_on_commit_callbacks(execute=True):
        page = MeetingPage.objects.get(pk=later.pk)
        page.participants.create(person=guest, role="gaest")
        publish(page)
    assert get(client, f"{API}person/{guest.pk}")["name"] == "Gæst Engang"

    with django_capture_on_commit_callbacks(execute=True):
        page = MeetingPage.objects.get(pk=later.pk)
        page.participants = [
            row for row in page.participants.all() if row.person_id != guest.pk
        ]
        publish(page)

    assert get(client, f"{API}person/{guest.pk}")["deleted"] is True


def test_edited_person_is_modified(client, content, django_capture_on_commit_callbacks):
    chair = content["chair"]
    two_days_ago = timezone.now() - timedelta(days=2)
    Page.objects.update(first_published_at=two_days_ago, last_published_at=two_days_ago)
    ObjectRecord.objects.all().delete()
    records.sync()
    before = get(client, f"{API}person/{chair.pk}")["modified"]

    with django_capture_on_commit_callbacks(execute=True):
        chair.title = "borgmester"
        chair.save()

    after = get(client, f"{API}person/{chair.pk}")
    assert after["status"] == ["borgmester"]
    assert after["modified"] > before


def test_sync_command_reports_what_it_recorded(content):
    from io import StringIO

    from django.core.management import call_command

    ObjectRecord.objects.all().delete()
    out = StringIO()
    call_command("oparl_sync", stdout=out)

    assert "objects added" in out.getvalue()
    assert ObjectRecord.objects.filter(kind="meeting").count() == 2


# --- errors and CORS ------------------------------------------------------------


def test_unknown_objects_and_paths_are_json_404(client, content):
    for url in (
        f"{API}meeting/999999",
        f"{API}agendaitem/00000000-0000-0000-0000-000000000000",
        f"{API}body/999999",
        f"{API}body/999999/meeting",
        f"{API}nothing/here",
    ):
        error = get(client, url, status=404)
        assert error["type"] == "https://schema.oparl.org/1.1/Error"
        assert error["message"] and error["debug"]


def test_trailing_slash_redirects_to_the_canonical_url(client, content):
    response = client.get(f"{API}meeting/{content['meeting'].pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"{API}meeting/{content['meeting'].pk}"


def test_api_is_read_only(client, content):
    response = client.post(f"{API}body")

    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


def test_cors_preflight_allows_get(client, content):
    response = client.options(f"{API}body")

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_objects_that_were_never_public_leave_no_tombstone(
    client, content, django_capture_on_commit_callbacks
):
    """A soft delete is owed to clients that may have seen the object: a
    draft, a page published while private, and a closed item's attachment
    never reach the API, so their removal must not either (no id, no
    creation time)."""
    before = timezone.localtime(timezone.now() - timedelta(seconds=1))
    cluster = content["cluster"]
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_meeting(cluster, start=local(2021, 3, 1, 10), live=False)
        private = make_meeting(cluster, start=local(2021, 4, 1, 10), live=False)
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        publish(MeetingPage.objects.get(pk=private.pk))
    hidden_items = {
        str(item.uuid) for page in (draft, private) for item in page.agenda_items.all()
    }
    with django_capture_on_commit_callbacks(execute=True):
        MeetingPage.objects.get(pk=draft.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        MeetingPage.objects.get(pk=private.pk).delete()

    for page in (draft, private):
        get(client, f"{API}meeting/{page.pk}", status=404)
    since = before.replace(microsecond=0).isoformat().replace("+", "%2B")
    body = body_of(client)
    meetings = walk(client, f"{body['meeting']}?modified_since={since}")
    items = walk(client, f"{body['agendaItem']}?modified_since={since}")
    listed = {obj["id"].rsplit("/", 1)[1] for obj in meetings + items}
    assert not listed & ({str(draft.pk), str(private.pk)} | hidden_items)
    assert not ObjectRecord.objects.filter(
        kind="meeting", object_id__in=[draft.pk, private.pk]
    ).exists()
