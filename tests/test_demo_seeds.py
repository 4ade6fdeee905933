"""The demo content is the seed documents, without loss."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from klynge_pages.models import ClusterPage, MeetingPage, MinutesPage
from klyngeportal_site import demo_seeds

pytestmark = pytest.mark.django_db

SEED_MINUTES = demo_seeds.MINUTES_FILE.read_text(encoding="utf-8")
SEED_KOMMISSORIUM = demo_seeds.KOMMISSORIUM_FILE.read_text(encoding="utf-8")


def normalise(text):
    """Text without markup, list dashes and line breaks, for comparing."""
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    text = text.replace("**", "")
    text = re.sub(r"^\s*-\s", " ", text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", "--no-accounts", stdout=StringIO())


def political(area):
    return ClusterPage.objects.get(slug=f"politisk-klynge-{area}")


@pytest.mark.parametrize(
    ("area", "members"),
    [
        (
            "nord",
            [
                "Hjørring Kommune",
                "Brønderslev Kommune",
                "Frederikshavn Kommune",
                "Læsø Kommune",
                "Region Nordjylland",
                "PLO-Nordjylland",
            ],
        ),
        (
            "midt",
            [
                "Aalborg Kommune",
                "Jammerbugt Kommune",
                "Region Nordjylland",
                "PLO-Nordjylland",
            ],
        ),
        (
            "syd",
            [
                "Vesthimmerland Kommune",
                "Rebild Kommune",
                "Mariagerfjord Kommune",
                "Region Nordjylland",
                "PLO-Nordjylland",
            ],
        ),
        (
            "vest",
            [
                "Morsø Kommune",
                "Thisted Kommune",
                "Region Nordjylland",
                "PLO-Nordjylland",
            ],
        ),
    ],
)
def test_political_clusters_have_the_members_of_the_kommissorium(demo, area, members):
    cluster = political(area)

    assert cluster.live
    assert [m.organisation.name for m in cluster.memberships.all()] == members


def test_members_have_the_seats_of_the_kommissorium(demo):
    seats = {
        m.organisation.name: (m.seats_min, m.seats_max, m.note)
        for m in political("midt").memberships.all()
    }

    assert seats["Aalborg Kommune"] == (2, 4, "")
    assert seats["Region Nordjylland"] == (3, 4, "")
    assert seats["PLO-Nordjylland"] == (
        None,
        None,
        "afhængigt af den konkrete dagsorden",
    )


def test_kommissorium_sections_carry_the_seed_text(demo):
    cluster = political("nord")
    sections = [block.value for block in cluster.terms_of_reference]

    assert [s["section"] for s in sections] == [
        "formaal",
        "struktur",
        "sammensaetning",
        "moedefrekvens",
        "moedeindhold",
        "sekretariat",
    ]
    seed = normalise(SEED_KOMMISSORIUM)
    for section in sections:
        assert normalise(section["body"].source) in seed
    assert cluster.chair == "Værtskabet leder mødet"
    assert cluster.secretariat == "Fælles"
    assert cluster.terms_approved_by == "Sundhedskoordinationsudvalget"
    assert cluster.terms_approved_on is None
    assert cluster.min_meetings_per_year == 1
    assert "Der afholdes minimum ét møde i de politiske klynger om året." in normalise(
        sections[3]["body"].source
    )


def test_steering_group_midt_and_its_four_fora(demo):
    steering = ClusterPage.objects.get(slug="klyngestyregruppe-midt")

    assert steering.parent_body == political("midt")
    assert steering.min_meetings_per_year == 2
    assert sorted(steering.sub_bodies.values_list("title", flat=True)) == [
        "Samarbejdsforum for Børn og unge psykiatri",
        "Samarbejdsforum for Børn og unge somatik",
        "Samarbejdsforum for psykiatri voksne",
        "Samarbejdsforum for somatik voksne",
    ]


def test_meeting_of_6_november_2019(demo):
    meeting = MeetingPage.objects.get()

    assert meeting.title == "Møde i Klyngestyregruppe MIDT"
    assert meeting.get_parent().slug == "klyngestyregruppe-midt"
    assert meeting.room == "Mødelokale D"
    assert meeting.location.name == "Regionshuset"
    assert meeting.location.address == "Niels Bohrs Vej 30, 9220 Aalborg Øst"
    assert [p.person.public_label for p in meeting.participants.all()] == [
        "Bente Gravesen – direktør, Aalborg Kommune",
        "Eva Sejersdal – afdelingsdirektør, Region Nordjylland",
        "Hanne Madsen – direktør, Jammerbugt Kommune",
        "Henrik Sprøgel – sundhedschef, Jammerbugt Kommune",
        "Malene Horsholt – konsulent, Aalborg Kommune",
        "Jane Pedersen – vicekontorchef, Region Nordjylland",
    ]


def test_agenda_items_match_the_seed(demo):
    items = list(MeetingPage.objects.get().agenda_items.all())
    seed = normalise(SEED_MINUTES)

    assert [item.number for item in items] == [1, 2, 3, 4]
    assert items[2].title == "Sammenhæng til Den politiske klynge Midt"
    for item in items:
        assert normalise(item.title) in seed
        assert normalise(item.description) in seed
        assert normalise(item.recommendation) in seed
    assert items[0].recommendation.startswith("<p>Det indstilles, at Klyngestyregruppe")
    assert items[3].recommendation == ""
    assert "Bilag 5" in items[1].description


def test_published_minutes_carry_every_decision_of_the_seed(demo):
    minutes = MinutesPage.objects.get()
    decisions = list(minutes.decisions.select_related("agenda_item"))
    seed = normalise(SEED_MINUTES)

    assert minutes.live
    assert minutes.minute_taker.name == "Jane Pedersen"
    assert [d.agenda_item.number for d in decisions] == [1, 2, 3, 4]
    for decision in decisions:
        assert normalise(decision.decision) in seed
    assert "<li>Samarbejdsforum for psykiatri voksne</li>" in decisions[1].decision
    # Every decision paragraph of the seed is somewhere in the minutes.
    all_decisions = normalise(" ".join(d.decision for d in decisions))
    for paragraph in (
        "en del spørgsmål hkan afklares pr. mail",
        "afholdes enten den 6. januar eller den 16. januar 2020",
        "Næste møde bliver i sommeren 2020",
    ):
        assert paragraph in all_decisions
    assert len(minutes.attendance.all()) == 6


def test_demo_meeting_page_renders_the_seed_in_danish(demo, client):
    meeting = MeetingPage.objects.get()

    html = client.get(meeting.url).content.decode()

    assert "onsdag den 6. november 2019 kl. 16.30–18.00" in html
    assert "Det indstilles, at Klyngestyregruppe Midt drøfter og beslutter" in html
    assert "Samarbejdsforum for Børn og unge somatik" in html  # decision, published


def test_parsing_refuses_a_kommissorium_without_its_sections(tmp_path):
    broken = tmp_path / "kommissorium.txt"
    broken.write_text("Kommissorium\n\nFormål\n\nNoget tekst.\n", encoding="utf-8")

    with pytest.raises(ValueError, match="expected the sections"):
        demo_seeds.read_kommissorium(broken)
