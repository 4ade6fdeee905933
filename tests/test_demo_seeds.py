"""The demo content is the seed documents, without loss: the parser in
`demo_seeds`, and what `load_demo` builds from it, compared with the seed
files themselves."""

import re
from html import unescape
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from klynge_pages.models import (
    ClusterIndexPage,
    ClusterPage,
    MeetingPage,
    MinutesPage,
    Organisation,
)
from klyngeportal_site import demo_seeds
from klyngeportal_site.models import AccessibilityStatementPage

SEED_MINUTES = demo_seeds.MINUTES_FILE.read_text(encoding="utf-8")
SEED_KOMMISSORIUM = demo_seeds.KOMMISSORIUM_FILE.read_text(encoding="utf-8")
MINUTES_ORGANISATIONS = ["Aalborg Kommune", "Jammerbugt Kommune", "Region Nordjylland"]
COPENHAGEN = ZoneInfo("Europe/Copenhagen")

MEMBERS = {
    "nord": [
        "Hjørring Kommune",
        "Brønderslev Kommune",
        "Frederikshavn Kommune",
        "Læsø Kommune",
        "Region Nordjylland",
        "PLO-Nordjylland",
    ],
    "midt": [
        "Aalborg Kommune",
        "Jammerbugt Kommune",
        "Region Nordjylland",
        "PLO-Nordjylland",
    ],
    "syd": [
        "Vesthimmerland Kommune",
        "Rebild Kommune",
        "Mariagerfjord Kommune",
        "Region Nordjylland",
        "PLO-Nordjylland",
    ],
    "vest": [
        "Morsø Kommune",
        "Thisted Kommune",
        "Region Nordjylland",
        "PLO-Nordjylland",
    ],
}

ITEM_TITLES = [
    "Klyngestyregruppens opgaver – herunder kommissorium, mødekadence og "
    "procedure for udsendelse af dagsorden og referat.",
    "Den underliggende organisering for Klyngestyregruppe Midt.",
    "Sammenhæng til Den politiske klynge Midt.",
    "Eventuelt – herunder planlægning af næste møde.",
]


