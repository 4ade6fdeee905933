"""Importing minutes (klynge_pages.importing, `manage.py import_minutes`, the
admin's upload form): the seed minutes, three other Danish layouts, DOCX
and PDF built here, the report, drafts only, and every bad input."""

import io
import json
from datetime import date, time
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from klynge_pages.extraction import extract_text
from klynge_pages.importing import importer, scoring
from klynge_pages.importing.parser import (
    APOLOGIES,
    PRESENT,
    ParseError,
    parse_minutes,
)
from klynge_pages.importing.reading import read_text
from klynge_pages.importing.text import rich_text
from klynge_pages.models import (
    Attendance,
    Location,
    MeetingPage,
    MinutesPage,
    Organisation,
    ParticipantRole,
    Person,
)
from klyngeportal_site import demo, demo_seeds

from .factories import OrganisationFactory, local, make_cluster, make_meeting
from .test_extraction import (
    docx_bomb,
    docx_bytes,
    encrypted_pdf,
    pdf_with_pages,
    utf16_docx_with_an_entity,
    w_document,
)
from .test_sharing import user_in

SEED = demo_seeds.MINUTES_FILE
SEED_ORGANISATIONS = ["Aalborg Kommune", "Jammerbugt Kommune", "Region Nordjylland"]

# A municipal layout: labelled front matter, "Punkt N" without a colon,
# "Sagsfremstilling:", "Indstilling:", "Beslutning:", people on one line.
MUNICIPAL = """\
Beslutningsprotokol

Sundhedsstyregruppe Aalborg

Mødedato: 12.03.2020
Tid: 13.00-15.00
Sted: Aalborg Rådhus, mødelokale 1, Boulevarden 13, 9000 Aalborg
Sagsnr.: 27.00.00-A00-1-20

Til stede: Anne Holm (Aalborg Kommune); Peter Berg (Region Nordjylland); \
Lise Dam (PLO-Nordjylland)
Afbud: Karen Vestergaard (Aalborg Universitetshospital)
Referent: Mette Kjær, Aalborg Kommune

Punkt 1 Godkendelse af dagsorden

Beslutning:
Godkendt.

Punkt 2 Status på akutfunktionen

Sagsfremstilling:
Akutfunktionen har været i drift siden 1. januar 2020. Se bilag 2.

Indstilling:
Forvaltningen indstiller, at status tages til efterretning.

Beslutning:
Taget til efterretning.

Punkt 3 Lukket punkt: Personalesag

Beslutning:
Drøftet.
"""

# A regional layout: the agenda as a numbered list, then "Ad N" per item,
# people as "Name, title, organisation", a chair.
REGIONAL = """\
Referat af møde i Politisk klynge Syd

Torsdag d. 14. maj 2020, kl. 9.00 – 11.30
Mødested: Rebild Rådhus, Hobrovej 88, 9530 Støvring

Deltagere:
Anders Nielsen, formand for sundhedsudvalget, Rebild Kommune
Birgitte Mortensen, regionsrådsmedlem, Region Nordjylland
Carl Sørensen, praktiserende læge, PLO-Nordjylland

Afbud fra:
Dorte Lund, Mariagerfjord Kommune

Mødeleder: Anders Nielsen

Dagsorden
1. Velkomst og godkendelse af dagsorden
2. Opfølgning på sundhedsaftalen
3. Eventuelt

Ad 1. Velkomst og godkendelse af dagsorden
Dagsordenen blev godkendt.

Ad 2. Opfølgning på sundhedsaftalen
Det indstilles, at klyngen drøfter opfølgningen.

Beslutning: Klyngen drøftede opfølgningen og ønsker en status, jf. bilag 3.

Ad 3. Eventuelt
Intet.

Referent: Eva Holm

Udsendt den 20. maj 2020 til klyngens medlemmer.
"""

# A forum's minutes as a Word processor writes them: one paragraph per
# line, no blank lines (what DOCX and PDF extraction gives).
FORUM_LINES = [
    "Mødereferat",
    "Samarbejdsforum for psykiatri voksne",
    "Dato: 2. februar 2021",
    "Tidspunkt: kl. 10-12",
    "Sted: Videomøde (Teams)",
    "Deltagere:",
    "Ole Jensen – afdelingschef Aalborg Kommune",
    "Sara Nielsen – overlæge Region Nordjylland",
    "Afbud:",
    "Tina Berg – leder Jammerbugt Kommune",
    "Pkt. 1: Orientering",
    "Sagsfremstilling",
    "Sekretariatet orienterer om status.",
    "Referat",
    "Orienteringen blev taget til efterretning.",
    "Pkt. 2: Handleplan 2021",
    "Indstilling",
    "Det indstilles, at handleplanen godkendes.",
    "Beslutning",
    "Godkendt med de faldne bemærkninger.",
    "Referent",
    "Ole Jensen",
]


# --- the parser ----------------------------------------------------------------


