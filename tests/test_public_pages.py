"""What citizens read: the public cluster, meeting and minutes pages."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document

from klynge_pages.blocks import TermsSectionBlock
from klynge_pages.models import (
    AgendaItemAttachment,
    MeetingPage,
    MeetingParticipant,
    MinutesAttendance,
)
from klyngeportal_site.models import AccessibilityStatementPage

from .factories import (
    CLOSED_SECRETS,
    LocationFactory,
    OrganisationFactory,
    PersonFactory,
    approve_minutes,
    closed_item_meeting,
    collection_of,
    local,
    make_cluster,
    make_cluster_index,
    make_document,
    make_home,
    make_meeting,
    make_minutes,
    publish,
)

pytestmark = pytest.mark.django_db


def add_extras(meeting, attachments=2, tags=("psykiatri", "udskrivning")):
    for item in meeting.agenda_items.all():
        item.attachments = [
            AgendaItemAttachment(
                document=make_document(
                    f"Bilag {item.number}.{n}", cluster=meeting.get_parent()
                ),
                label=f"Bilag {item.number}.{n}",
            )
            for n in range(attachments)
        ]
        item.tags.add(*tags)
        item.save()
    return publish(MeetingPage.objects.get(pk=meeting.pk))


@pytest.fixture
def midt():
    members = [
        OrganisationFactory(name="Aalborg Kommune"),
        OrganisationFactory(name="Jammerbugt Kommune"),
        OrganisationFactory(name="Region Nordjylland", kind="region"),
    ]
    return make_cluster(title="Politisk klynge Midt", members=members)


def test_meeting_page_shows_the_time_in_danish(client, midt):
    meeting = make_meeting(
        midt, start=local(2019, 11, 6, 16, 30), end=local(2019, 11, 6, 18, 0)
    )

    html = client.get(meeting.url).content.decode()

    assert "onsdag den 6. november 2019 kl. 16.30–18.00" in html


def test_meeting_page_shows_place_host_participants_and_agenda(client, midt):
    region = OrganisationFactory(name="Region Nordjylland")
    meeting = make_meeting(
        midt, items=2, location=LocationFactory(), room="Mødelokale D", host=region
    )
    meeting.participants = [
        MeetingParticipant(
            person=PersonFactory(
                name="Jane Pedersen", title="vicekontorchef", organisation=region
            )
        ),
        MeetingParticipant(person=PersonFactory(name="Ib Afbud"), attendance="afbud"),
    ]
    publish(meeting)

    html = client.get(meeting.url).content.decode()

    assert "Mødelokale D, Regionshuset, Niels Bohrs Vej 30, 9220 Aalborg Øst" in html
    assert "Region Nordjylland" in html
    assert "Jane Pedersen – vicekontorchef, Region Nordjylland" in html
    assert "<h3>Afbud</h3>" in html
    assert "Punkt 1: Punkt nummer 1" in html
    assert "Det indstilles, at punkt 2 drøftes." in html


def test_agenda_items_are_linkable_by_their_stable_identity(client, midt):
    meeting = make_meeting(midt, items=1)
    item = meeting.agenda_items.get()

    html = client.get(meeting.url).content.decode()

    assert f'id="punkt-{item.uuid}"' in html


def test_attachments_show_label_type_size_and_full_address_for_print(client, midt):
    meeting = make_meeting(midt, items=1)
    item = meeting.agenda_items.get()
    document = Document(
        title="Notat om organisering",
        file=ContentFile(b"%PDF-1.4 notat", name="notat.pdf"),
        collection=collection_of(midt),
    )
    document._set_document_file_metadata()
    document.save()
    item.attachments = [AgendaItemAttachment(document=document, label="Bilag 5")]
    item.tags.add("organisering")
    item.save()
    meeting = publish(MeetingPage.objects.get(pk=meeting.pk))

    html = client.get(meeting.url).content.decode()

    assert f'<a href="{document.url}"' in html
    assert (
        f'data-print-url="http://testserver{document.url}">'
        "Bilag 5 – Notat om organisering</a>"
    ) in html
    assert "(PDF, 14\xa0bytes)" in html  # filesizeformat keeps number and unit together
    assert '<span class="badge">organisering</span>' in html


@pytest.mark.parametrize("page", ["meeting", "minutes"])
def test_closed_item_shows_its_title_and_nothing_else(client, midt, page):
    meeting = closed_item_meeting(midt)
    url = meeting.url if page == "meeting" else meeting.get_children().get().url
    document = Document.objects.get(title=CLOSED_SECRETS["attachment"])

    html = client.get(url).content.decode()

    assert "Lukket sag om en medarbejder" in html
    assert "Lukket punkt" in html
    for secret in CLOSED_SECRETS.values():
        assert secret not in html
    assert document.url not in html
    assert "Bilag 9" not in html


def test_decisions_appear_on_the_meeting_page_only_once_minutes_are_published(
    client, midt
):
    meeting = make_meeting(midt, items=1)
    minutes = make_minutes(
        meeting, live=False, decisions={1: "<p>Klyngen vedtog planen.</p>"}
    )

    assert "Klyngen vedtog planen." not in client.get(meeting.url).content.decode()
    assert client.get(minutes.url).status_code == 404

    publish(minutes)

    html = client.get(meeting.url).content.decode()
    assert "Klyngen vedtog planen." in html
    assert minutes.url in html


def test_minutes_page_shows_decisions_referent_and_signoff(client, midt):
    meeting = make_meeting(midt, items=2)
    referent = PersonFactory(name="Jane Pedersen", title="vicekontorchef")
    minutes = make_minutes(meeting, minute_taker=referent, live=False)
    minutes = approve_minutes(
        minutes,
        [("Bente Gravesen", OrganisationFactory(name="Aalborg Kommune"))],
        at=local(2019, 11, 12, 9, 0),
    )

    html = client.get(minutes.url).content.decode()

    assert "Beslutning om punkt 1." in html
    assert "Beslutning om punkt 2." in html
    assert "Jane Pedersen – vicekontorchef" in html
    assert (
        "Godkendt af Bente Gravesen (Aalborg Kommune) tirsdag den 12. november 2019"
        in html
    )


def test_minutes_page_lists_attendance_and_apologies_separately(client, midt):
    meeting = make_meeting(midt, items=1, start=local(2019, 11, 6, 16, 30))
    minutes = make_minutes(meeting)
    minutes.attendance = [
        MinutesAttendance(person=PersonFactory(name="Bente Gravesen"), sort_order=1),
        MinutesAttendance(
            person=PersonFactory(name="Ib Afbud"), attendance="afbud", sort_order=2
        ),
    ]
    minutes = publish(minutes)

    html = client.get(minutes.url).content.decode()

    assert "onsdag den 6. november 2019 kl. 16.30–18.00" in html
    took_part, apologies = html.split("<h3>Deltog</h3>")[1].split("<h3>Afbud</h3>")
    assert "Bente Gravesen" in took_part and "Ib Afbud" not in took_part
    assert "Ib Afbud" in apologies
    assert f'href="{meeting.url}"' in html


def test_cluster_page_shows_members_terms_and_meetings(client):
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    cluster = make_cluster(
        title="Politisk klynge Midt",
        members=[aalborg, region],
        chair="Værtskabet leder mødet",
        terms_of_reference=[
            (
                "section",
                TermsSectionBlock().to_python(
                    {
                        "section": "formaal",
                        "heading": "",
                        "body": "<p>At skabe dialog.</p>",
                    }
                ),
            )
        ],
    )
    make_meeting(cluster, start=local(2019, 11, 6, 16, 30), title="Møde i 2019")

    html = client.get(cluster.url).content.decode()

    assert "Aalborg Kommune" in html and "Region Nordjylland" in html
    assert "<h3>Formål</h3>" in html
    assert "At skabe dialog." in html
    assert "Værtskabet leder mødet" in html
    assert "Mindst 1 møde om året ifølge kommissoriet." in html
    assert "<h4>2019</h4>" in html and "Møde i 2019" in html


def test_cluster_page_shows_approval_related_bodies_and_meetings(client, midt):
    steering = make_cluster(
        title="Klyngestyregruppe Midt",
        kind="klyngestyregruppe",
        parent_body=midt,
        secretariat="Fælles",
        terms_approved_by="Sundhedskoordinationsudvalget",
        terms_approved_on=date(2019, 10, 10),
        min_meetings_per_year=2,
    )
    forum = make_cluster(
        title="Samarbejdsforum for psykiatri voksne",
        kind="samarbejdsforum",
        parent_body=steering,
    )
    past = make_meeting(steering, start=local(2019, 11, 6, 16, 30), items=1)
    minutes = make_minutes(past, title="Referat fra mødet i november")
    make_meeting(steering, start=local(2099, 1, 7, 10, 0), title="Møde i 2099")

    html = client.get(steering.url).content.decode()

    assert (
        "Godkendt af Sundhedskoordinationsudvalget torsdag den 10. oktober 2019."
        in html
    )
    assert "Mindst 2 møder om året ifølge kommissoriet." in html
    assert f'Hører under: <a href="{midt.url}">Politisk klynge Midt</a>' in html
    assert f'<a href="{forum.url}">Samarbejdsforum for psykiatri voksne</a>' in html
    next_meeting = html.split("<h3>Næste møde</h3>")[1].split("<h3>")[0]
    assert "Møde i 2099" in next_meeting
    assert "onsdag den 7. januar 2099 kl. 10.00–11.30" in next_meeting
    assert f'<a href="{minutes.url}">Referat fra mødet i november</a>' in html


def test_cluster_index_groups_bodies_by_kind(client, midt):
    make_cluster(title="Klyngestyregruppe Midt", kind="klyngestyregruppe")
    make_cluster(title="Kladde", live=False)

    html = client.get(make_cluster_index().url).content.decode()

    assert "<h2" in html and "Politisk klynge" in html and "Klyngestyregruppe" in html
    assert f'<a href="{midt.url}">Politisk klynge Midt</a>' in html
    assert "Område: Midt" in html
    assert "Aalborg Kommune, Jammerbugt Kommune, Region Nordjylland" in html
    assert html.index("Politisk klynge Midt") < html.index("Klyngestyregruppe Midt")
    assert "Kladde" not in html


def test_draft_meeting_is_not_public(client, midt):
    meeting = make_meeting(midt, live=False, title="Hemmeligt kladdemøde")

    assert (
        client.get(meeting.url or "/klynger/politisk-klynge-midt/x/").status_code == 404
    )
    assert "Hemmeligt kladdemøde" not in client.get(midt.url).content.decode()


@pytest.mark.parametrize("page", ["index", "cluster", "meeting", "minutes"])
def test_pages_link_the_print_stylesheet(client, midt, page):
    meeting = make_meeting(midt, items=1)
    minutes = make_minutes(meeting)
    url = {
        "index": make_cluster_index().url,
        "cluster": midt.url,
        "meeting": meeting.url,
        "minutes": minutes.url,
    }[page]

    html = client.get(url).content.decode()

    assert 'href="/static/klynge_pages/css/print.css" media="print"' in html
    assert 'href="/static/klynge_pages/css/klynge.css"' in html


def test_footer_links_the_accessibility_statement(client):
    home = make_home()
    statement = publish(
        home.add_child(
            instance=AccessibilityStatementPage(
                title="Tilgængelighedserklæring",
                slug="tilgaengelighedserklaering",
                body="<p>Vi arbejder for at overholde WCAG 2.1 AA.</p>",
                contact_email="tilgaengelighed@example.dk",
                live=False,
            )
        )
    )

    html = client.get("/").content.decode()
    assert f'<a href="{statement.url}">Tilgængelighedserklæring</a>' in html
    response = client.get(statement.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Tilgængelighedserklæring</h1>" in page
    assert "WCAG 2.1 AA" in page
    assert (
        '<a href="mailto:tilgaengelighed@example.dk">tilgaengelighed@example.dk</a>'
        in page
    )


def count_queries(client, url):
    client.get(url)  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_meeting_page_queries_do_not_grow_with_the_agenda(client, midt):
    counts = []
    for size in (3, 30):
        meeting = make_meeting(
            midt, items=size, participants=size, title=f"Møde med {size} punkter"
        )
        meeting = add_extras(meeting)
        make_minutes(meeting)
        assert (
            AgendaItemAttachment.objects.filter(item__page=meeting).count() == 2 * size
        )
        counts.append(count_queries(client, meeting.url))
        assert f"Bilag {size}.1" in client.get(meeting.url).content.decode()

    assert counts[0] == counts[1], counts


def test_cluster_page_queries_do_not_grow_with_the_meetings(client):
    counts = []
    for size in (3, 30):
        cluster = make_cluster(title=f"Klynge med {size} møder")
        for n in range(size):
            make_meeting(
                cluster, start=local(2000 + n % 20, 3, 1 + n // 20, 10, 0), items=1
            )
        make_minutes(cluster.get_children().first().specific)
        counts.append(count_queries(client, cluster.url))

    assert counts[0] == counts[1], counts


def test_cluster_page_queries_do_not_grow_with_the_members(client):
    counts = []
    for size in (2, 8):
        members = [OrganisationFactory(name=f"Kommune {size}-{n}") for n in range(size)]
        cluster = make_cluster(title=f"Klynge med {size} medlemmer", members=members)
        make_meeting(cluster, start=local(2019, 11, 6, 16, 30), host=members[0])
        counts.append(count_queries(client, cluster.url))

    assert counts[0] == counts[1], counts


def test_cluster_page_tells_citizens_the_rules(client):
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    jammerbugt = OrganisationFactory(name="Jammerbugt Kommune")
    cluster = make_cluster(members=[aalborg, jammerbugt], min_meetings_per_year=1)
    make_meeting(cluster, start=local(2019, 11, 6, 16, 30), host=aalborg)

    html = client.get(cluster.url).content.decode()

    assert "Næste vært efter tur: Jammerbugt Kommune." in html
    assert "Det er ikke nået i år endnu." in html


def test_minutes_under_an_unpublished_meeting_are_not_public(client, midt):
    meeting = make_meeting(midt, items=1, title="Trukket møde")
    minutes = make_minutes(meeting, decisions={1: "<p>Hemmelig beslutning.</p>"})
    url = minutes.url

    meeting.unpublish()

    assert client.get(url).status_code == 404
    assert "Hemmelig beslutning." not in client.get(midt.url).content.decode()
    assert url not in client.get(midt.url).content.decode()