def normalise(text):
    """Text without markup, Markdown bold and list dashes, with the
    whitespace collapsed: what a reader sees, for comparing."""
    text = re.sub(r"</?(?:b|i|strong|em|a)\b[^>]*>", "", text)  # inline
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    text = text.replace("**", "")
    text = re.sub(r"^\s*-\s", " ", text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", text).strip()


def seed_kommissorium_sections():
    """{heading: text} of the seed, cut at the six headings."""
    headings = list(demo_seeds.KOMMISSORIUM_SECTIONS)
    pattern = "|".join(re.escape(h) for h in headings)
    parts = re.split(rf"^({pattern})$", SEED_KOMMISSORIUM, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def seed_item_parts():
    """[(title, case, recommendation, referat)] per item, cut out of the seed
    with the seed's own markers, independently of the parser."""
    agenda = SEED_MINUTES.split("### Dagsorden", 1)[1].split("\nReferent\n", 1)[0]
    items = re.split(r"^(?:#+ )?\*\*Punkt \d+[:.] ", agenda, flags=re.MULTILINE)[1:]
    parts = []
    for item in items:
        title, body = item.split("**\n", 1)
        before, referat = re.split(r"^\*\*Referat[:.]\*\*$", body, flags=re.MULTILINE)
        case, _, recommendation = before.partition("**Det indstilles**")
        if recommendation:
            recommendation = "Det indstilles" + recommendation
        parts.append((title, case, recommendation, referat))
    return parts


# --- The parser -------------------------------------------------------------


def test_kommissorium_has_six_sections_with_the_seed_text_word_for_word():
    kommissorium = demo_seeds.read_kommissorium()
    seed = seed_kommissorium_sections()

    assert [s.key for s in kommissorium.sections] == [
        "formaal",
        "struktur",
        "sammensaetning",
        "moedefrekvens",
        "moedeindhold",
        "sekretariat",
    ]
    for section in kommissorium.sections:
        assert normalise(demo_seeds.rich_text(section.body)) == normalise(
            seed[section.heading]
        )


def test_kommissorium_front_matter():
    kommissorium = demo_seeds.read_kommissorium()

    assert kommissorium.title == "De politiske klynger på sundhedsaftaleområdet"
    assert kommissorium.chair == "Værtskabet leder mødet"
    assert kommissorium.secretariat == "Fælles"
    # "Sundheds-\nkoordinationsudvalget", joined again; no date in the seed.
    assert kommissorium.approved_by == "Sundhedskoordinationsudvalget"
    assert kommissorium.approved_on == ""


def test_kommissorium_structure_names_the_members_of_each_cluster():
    clusters = demo_seeds.read_kommissorium().clusters

    assert clusters == {
        area.capitalize(): [
            "PLO" if name == "PLO-Nordjylland" else name for name in members
        ]
        for area, members in MEMBERS.items()
    }


def test_minutes_meeting_facts():
    minutes = demo_seeds.read_minutes(organisations=MINUTES_ORGANISATIONS)

    assert minutes.heading == "Referat fra Møde i Klyngestyregruppe MIDT"
    assert minutes.meeting_title == "Møde i Klyngestyregruppe MIDT"
    assert minutes.start.astimezone(COPENHAGEN).isoformat() == (
        "2019-11-06T16:30:00+01:00"
    )
    assert minutes.end.astimezone(COPENHAGEN).isoformat() == (
        "2019-11-06T18:00:00+01:00"
    )
    assert minutes.room == "Mødelokale D"
    assert minutes.location_name == "Regionshuset"
    assert minutes.location_address == "Niels Bohrs Vej 30, 9220 Aalborg Øst"
    assert minutes.referent == "Jane Pedersen"


def test_minutes_participants_split_with_dash_or_hyphen_and_any_case():
    participants = demo_seeds.read_minutes(
        organisations=MINUTES_ORGANISATIONS
    ).participants

    assert [(p.name, p.title, p.organisation) for p in participants] == [
        ("Bente Gravesen", "direktør", "Aalborg Kommune"),
        ("Eva Sejersdal", "afdelingsdirektør", "Region Nordjylland"),
        ("Hanne Madsen", "direktør", "Jammerbugt Kommune"),
        ("Henrik Sprøgel", "sundhedschef", "Jammerbugt Kommune"),
        ("Malene Horsholt", "konsulent", "Aalborg Kommune"),
        ("Jane Pedersen", "vicekontorchef", "Region Nordjylland"),
    ]
    participants_section = SEED_MINUTES.split("### Mødedeltagere")[1].split("###")[0]
    assert [p.line for p in participants] == [
        line.strip() for line in participants_section.splitlines() if line.strip()
    ]


def test_minutes_items_carry_every_word_of_the_agenda_and_the_referat():
    items = demo_seeds.read_minutes(organisations=MINUTES_ORGANISATIONS).items

    assert [item.title for item in items] == ITEM_TITLES
    for item, (title, case, recommendation, referat) in zip(
        items, seed_item_parts(), strict=True
    ):
        assert item.title == title
        assert normalise(demo_seeds.rich_text(item.description)) == normalise(case)
        assert normalise(demo_seeds.rich_text(item.recommendation)) == normalise(
            recommendation
        )
        assert normalise(demo_seeds.rich_text(item.decision)) == normalise(referat)
    assert items[3].description == [] and items[3].recommendation == []


def test_rich_text_keeps_bold_and_lists_and_escapes_the_rest():
    html = demo_seeds.rich_text(["**Det indstilles**, at A & B <C>", ["en", "to"]])

    assert html == (
        "<p><b>Det indstilles</b>, at A &amp; B &lt;C&gt;</p>"
        "<ul><li>en</li><li>to</li></ul>"
    )


def test_a_kommissorium_without_its_sections_is_refused(tmp_path):
    broken = tmp_path / "kommissorium.txt"
    broken.write_text("Kommissorium\n\nFormål\n\nNoget tekst.\n", encoding="utf-8")

    with pytest.raises(demo_seeds.SeedError, match="expected the sections"):
        demo_seeds.read_kommissorium(broken)


def test_minutes_whose_weekday_does_not_match_the_date_are_refused(tmp_path):
    broken = tmp_path / "referat.md"
    broken.write_text(
        SEED_MINUTES.replace("Onsdag den 6. november", "Torsdag den 6. november"),
        encoding="utf-8",
    )

    with pytest.raises(demo_seeds.SeedError, match="weekday"):
        demo_seeds.read_minutes(broken, organisations=MINUTES_ORGANISATIONS)


def test_a_participant_of_an_unknown_organisation_is_refused():
    with pytest.raises(demo_seeds.SeedError, match="no known organisation"):
        demo_seeds.read_minutes(organisations=["Aalborg Kommune"])


# --- What load_demo builds from it --------------------------------------------


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--no-accounts", stdout=StringIO())


def political(area):
    return ClusterPage.objects.get(slug=f"politisk-klynge-{area}")


def test_organisations_are_the_parties_of_the_kommissorium(demo):
    organisations = {o.name: (o.kind, o.short_name) for o in Organisation.objects.all()}

    assert len(organisations) == 13
    assert organisations["Aalborg Kommune"] == ("kommune", "Aalborg")
    assert organisations["Læsø Kommune"] == ("kommune", "Læsø")
    assert organisations["Region Nordjylland"] == ("region", "Regionen")
    assert organisations["PLO-Nordjylland"] == ("almen_praksis", "PLO")
    assert sum(kind == "kommune" for kind, _ in organisations.values()) == 11


def test_cluster_index_under_the_home_page(demo):
    index = ClusterIndexPage.objects.get()

    assert index.live
    assert index.title == "Klynger"
    assert index.url == "/klynger/"
    assert index.get_children().live().count() == 9


def test_political_clusters_have_exactly_the_members_of_the_kommissorium(demo):
    for area, members in MEMBERS.items():
        cluster = political(area)

        assert cluster.live
        assert cluster.title == f"Politisk klynge {area.capitalize()}"
        assert (cluster.kind, cluster.area) == ("politisk_klynge", area)
        assert [m.organisation.name for m in cluster.memberships.all()] == members


def test_members_have_the_seats_of_the_kommissorium(demo):
    for area in MEMBERS:
        seats = {
            m.organisation.name: (m.seats_min, m.seats_max, m.note)
            for m in political(area).memberships.all()
        }

        for name, value in seats.items():
            if name.endswith(" Kommune"):
                assert value == (2, 4, ""), name
        assert seats["Region Nordjylland"] == (3, 4, "")
        assert seats["PLO-Nordjylland"] == (
            None,
            None,
            "afhængigt af den konkrete dagsorden",
        )


def test_kommissorium_sections_carry_the_seed_text(demo):
    cluster = political("nord")
    sections = [block.value for block in cluster.terms_of_reference]
    seed = seed_kommissorium_sections()

    assert [s["section"] for s in sections] == [
        "formaal",
        "struktur",
        "sammensaetning",
        "moedefrekvens",
        "moedeindhold",
        "sekretariat",
    ]
    for section, heading in zip(sections, seed, strict=True):
        assert normalise(section["body"].source) == normalise(seed[heading])
    assert "Der afholdes minimum ét møde i de politiske klynger om året." in (
        normalise(sections[3]["body"].source)
    )
    assert cluster.intro == (
        "<p>De politiske klynger er fora, hvor Sundhedskoordinationsudvalget og "
        "lokale politikere kan dagsordenssætte emner, som man ønsker drøftet. "
        "Dette med henblik på at udmønte Sundhedsaftalens pejlemærker og "
        "bærende principper.</p>"
    )
    assert cluster.chair == "Værtskabet leder mødet"
    assert cluster.secretariat == "Fælles"
    assert cluster.terms_approved_by == "Sundhedskoordinationsudvalget"
    assert cluster.terms_approved_on is None
    assert cluster.min_meetings_per_year == 1


def test_steering_group_midt_and_its_four_fora(demo):
    steering = ClusterPage.objects.get(slug="klyngestyregruppe-midt")
    fora = steering.sub_bodies.order_by("path")

    assert (steering.kind, steering.area) == ("klyngestyregruppe", "midt")
    assert steering.parent_body == political("midt")
    assert steering.min_meetings_per_year == 2
    assert "holder 2 møder om året" in SEED_MINUTES
    assert [m.organisation.name for m in steering.memberships.all()] == [
        "Aalborg Kommune",
        "Jammerbugt Kommune",
        "Region Nordjylland",
    ]
    assert [(f.title, f.kind, f.area, f.live) for f in fora] == [
        ("Samarbejdsforum for somatik voksne", "samarbejdsforum", "midt", True),
        ("Samarbejdsforum for psykiatri voksne", "samarbejdsforum", "midt", True),
        (
            "Samarbejdsforum for Børn og unge somatik",
            "samarbejdsforum",
            "region",
            True,
        ),
        (
            "Samarbejdsforum for Børn og unge psykiatri",
            "samarbejdsforum",
            "region",
            True,
        ),
    ]
    assert "Gerne regionsdækkende på tværs af klyngerne." in fora[2].intro
    # No kommissorium yet, so no minimum number of meetings.
    assert {(f.min_meetings_per_year, f.terms_approved_by) for f in fora} == {(0, "")}


def test_meeting_of_6_november_2019(demo):
    meeting = MeetingPage.objects.get()

    assert meeting.live
    assert meeting.title == "Møde i Klyngestyregruppe MIDT"
    assert meeting.get_parent().slug == "klyngestyregruppe-midt"
    assert meeting.start.astimezone(COPENHAGEN).isoformat() == (
        "2019-11-06T16:30:00+01:00"
    )
    assert meeting.end.astimezone(COPENHAGEN).isoformat() == (
        "2019-11-06T18:00:00+01:00"
    )
    assert meeting.room == "Mødelokale D"
    assert meeting.location.name == "Regionshuset"
    assert meeting.location.address == "Niels Bohrs Vej 30, 9220 Aalborg Øst"
    assert meeting.host.name == "Region Nordjylland"
    participants = list(meeting.participants.all())
    assert [p.person.public_label for p in participants] == [
        "Bente Gravesen – direktør, Aalborg Kommune",
        "Eva Sejersdal – afdelingsdirektør, Region Nordjylland",
        "Hanne Madsen – direktør, Jammerbugt Kommune",
        "Henrik Sprøgel – sundhedschef, Jammerbugt Kommune",
        "Malene Horsholt – konsulent, Aalborg Kommune",
        "Jane Pedersen – vicekontorchef, Region Nordjylland",
    ]
    assert {p.attendance for p in participants} == {"deltog"}


def test_agenda_items_match_the_seed(demo):
    items = list(MeetingPage.objects.get().agenda_items.all())

    assert [item.number for item in items] == [1, 2, 3, 4]
    assert [item.title for item in items] == ITEM_TITLES
    for item, (_, case, recommendation, _) in zip(
        items, seed_item_parts(), strict=True
    ):
        assert normalise(item.description) == normalise(case)
        assert normalise(item.recommendation) == normalise(recommendation)
        assert not item.closed
    assert items[0].recommendation == (
        "<p><b>Det indstilles</b>, at Klyngestyregruppe Midt drøfter hvordan man "
        "vil arbejde med styregruppens opgaver – herunder samarbejdet med "
        "hospitalerne og PLO</p>"
    )
    assert items[3].description == "" and items[3].recommendation == ""
    assert "Bilag 5" in items[1].description
    assert "bilag 6" in items[2].description


def test_published_minutes_carry_every_decision_of_the_seed(demo):
    minutes = MinutesPage.objects.get()
    decisions = list(minutes.decisions.select_related("agenda_item"))

    assert minutes.live
    assert minutes.get_parent().specific == MeetingPage.objects.get()
    assert minutes.minute_taker.name == "Jane Pedersen"
    assert [d.agenda_item.number for d in decisions] == [1, 2, 3, 4]
    for decision, (*_, referat) in zip(decisions, seed_item_parts(), strict=True):
        assert normalise(decision.decision) == normalise(referat)
    assert (
        "<ul><li>Samarbejdsforum for somatik voksne</li>"
        "<li>Samarbejdsforum for psykiatri voksne</li>"
    ) in decisions[1].decision
    attendance = list(minutes.attendance.select_related("person"))
    assert [row.person.name for row in attendance] == [
        "Bente Gravesen",
        "Eva Sejersdal",
        "Hanne Madsen",
        "Henrik Sprøgel",
        "Malene Horsholt",
        "Jane Pedersen",
    ]
    assert {row.attendance for row in attendance} == {"deltog"}


def test_accessibility_statement(demo, client):
    statement = AccessibilityStatementPage.objects.get()

    assert statement.live
    assert statement.slug == "tilgaengelighedserklaering"
    assert statement.title == "Tilgængelighedserklæring"
    assert statement.contact_email == "tilgaengelighed@example.dk"
    text = normalise(statement.body)
    for words in (
        "WCAG 2.1",
        "webtilgængelighedsloven",
        "klage til Digitaliseringsstyrelsen",
    ):
        assert words in text
    html = client.get("/tilgaengelighedserklaering/").content.decode()
    assert "mailto:tilgaengelighed@example.dk" in html


def test_home_page_links_the_cluster_index_and_the_clusters(demo, client):
    html = client.get("/").content.decode()

    assert 'href="/klynger/"' in html
    assert 'href="/klynger/politisk-klynge-midt/"' in html
    assert 'href="/klynger/klyngestyregruppe-midt/"' in html


def test_demo_meeting_and_minutes_render_the_seed_in_danish(demo, client):
    meeting = MeetingPage.objects.get()
    minutes = MinutesPage.objects.get()

    meeting_html = client.get(meeting.url).content.decode()
    minutes_html = client.get(minutes.url).content.decode()

    assert "onsdag den 6. november 2019 kl. 16.30–18.00" in meeting_html
    assert "Punkt 3: Sammenhæng til Den politiske klynge Midt." in meeting_html
    assert (
        "<b>Det indstilles</b>, at Klyngestyregruppe Midt drøfter og beslutter"
        in meeting_html
    )
    assert "Samarbejdsforum for Børn og unge somatik" in meeting_html
    assert "afholdes enten den 6. januar eller den 16. januar 2020" in minutes_html
    assert "Jane Pedersen" in minutes_html