def test_parser_reads_the_seed_minutes_like_the_demo_loader():
    parsed = parse_minutes(SEED.read_text(encoding="utf-8"), SEED_ORGANISATIONS)
    demo = demo_seeds.read_minutes(organisations=SEED_ORGANISATIONS)

    assert parsed.heading == demo.heading
    assert parsed.meeting_title == demo.meeting_title
    assert parsed.body == "Klyngestyregruppe MIDT"
    assert (parsed.start, parsed.end) == (demo.start, demo.end)
    assert parsed.room == demo.room == "Mødelokale D"
    assert parsed.location_name == demo.location_name
    assert parsed.location_address == demo.location_address
    present = parsed.people_with(PRESENT)
    assert [(p.name, p.title) for p in present] == [
        (p.name, p.title) for p in demo.participants
    ]
    assert [p.organisation.lower() for p in present] == [
        p.organisation.lower() for p in demo.participants
    ]
    assert parsed.people_with(APOLOGIES) == []
    assert parsed.minute_taker.name == demo.referent == "Jane Pedersen"
    assert [(i.number, i.title) for i in parsed.items] == [
        (i.number, i.title) for i in demo.items
    ]
    for item, expected in zip(parsed.items, demo.items, strict=True):
        assert item.description == expected.description
        assert item.recommendation == expected.recommendation
        assert item.decision == expected.decision
    assert parsed.item(2).attachments == ["Bilag 5"]
    assert parsed.item(3).attachments == ["Bilag 6"]
    assert parsed.unrecognised == []


def test_parser_reads_a_municipal_layout():
    parsed = parse_minutes(MUNICIPAL, ["Aalborg Kommune", "Region Nordjylland"])

    assert parsed.heading == "Beslutningsprotokol"
    assert parsed.meeting_title == parsed.body == "Sundhedsstyregruppe Aalborg"
    assert parsed.start == local(2020, 3, 12, 13, 0)
    assert parsed.end == local(2020, 3, 12, 15, 0)
    assert parsed.room == "mødelokale 1"
    assert parsed.location == "Aalborg Rådhus, Boulevarden 13, 9000 Aalborg"
    assert [(p.name, p.organisation) for p in parsed.people_with(PRESENT)] == [
        ("Anne Holm", "Aalborg Kommune"),
        ("Peter Berg", "Region Nordjylland"),
        ("Lise Dam", "PLO-Nordjylland"),
    ]
    assert [(p.name, p.organisation) for p in parsed.people_with(APOLOGIES)] == [
        ("Karen Vestergaard", "Aalborg Universitetshospital")
    ]
    assert (parsed.minute_taker.name, parsed.minute_taker.organisation) == (
        "Mette Kjær",
        "Aalborg Kommune",
    )
    assert [(i.number, i.title, i.closed) for i in parsed.items] == [
        (1, "Godkendelse af dagsorden", False),
        (2, "Status på akutfunktionen", False),
        (3, "Personalesag", True),
    ]
    item = parsed.item(2)
    assert item.description == [
        "Akutfunktionen har været i drift siden 1. januar 2020. Se bilag 2."
    ]
    assert item.recommendation == [
        "Forvaltningen indstiller, at status tages til efterretning."
    ]
    assert item.decision == ["Taget til efterretning."]
    assert item.attachments == ["Bilag 2"]
    assert parsed.item(1).decision == ["Godkendt."]
    # The case number is no time or date: it is recognised and normalised.
    assert parsed.unrecognised == []
    [case] = parsed.case_numbers
    assert (case.number, case.label, case.kle, case.facet) == (
        "27.00.00-A00-1-20",
        "Sagsnr.",
        "27.00.00",
        "A00",
    )


def test_parser_reads_a_regional_layout_with_ad_sections():
    parsed = parse_minutes(REGIONAL)

    assert parsed.meeting_title == "Møde i Politisk klynge Syd"
    assert parsed.body == "Politisk klynge Syd"
    assert (parsed.start, parsed.end) == (
        local(2020, 5, 14, 9, 0),
        local(2020, 5, 14, 11, 30),
    )
    assert parsed.location == "Rebild Rådhus, Hobrovej 88, 9530 Støvring"
    assert [(p.name, p.title, p.organisation) for p in parsed.people_with(PRESENT)] == [
        ("Anders Nielsen", "formand for sundhedsudvalget", "Rebild Kommune"),
        ("Birgitte Mortensen", "regionsrådsmedlem", "Region Nordjylland"),
        ("Carl Sørensen", "praktiserende læge", "PLO-Nordjylland"),
    ]
    assert [(p.name, p.organisation) for p in parsed.people_with(APOLOGIES)] == [
        ("Dorte Lund", "Mariagerfjord Kommune")
    ]
    assert parsed.chair.name == "Anders Nielsen"
    assert parsed.minute_taker.name == "Eva Holm"
    assert [(i.number, i.title) for i in parsed.items] == [
        (1, "Velkomst og godkendelse af dagsorden"),
        (2, "Opfølgning på sundhedsaftalen"),
        (3, "Eventuelt"),
    ]
    assert parsed.item(1).decision == ["Dagsordenen blev godkendt."]
    assert parsed.item(2).recommendation == [
        "Det indstilles, at klyngen drøfter opfølgningen."
    ]
    assert parsed.item(2).decision == [
        "Klyngen drøftede opfølgningen og ønsker en status, jf. bilag 3."
    ]
    assert parsed.item(2).attachments == ["Bilag 3"]
    assert parsed.item(3).decision == ["Intet."]
    # After the minute-taker: nothing is dropped.
    assert parsed.unrecognised == ["Udsendt den 20. maj 2020 til klyngens medlemmer."]


