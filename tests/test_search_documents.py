"""Building the search documents fast without changing what they hold: the
HTML stripping, the autocomplete input, the compound parts field and the
tags read in one query per batch (search/documents.py)."""

import pytest
from django.utils.text import Truncator

from klynge_pages.models import MeetingPage
from klynge_pages.richtext import plain_text
from klynge_search import compounds
from klynge_search.documents import (
    _suggest_input,
    all_documents,
    documents_for,
)

from .factories import local, make_cluster, make_meeting


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("Ingen tags her.", "Ingen tags her."),
        (
            "<p>Status på <strong>udskrivningsaftalen</strong> og genoptræning.</p>",
            "Status på udskrivningsaftalen og genoptræning.",
        ),
        ("<p>Linje 1<br/>Linje 2<br>Linje 3</p>", "Linje 1 Linje 2 Linje 3"),
        (
            "<ul><li>Et</li><li>To</li></ul>\n<p>Tre &amp; fire &lt;fem&gt;</p>",
            "Et To Tre & fire <fem>",
        ),
        (
            '<p><a href="https://example.org/?a=1&b=2">Et link</a> og tekst</p>',
            "Et link og tekst",
        ),
        (
            "<p>Drøftelse af <script>alert('x')</script> praksisplanen.</p>",
            "Drøftelse af alert('x') praksisplanen.",
        ),
        ("<p>Kommentar <!-- skjult --> og a < b > c</p>", "Kommentar og a < b > c"),
        ("<p title='x>y'>Citeret attribut</p>", "Citeret attribut"),
        ("a<b", "a<b"),
        # Block boundaries are word boundaries; inline tags are not.
        (
            "<p>organisering.</p><ul><li>A voksne</li><li>B</li></ul>",
            "organisering. A voksne B",
        ),
        (
            '<h2 data-block-key="x1">Formål</h2><p data-block-key="x2">Klyngen</p>',
            "Formål Klyngen",
        ),
        (
            "<p><b>Det</b> indstilles</p><p>ud<i>dannelse</i></p>",
            "Det indstilles uddannelse",
        ),
        ("<table><tr><td>Et</td><td>To</td></tr></table>", "Et To"),
    ],
)
def test_plain_text_reads_rich_text_with_a_space_at_every_block_boundary(html, text):
    assert plain_text(html) == text


@pytest.mark.parametrize(
    "title",
    [
        "Kort titel",
        "x" * 100,
        "Sundhedsaftalen " * 12,
        "e\u0301" * 120,  # combining accents do not count as characters
    ],
)
def test_the_autocomplete_input_is_truncated_as_before(title):
    assert _suggest_input(title) == Truncator(title).chars(100)


def test_the_compound_field_gives_each_part_once():
    text = "Sundhedsaftalen og sundhedsaftalen, og Sundhedsstyregruppen"

    everything = compounds.compound_text(text).split()
    once = compounds.compound_text(text, unique=True).split()

    assert len(once) == len(set(once))
    assert set(once) == set(everything)
    assert once == list(dict.fromkeys(everything))


@pytest.mark.django_db
def test_tags_reach_the_item_and_attachment_documents(home_page):
    cluster = make_cluster(title="Klyngestyregruppe Midt")
    meeting = make_meeting(cluster, start=local(2024, 3, 6, 16, 30), items=2)
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    first, second = meeting.agenda_items.order_by("number")
    first.tags.add("psykiatri", "akutfunktion")
    first.save()
    second.tags.add("forebyggelse")
    second.save()

    docs = {doc["_id"]: doc for doc in documents_for(meeting)}
    batched = {doc["_id"]: doc for _owner, owned in all_documents() for doc in owned}

    assert sorted(docs[f"punkt-{first.uuid}"]["tags"]) == ["akutfunktion", "psykiatri"]
    assert docs[f"punkt-{second.uuid}"]["tags"] == ["forebyggelse"]
    assert batched[f"punkt-{first.uuid}"]["tags"] == docs[f"punkt-{first.uuid}"]["tags"]
    assert "spelling" not in docs[f"punkt-{first.uuid}"]  # filled by copy_to