def test_parser_reads_one_paragraph_per_line():
    parsed = parse_minutes("\n".join(FORUM_LINES), ["Aalborg Kommune"])

    assert parsed.meeting_title == "Samarbejdsforum for psykiatri voksne"
    assert (parsed.start, parsed.end) == (
        local(2021, 2, 2, 10, 0),
        local(2021, 2, 2, 12, 0),
    )
    assert parsed.location == "Videomøde (Teams)"
    assert [p.name for p in parsed.people_with(PRESENT)] == [
        "Ole Jensen",
        "Sara Nielsen",
    ]
    assert [p.name for p in parsed.people_with(APOLOGIES)] == ["Tina Berg"]
    assert parsed.item(1).description == ["Sekretariatet orienterer om status."]
    assert parsed.item(1).decision == ["Orienteringen blev taget til efterretning."]
    assert parsed.item(2).recommendation == [
        "Det indstilles, at handleplanen godkendes."
    ]
    assert parsed.item(2).decision == ["Godkendt med de faldne bemærkninger."]
    assert parsed.minute_taker.name == "Ole Jensen"
    assert parsed.unrecognised == []


def test_numbered_people_and_numbered_items_without_an_agenda_heading():
    parsed = parse_minutes(
        "Referat\n\nSamarbejdsforum for somatik voksne\n\n3. marts 2021 kl. 9.00\n\n"
        "Til stede:\n1. Anne Holm, Aalborg Kommune\n2. Peter Berg, Region "
        "Nordjylland\n\n1. Godkendelse af dagsorden\n\nBeslutning: Godkendt.\n\n"
        "2. Eventuelt\n\nBeslutning: Intet.\n"
    )
    assert [(p.name, p.organisation) for p in parsed.people] == [
        ("Anne Holm", "Aalborg Kommune"),
        ("Peter Berg", "Region Nordjylland"),
    ]
    assert [(i.number, i.title, i.decision) for i in parsed.items] == [
        (1, "Godkendelse af dagsorden", ["Godkendt."]),
        (2, "Eventuelt", ["Intet."]),
    ]
    assert parsed.meeting_title == "Samarbejdsforum for somatik voksne"
    assert parsed.end == local(2021, 3, 3, 11, 0)  # two hours when no end


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Onsdag den 6. november 2019 kl. 16.30 – 18.00", ((16, 30), (18, 0))),
        ("Mødedato: 6.11.2019 kl. 16.30-18.00", ((16, 30), (18, 0))),
        ("Dato: 2019-11-06, fra kl. 16:30 til kl. 18:00", ((16, 30), (18, 0))),
        (
            "Tid og sted: onsdag d. 6. nov. 2019 kl. 16-18, Regionshuset",
            ((16, 0), (18, 0)),
        ),
        ("6/11/19 kl. 16.30", ((16, 30), (18, 30))),
    ],
)
def test_date_and_time_variants(line, expected):
    parsed = parse_minutes(f"Referat\n\n{line}\n\nPunkt 1: Et punkt\n")
    (start_h, start_m), (end_h, end_m) = expected
    assert parsed.start == local(2019, 11, 6, start_h, start_m)
    assert parsed.end == local(2019, 11, 6, end_h, end_m)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Mødedato: 31. februar 2020", "findes ikke"),
        ("Torsdag den 6. november 2019 kl. 16.30", "Ugedagen"),
        ("Mødedato: i morgen", "kan ikke læses"),
        ("Mødedato: 45.13.2020", "findes ikke"),
    ],
)
def test_a_date_that_cannot_be_read_is_an_error(line, message):
    with pytest.raises(ParseError, match=message):
        parse_minutes(f"Referat\n\n{line}\n\nPunkt 1: Et punkt\n")


def test_no_date_at_all_is_an_error():
    with pytest.raises(ParseError, match="dato blev ikke fundet"):
        parse_minutes("Referat\n\nPunkt 1: Et punkt\n")


# --- helpers for the database tests ---------------------------------------------


def seed_organisations():
    return {
        name: OrganisationFactory(
            name=name,
            kind=Organisation.Kind.REGION
            if name.startswith("Region")
            else Organisation.Kind.KOMMUNE,
            short_name=name.removesuffix(" Kommune"),
        )
        for name in SEED_ORGANISATIONS
    }


def run_import(*args):
    out = StringIO()
    try:
        call_command("import_minutes", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


def docx_of(lines):
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>'
        for line in lines
    )
    return docx_bytes(w_document(body))


def snapshot():
    return (
        Page.objects.count(),
        Person.objects.count(),
        Location.objects.count(),
        Organisation.objects.count(),
    )


# --- the command ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_imports_completely_as_drafts(tmp_path):
    organisations = seed_organisations()
    cluster = make_cluster(title="Klyngestyregruppe Midt", slug="ksg-midt")

    out, error = run_import(str(SEED), "--cluster", "ksg-midt")

    assert error is None, out
    demo = demo_seeds.read_minutes(organisations=SEED_ORGANISATIONS)
    meeting = MeetingPage.objects.child_of(cluster).get()
    assert not meeting.live and meeting.latest_revision is not None
    assert meeting.title == "Møde i Klyngestyregruppe MIDT"
    assert meeting.slug == "2019-11-06"
    assert (meeting.start, meeting.end) == (demo.start, demo.end)
    assert meeting.room == "Mødelokale D"
    assert (meeting.location.name, meeting.location.address) == (
        "Regionshuset",
        "Niels Bohrs Vej 30, 9220 Aalborg Øst",
    )
    participants = list(meeting.participants.select_related("person__organisation"))
    assert [
        (row.person.name, row.person.title, row.person.organisation.name)
        for row in participants
    ] == [(p.name, p.title, p.organisation) for p in demo.participants]
    assert {row.attendance for row in participants} == {Attendance.PRESENT}
    items = list(meeting.agenda_items.order_by("sort_order"))
    assert [(i.number, i.title) for i in items] == [
        (i.number, i.title) for i in demo.items
    ]
    for item, expected in zip(items, demo.items, strict=True):
        assert item.description == rich_text(expected.description)
        assert item.recommendation == rich_text(expected.recommendation)

    minutes = MinutesPage.objects.child_of(meeting).get()
    assert not minutes.live
    assert minutes.title == demo.heading
    assert minutes.minute_taker.name == "Jane Pedersen"
    # The minute-taker is the participant, not a second person.
    assert minutes.minute_taker == participants[-1].person
    assert minutes.attendance.count() == 6
    decisions = {
        d.agenda_item.number: d.decision
        for d in minutes.decisions.select_related("agenda_item")
    }
    assert decisions == {i.number: rich_text(i.decision) for i in demo.items}
    assert "Punkt 2: Bilag 5" in minutes.import_notes
    assert "Punkt 3: Bilag 6" in minutes.import_notes
    # Drafts only: nothing the import made is live.
    assert not MeetingPage.objects.live().exists()
    assert not MinutesPage.objects.live().exists()
    assert Person.objects.filter(organisation__in=organisations.values()).count() == 6

    assert "Genkendt:" in out
    assert "Dato og tid: onsdag den 6. november 2019 kl. 16.30–18.00" in out
    assert "Deltagere: 6" in out
    assert "Referent: Jane Pedersen" in out
    assert "Dagsordenspunkter: 4, heraf 4 med beslutning" in out
    assert "Nye personer oprettet:" in out
    assert "1 af 1 filer importeret som kladder" in out


@pytest.mark.django_db
def test_the_seed_reproduces_the_demo_meeting():
    home = demo.ensure_home_page()
    content = demo.ensure_clusters(home)
    copy = make_cluster(title="Klyngestyregruppe Midt (kopi)", slug="kopi")

    report = importer.import_file(SEED.read_bytes(), SEED.name, copy)

    assert report.ok, report.error
    original = content.meeting
    meeting = report.meeting
    assert (meeting.title, meeting.start, meeting.end, meeting.room) == (
        original.title,
        original.start,
        original.end,
        original.room,
    )
    assert meeting.location == original.location  # matched, not a new one
    assert report.created_locations == []
    assert report.created_people == []  # every participant is in the register
    fields = ("number", "title", "description", "recommendation", "closed")
    assert list(meeting.agenda_items.values_list(*fields)) == list(
        original.agenda_items.values_list(*fields)
    )
    assert list(meeting.participants.values_list("person", "attendance")) == list(
        original.participants.values_list("person", "attendance")
    )
    decisions = ("agenda_item__number", "decision")
    assert list(report.minutes.decisions.values_list(*decisions)) == list(
        content.minutes.decisions.values_list(*decisions)
    )
    assert report.minutes.minute_taker == content.minutes.minute_taker

    # The demo's own cluster already has that meeting.
    again = importer.import_file(SEED.read_bytes(), SEED.name, content.steering_group)
    assert "har allerede et møde den onsdag den 6. november 2019" in again.error


@pytest.mark.django_db
def test_other_layouts_docx_and_pdf_import(tmp_path):
    OrganisationFactory(name="Aalborg Kommune", short_name="Aalborg")
    OrganisationFactory(name="Region Nordjylland", kind=Organisation.Kind.REGION)
    OrganisationFactory(name="Rebild Kommune", short_name="Rebild")
    cluster = make_cluster(title="Klynge Syd", slug="klynge-syd", area="syd")
    pdf_lines = [line.replace("Pkt.", "Punkt") for line in FORUM_LINES]
    pdf_lines[2] = "Dato: 3. februar 2021"
    files = [
        write(tmp_path, "aalborg.txt", MUNICIPAL),
        write(tmp_path, "syd.md", REGIONAL),
        write(tmp_path, "forum.docx", docx_of(FORUM_LINES)),
        write(tmp_path, "forum.pdf", pdf_with_pages([pdf_lines[:12], pdf_lines[12:]])),
    ]

    out, error = run_import(*files, "--cluster", "klynge-syd")

    assert error is None, out
    meetings = {
        m.start.date(): m for m in MeetingPage.objects.child_of(cluster).specific()
    }
    assert set(meetings) == {
        date(2020, 3, 12),
        date(2020, 5, 14),
        date(2021, 2, 2),
        date(2021, 2, 3),
    }
    assert not any(m.live for m in meetings.values())

    municipal = meetings[date(2020, 3, 12)]
    assert municipal.agenda_items.get(number=3).closed
    assert [
        (row.person.name, row.attendance)
        for row in municipal.participants.select_related("person")
    ] == [
        ("Anne Holm", Attendance.PRESENT),
        ("Peter Berg", Attendance.PRESENT),
        ("Lise Dam", Attendance.PRESENT),
        ("Karen Vestergaard", Attendance.APOLOGIES),
    ]
    # Organisations are matched, never created: PLO-Nordjylland and the
    # hospital are reported and kept in the notes; the people are created
    # without an organisation.
    assert not Organisation.objects.filter(name="PLO-Nordjylland").exists()
    lise = Person.objects.get(name="Lise Dam")
    assert lise.organisation is None
    minutes = MinutesPage.objects.child_of(municipal).get()
    assert "PLO-Nordjylland" in minutes.import_notes
    assert "Mødet: Sagsnr.: 27.00.00-A00-1-20" in minutes.import_notes
    assert minutes.minute_taker.organisation.name == "Aalborg Kommune"

    regional = meetings[date(2020, 5, 14)]
    assert regional.host.name == "Rebild Kommune"
    chair = regional.participants.get(person__name="Anders Nielsen")
    assert chair.role == ParticipantRole.CHAIR
    assert regional.agenda_items.count() == 3
    regional_minutes = MinutesPage.objects.child_of(regional).get()
    assert regional_minutes.decisions.count() == 3
    assert "Udsendt den 20. maj 2020" in regional_minutes.import_notes

    for day in (date(2021, 2, 2), date(2021, 2, 3)):  # DOCX, PDF
        forum = meetings[day]
        assert forum.title == "Samarbejdsforum for psykiatri voksne"
        assert forum.location.name == "Videomøde (Teams)"
        assert [i.title for i in forum.agenda_items.order_by("number")] == [
            "Orientering",
            "Handleplan 2021",
        ]
        forum_minutes = MinutesPage.objects.child_of(forum).get()
        assert forum_minutes.decisions.count() == 2
        assert forum_minutes.minute_taker.name == "Ole Jensen"
        assert forum_minutes.attendance.filter(
            attendance=Attendance.APOLOGIES, person__name="Tina Berg"
        ).exists()

    # The report names the mismatch of body and cluster, and what it created.
    assert "Referatet er fra „Sundhedsstyregruppe Aalborg“" in out
    assert "Organisationer, der ikke findes i registret (ikke oprettet):" in out
    assert "4 af 4 filer importeret som kladder" in out


@pytest.mark.django_db
def test_bad_files_fail_alone_with_danish_errors_and_write_nothing(tmp_path):
    cluster = make_cluster(title="Klynge Midt", slug="klynge-midt")
    make_meeting(cluster, start=local(2019, 11, 6, 9, 0), title="Et møde")
    garbage = bytes(range(256)) * 16
    bad = {
        "tom.md": ("", "Filen er tom."),
        "skrald.txt": (garbage, "ikke en tekstfil"),
        "stor.md": ("a" * (20 * 1024 * 1024), "Filen er for stor"),
        "latin1.txt": (MUNICIPAL.encode("latin-1"), "ikke UTF-8"),
        "uden-punkter.md": (
            "Referat\n\nMødedato: 1.2.2020\n\nBare tekst.\n",
            "dagsordenspunkter",
        ),
        "dato.md": (
            "Referat\n\nMødedato: 31. februar 2020\n\nPunkt 1: A\n",
            "findes ikke",
        ),
        "samme-dag.md": (SEED.read_bytes(), "har allerede et møde"),
        "gammel.doc": (b"\xd0\xcf\x11\xe0 Word 97", "Filtypen „.doc“"),
        "ødelagt.docx": (b"PK\x03\x04 not really a zip", "Word-dokument"),
        "falsk.pdf": (b"Referat\n\nPunkt 1: A", "ikke en gyldig PDF"),
        "scannet.pdf": (pdf_with_pages([[]]), "intet tekstlag"),
        "krypteret.pdf": (encrypted_pdf("hemmelig"), "adgangskode"),
        "bombe.docx": (docx_bomb(120), "dekomprimeringsbombe"),
        # A DTD hidden from a byte search by UTF-16: refused by the parser.
        "utf16.docx": (utf16_docx_with_an_entity(), "Word-dokument"),
    }
    paths = [write(tmp_path, name, content) for name, (content, _m) in bad.items()]
    good = write(tmp_path, "god.md", MUNICIPAL)
    before = snapshot()

    out, error = run_import(*paths[:6], good, *paths[6:], "--cluster", "klynge-midt")

    assert error is not None
    assert f"{len(bad)} af {len(bad) + 1} filer kunne ikke importeres" in str(error)
    for name, (_content, message) in bad.items():
        section = out.split(f"{name}:", 1)[1].split("Intet er oprettet.", 1)[0]
        assert "FEJL:" in section and message in section, (name, section)
    # Only the good file was imported, between the bad ones.
    assert f"1 af {len(bad) + 1} filer importeret som kladder" in out
    assert MeetingPage.objects.child_of(cluster).count() == 2
    pages, people, locations, organisations = snapshot()
    assert pages == before[0] + 2
    assert organisations == before[3]


@pytest.mark.django_db
def test_two_files_for_the_same_meeting_date(tmp_path):
    seed_organisations()
    cluster = make_cluster(title="Klyngestyregruppe Midt", slug="ksg-midt")
    first = write(tmp_path, "referat.md", SEED.read_bytes())
    second = write(tmp_path, "referat-kopi.md", SEED.read_bytes())

    out, error = run_import(first, second, "--cluster", "ksg-midt")

    assert "1 af 2 filer kunne ikke importeres" in str(error)
    assert (
        "referat-kopi.md:\n  FEJL: „Klyngestyregruppe Midt“ har allerede et møde" in out
    )
    assert MeetingPage.objects.child_of(cluster).count() == 1


@pytest.mark.django_db
def test_a_failure_late_in_the_import_rolls_everything_back(monkeypatch):
    cluster = make_cluster(title="Klynge Midt")
    before = snapshot()

    def broken(*args, **kwargs):
        raise ValidationError("Kunstig fejl")

    monkeypatch.setattr(importer, "_import_notes", broken)
    report = importer.import_file(SEED.read_bytes(), SEED.name, cluster)

    assert "Siderne kunne ikke gemmes: Kunstig fejl" in report.error
    assert report.meeting is None and report.created_people == []
    # The meeting, six people and a location had been written: all undone.
    assert snapshot() == before


@pytest.mark.django_db
def test_unknown_cluster_and_missing_file(tmp_path):
    make_cluster(title="Klynge Midt", slug="klynge-midt")
    out, error = run_import(str(SEED), "--cluster", "findes-ikke")
    assert "Der findes ingen klynge med kortnavnet „findes-ikke“" in str(error)
    assert not MeetingPage.objects.exists()

    out, error = run_import(str(tmp_path / "væk.md"), "--cluster", "klynge-midt")
    assert "væk.md:\n  FEJL: Filen kan ikke læses" in out
    assert error is not None


# --- the admin form --------------------------------------------------------------

URL = "klynge_pages_import_minutes"


@pytest.fixture
def clusters():
    midt = make_cluster(title="Klyngestyregruppe Midt", slug="ksg-midt")
    nord = make_cluster(title="Klynge Nord", slug="klynge-nord", area="nord")
    midt.refresh_from_db()
    nord.refresh_from_db()
    return midt, nord


def upload(name, content):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_an_editor_imports_into_their_cluster_from_the_admin(client, clusters):
    midt, nord = clusters
    seed_organisations()
    editor = user_in(midt.editors_group, username="midt-red")
    client.force_login(editor)

    page = client.get(reverse(URL), {"cluster": midt.pk})
    assert page.status_code == 200
    choices = page.context["form"].fields["cluster"].choices
    assert choices == [(midt.pk, midt.title)]  # not Nord

    response = client.post(
        reverse(URL),
        {"cluster": midt.pk, "file": upload("referat.md", SEED.read_bytes())},
    )

    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok
    meeting = MeetingPage.objects.child_of(midt).get()
    assert not meeting.live
    assert meeting.latest_revision.user == editor
    body = response.content.decode()
    assert "Deltagere: 6" in body
    assert "Dagsordenspunkter: 4, heraf 4 med beslutning" in body
    assert reverse("wagtailadmin_pages:edit", args=[meeting.pk]) in body
    # The report is shown once; the import notes are on the minutes' editor.
    minutes = MinutesPage.objects.child_of(meeting).get()
    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=[minutes.pk]))
    assert "Ikke genkendt tekst fra importen" in editor_page.content.decode()


@pytest.mark.django_db
def test_an_editor_of_another_cluster_gets_403(client, clusters):
    midt, nord = clusters
    client.force_login(user_in(nord.editors_group, username="nord-red"))

    assert client.get(reverse(URL), {"cluster": midt.pk}).status_code == 403
    response = client.post(
        reverse(URL), {"cluster": midt.pk, "file": upload("referat.md", MUNICIPAL)}
    )
    assert response.status_code == 403
    assert not MeetingPage.objects.exists()
    # Their own cluster is fine.
    assert client.get(reverse(URL)).status_code == 200


@pytest.mark.django_db
def test_the_form_is_for_editors_only(client, clusters):
    midt, _nord = clusters
    response = client.get(reverse(URL))
    assert response.status_code == 302  # to the login
    # Admin access, but no cluster to add pages in.
    outsider = user_in(username="ingen")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    assert client.get(reverse(URL)).status_code == 403


@pytest.mark.django_db
def test_the_secretariat_sees_every_cluster_and_the_cluster_has_a_button(
    client, clusters
):
    midt, nord = clusters
    client.force_login(user_in(Group.objects.get(name="Sekretariat"), username="sek"))
    choices = client.get(reverse(URL)).context["form"].fields["cluster"].choices
    assert {pk for pk, _title in choices} == {midt.pk, nord.pk}
    listing = client.get(reverse("wagtailadmin_explore", args=[midt.pk]))
    assert f"{reverse(URL)}?cluster={midt.pk}" in listing.content.decode()


@pytest.mark.django_db
def test_the_form_refuses_bad_uploads(client, clusters, settings):
    midt, _nord = clusters
    client.force_login(user_in(midt.editors_group, username="midt-red"))
    settings.KLYNGE_IMPORT_MAX_FILE_MB = 1

    cases = [
        (upload("referat.exe", b"MZ"), "Filtypen „.exe“ kan ikke importeres"),
        (upload("stor.md", b"a" * (1024 * 1024 + 1)), "Filen er for stor"),
        (upload("tom.md", b""), "tom"),
    ]
    for file, message in cases:
        response = client.post(reverse(URL), {"cluster": midt.pk, "file": file})
        assert response.status_code == 200
        assert message in response.content.decode(), message
    response = client.post(
        reverse(URL), {"cluster": midt.pk, "file": upload("x.md", "Referat\n")}
    )
    assert response.status_code == 422
    assert "Intet er oprettet." in response.content.decode()
    assert not MeetingPage.objects.exists()


@pytest.mark.django_db
def test_the_form_needs_the_csrf_token(clusters):
    midt, _nord = clusters
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_in(midt.editors_group, username="midt-red"))
    response = client.post(
        reverse(URL), {"cluster": midt.pk, "file": upload("a.md", MUNICIPAL)}
    )
    assert response.status_code == 403
    assert not MeetingPage.objects.exists()


def test_docx_helper_builds_a_readable_document():
    result = extract_text(io.BytesIO(docx_of(FORUM_LINES[:3])), "x.docx")
    assert result.text.splitlines() == FORUM_LINES[:3]


# --- the corpus of real minutes (tests/fixtures/minutes) ---------------------------

CORPUS = Path(__file__).parent / "fixtures" / "minutes"


def test_the_corpus_holds_real_layouts_in_every_format():
    documents = scoring.corpus(CORPUS)
    assert len(documents) >= 12
    assert {path.suffix for path in documents} >= {".txt", ".md", ".docx", ".pdf"}
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for path in documents:
        assert path.name in readme, f"{path.name} has no source in the README"


def test_the_parser_reads_the_corpus_field_by_field():
    """At least 90 % right per field over the corpus, and every word of
    every document kept (in a field, as recognised structure or in the
    notes)."""
    total = scoring.Score()
    for path in scoring.corpus(CORPUS):
        text = read_text(path.read_bytes(), path.name)
        parsed = parse_minutes(text)
        total.add(
            scoring.score_document(path.name, parsed, scoring.load_expected(path), text)
        )
    shares = {key: total.share(key) for key, _label in scoring.FIELDS}
    assert all(share >= 0.9 for share in shares.values()), (shares, total.wrong)
    assert total.kept_share == 1.0, total.wrong
    assert total.total["items"] > 50 and total.total["participants"] > 90


def test_a_wrong_parse_lowers_the_score():
    path = CORPUS / "rsd-sundhedsudvalget-2011-12-13.md"
    text = path.read_text(encoding="utf-8")
    parsed = parse_minutes(text)
    parsed.items[0].decision = []
    parsed.people.pop()
    parsed.unrecognised.clear()
    parsed.recognised_lines.clear()
    score = scoring.score_document(path.name, parsed, scoring.load_expected(path), text)
    assert score.share("decision") < 1
    assert score.share("participants") < 1
    assert score.kept_share < 1


@pytest.mark.django_db
def test_check_prints_the_table_and_fails_below_the_bar(tmp_path):
    out = StringIO()
    call_command("import_minutes", "--check", str(CORPUS), stdout=out)
    assert "beslutning" in out.getvalue() and "100.0%" in out.getvalue()

    (tmp_path / "a.md").write_text(
        "Referat\n\nByrådet\n\nDato: 1. februar 2021 kl. 10.00-12.00\n\n"
        "Punkt 1: Godkendelse\n\nBeslutning: Godkendt.\n",
        encoding="utf-8",
    )
    expected = {
        "title": "Økonomiudvalget",
        "body": "Økonomiudvalget",
        "date": "2021-02-01",
        "start": "10:00",
        "end": "12:00",
        "place": None,
        "referent": None,
        "participants": [],
        "case_numbers": [],
        "items": [
            {
                "number": 1,
                "title": "Godkendelse",
                "has_text": True,
                "recommendation": "",
                "decision": "Godkendt.",
            }
        ],
    }
    (tmp_path / "a.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="Under kravet.*titel, organ"):
        call_command(
            "import_minutes", "--check", str(tmp_path), stdout=out, verbosity=2
        )
    assert "forventet 'økonomiudvalget', fundet 'byrådet'" in out.getvalue()


@pytest.mark.django_db
def test_dry_run_prints_the_report_and_writes_nothing(tmp_path):
    seed_organisations()
    cluster = make_cluster(title="Klyngestyregruppe Midt", slug="ksg-midt")
    before = snapshot()

    out, error = run_import(str(SEED), "--cluster", "ksg-midt", "--dry-run")

    assert error is None, out
    assert "Prøvekørsel, intet er gemt" in out
    assert "Dagsordenspunkter: 4, heraf 4 med beslutning" in out
    assert "Nye personer oprettet:" in out
    assert snapshot() == before

    # The refusals are the same as for a real import.
    run_import(str(SEED), "--cluster", "ksg-midt")
    out, error = run_import(str(SEED), "--cluster", "ksg-midt", "--dry-run")
    assert "har allerede et møde den onsdag den 6. november 2019" in out
    assert error is not None
    assert MeetingPage.objects.child_of(cluster).count() == 1
    out, error = run_import(str(SEED), "--cluster", "findes-ikke", "--dry-run")
    assert "Der findes ingen klynge med kortnavnet „findes-ikke“" in str(error)


# --- the layouts the corpus showed, one rule at a time ---------------------------


def test_a_letter_style_opening_gives_date_time_and_place_not_the_title():
    parsed = parse_minutes(
        "Referat\nSundhedsklynge Aalborg\ntil\nmødet i\nden 5. maj 2023 kl. 10:00\n"
        "i Mødelokale 2, Regionshuset\n1. Godkendelse\nBeslutning\nGodkendt\n"
    )
    assert (parsed.meeting_title, parsed.body) == (
        "Sundhedsklynge Aalborg",
        "Sundhedsklynge Aalborg",
    )
    assert parsed.start == local(2023, 5, 5, 10, 0)
    assert (parsed.room, parsed.location) == ("Mødelokale 2", "Regionshuset")
    assert parsed.unrecognised == []


def test_a_date_and_time_range_header_and_a_decision_heading():
    parsed = parse_minutes(
        "Udvalget - Referat - 21. august 2012\n\nMødedato\n21-08-2012 kl. 14:00 - 16:00"
        "\n\nPunkt 1: Orientering\n\nIndstilling\n\nTil orientering.\n\n"
        "Beslutning i Udvalget den 21-08-2012\n\nOrienteredes.\n\n"
        "Punkt 2: Regnskab\n\nGodkendt.\n"
    )
    assert (parsed.start, parsed.end) == (
        local(2012, 8, 21, 14, 0),
        local(2012, 8, 21, 16, 0),
    )
    assert parsed.end_found
    assert parsed.item(1).recommendation == ["Til orientering."]
    assert parsed.item(1).decision == ["Orienteredes."]
    # A short decision right under the heading is the decision.
    assert parsed.item(2).decision == ["Godkendt."]


def test_a_table_of_contents_then_the_text_of_some_items():
    parsed = parse_minutes(
        "Referat\n\nMødedato: 3.3.2021\n\n1. Budget\n2. Eventuelt\n\n"
        "Sagsnr. 21/123\n1. Budget\n\nBeslutning\n\nGodkendt.\n"
    )
    assert [(i.number, i.title, i.has_text) for i in parsed.items] == [
        (1, "Budget", True),
        (2, "Eventuelt", False),
    ]
    assert [c.number for c in parsed.item(1).case_numbers] == ["21/123"]


def test_people_as_party_lists_bullet_apologies_and_sentences():
    parsed = parse_minutes(
        "Referat\n\nByrådet\n\nDato: 3.3.2021\n\nDeltagere\n • Anne Holm – Venstre\n"
        " • Peter Berg (A)\n • Lise Dam, Ø\n\n • Afbud\n • Lise Dam, Ø\n\n"
        "Alle var mødt, undtagen Ole Sand og Eva Kvist, der havde meldt afbud.\n\n"
        "Punkt 1: Eventuelt\n"
    )
    assert [(p.name, p.party, p.attendance) for p in parsed.people] == [
        ("Anne Holm", "Venstre", PRESENT),
        ("Peter Berg", "A", PRESENT),
        ("Lise Dam", "Ø", APOLOGIES),
        ("Ole Sand", "", APOLOGIES),
        ("Eva Kvist", "", APOLOGIES),
    ]


def test_a_time_in_an_item_heading_is_taken_out_of_the_title():
    parsed = parse_minutes(
        "Referat\n\nDato: 3.3.2021\n\n1. Velkomst (kl. 13.00-14.00)\n\n"
        "2. Oplæg (kl.14.00-14.30)\n"
    )
    assert [(i.title, i.start_time, i.end_time) for i in parsed.items] == [
        ("Velkomst", time(13, 0), time(14, 0)),
        ("Oplæg", time(14, 0), time(14, 30)),
    ]


@pytest.mark.parametrize(
    ("line", "number", "kle", "facet"),
    [
        ("Sagnr.: 1-51-71-3321-08", "1-51-71-3321-08", "", ""),
        ("Sags nr. 12/838", "12/838", "", ""),
        ("J.nr.: 00.01.00.A10-0001/2013", "00.01.00.A10-0001/2013", "00.01.00", "A10"),
        ("Journalnr. 27.00.00-A00-1-20", "27.00.00-A00-1-20", "27.00.00", "A00"),
        ("29.30.00-G01-3-19", "29.30.00-G01-3-19", "29.30.00", "G01"),
        ("EMN-2023-009832", "EMN-2023-009832", "", ""),
    ],
)
def test_case_numbers_are_recognised_and_normalised(line, number, kle, facet):
    parsed = parse_minutes(f"Referat\n\nDato: 3.3.2021\n\nPunkt 1: Sag\n\n{line}\n")
    [case] = parsed.item(1).case_numbers
    assert (case.number, case.kle, case.facet, case.line) == (number, kle, facet, line)
    assert parsed.unrecognised == []
