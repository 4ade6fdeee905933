"""Danish compound splitting and old-spelling folding (search/compounds.py).

Pure Python: no Elasticsearch, no database.
"""

import gzip
import time

import pytest

from klynge_search import compounds
from klynge_search.compounds import (
    CompoundLexiconError,
    Lexicon,
    compound_text,
    fold_old_spelling,
    load_lexicon,
    split_compound,
)


@pytest.fixture(autouse=True, scope="module")
def _loaded_lexicon():
    # Load the word list once up front, so that the timing tests measure
    # splitting, not the one-off load.
    compounds.get_lexicon()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("sundhedsstyregruppe", {"sundhed", "styre", "gruppe", "styregruppe"}),
        ("klyngestyregruppe", {"klynge", "styre", "gruppe", "styregruppe"}),
        ("praksisplanudvalg", {"praksis", "plan", "udvalg", "planudvalg"}),
        ("samarbejdsforum", {"samarbejde", "forum"}),
        ("ledelsesinformation", {"ledelse", "information"}),
    ],
)
def test_compound_gives_its_parts_and_heads(word, expected):
    assert set(split_compound(word)) == expected


def test_inflected_last_part_keeps_its_ending():
    parts = split_compound("sundhedsaftalen")
    assert "sundhed" in parts
    assert "aftalen" in parts


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Words from the minutes of Klyngestyregruppe Midt and the terms of
        # reference of the political clusters.
        ("klyngestyregruppens", {"klynge", "styre", "gruppens", "styregruppens"}),
        (
            "sundhedsstyregrupperne",
            {"sundhed", "styre", "grupperne", "styregrupperne"},
        ),
        (
            "sundhedskoordinationsudvalget",
            {"sundhed", "koordination", "udvalget", "koordinationsudvalget"},
        ),
        ("samarbejdsaftaler", {"samarbejde", "aftaler"}),
        ("implementeringsplan", {"implementering", "plan"}),
        ("sekretariatsbetjeningen", {"sekretariat", "betjeningen"}),
        ("mødekadence", {"møde", "kadence"}),
        ("regionshuset", {"region", "huset"}),
        (
            "sundhedsaftaleområdet",
            {"sundhed", "aftale", "området", "aftaleområdet"},
        ),
    ],
)
def test_words_from_the_minutes(word, expected):
    assert set(split_compound(word)) == expected


def test_parts_come_in_word_order_before_the_heads():
    assert split_compound("sundhedsstyregruppe") == [
        "sundhed",
        "styre",
        "gruppe",
        "styregruppe",
    ]


@pytest.mark.parametrize(
    "word",
    [
        # Short dictionary words would split these ("for" + "slag",
        # "ud" + "valg"): parts have at least four letters.
        "forslag",
        "udvalg",
        # Inflected forms of one dictionary word are no compounds, even when
        # two short words could be read into them ("politi" + "kere").
        "hospitalerne",
        "politikere",
        "konkrete",
        "kommissorium",
        "psykiatrien",
        "information",
        "dagsorden",
        # Unknown words.
        "xyzxyzxyzxyz",
        "klyngeqqqqqq",
    ],
)
def test_word_that_is_no_compound_gives_nothing(word):
    assert split_compound(word) == []


@pytest.mark.parametrize(
    "word",
    [
        "",
        "a",
        "Sundhedsstyregruppe",
        "SUNDHEDSSTYREGRUPPE",
        "sundhedsstyregruppe2",
        "sundheds-styregruppe",
        "sundhed\x00styregruppe",
        "sundhedsstyregruppe\U0001f600",
        "\U0001f600" * 20,
        "12345678",
        "sundheds styregruppe",
        None,
        12345678,
    ],
)
def test_hostile_or_malformed_word_gives_nothing(word):
    assert split_compound(word) == []


def test_very_long_words_are_refused_fast():
    started = time.perf_counter()
    assert split_compound("a" * 10_000) == []
    assert split_compound("sundhedsstyregruppe" * 500) == []
    assert len("sundhedsaftale" * 5) > compounds.MAX_WORD
    assert split_compound("sundhedsaftale" * 5) == []
    assert time.perf_counter() - started < 0.05


def test_the_longest_allowed_word_is_split_in_bounded_time():
    word = "sundhedsstyregruppe" * 3  # 57 letters, many overlapping parts
    assert len(word) <= compounds.MAX_WORD
    started = time.perf_counter()
    compounds._split_cached.__wrapped__(word)
    assert time.perf_counter() - started < 0.1
    assert {"sundhed", "styre", "gruppe"} <= set(split_compound(word))


def test_compound_text_splits_every_compound_of_a_text():
    text = (
        "Klyngestyregruppe Midt drøfter Sundhedsaftalen og "
        "sundhedsstyregruppernes opgaver."
    )
    parts = compound_text(text).split()
    assert parts == [
        "klynge",
        "styre",
        "gruppe",
        "styregruppe",
        "sundhed",
        "aftalen",
        "sundhed",
        "styre",
        "gruppernes",
        "styregruppernes",
    ]


def test_compound_text_of_text_without_compounds_is_empty():
    assert compound_text("Det indstilles, at mødet holdes.") == ""
    assert compound_text("") == ""


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "\U0001f600" * 10_000,
        "\x00\x01\x02 sundhedsaftale\x00klyngestyregruppe",
        "title:x AND ( 1234567890 <script>",
        "sundhedsaftale" * 1000,
    ],
)
def test_compound_text_survives_hostile_text(text):
    started = time.perf_counter()
    result = compound_text(text)
    assert time.perf_counter() - started < 0.5
    assert isinstance(result, str)
    assert "\x00" not in result
    assert "<" not in result


def test_compound_text_treats_nul_and_digits_as_word_breaks():
    assert compound_text("\x00sundhedsaftale\x001klyngestyregruppe2") == (
        "sundhed aftale klynge styre gruppe styregruppe"
    )


def test_compound_text_is_fast_enough_for_bulk_indexing():
    # An agenda item of about 170 words from the minutes, indexed 2,000
    # times (the target per second), mostly from the word cache.
    item = (
        "Formålet med Klyngestyregruppen er, at samarbejde om udvikling af det "
        "nære og sammenhængende sundhedsvæsen. Klyngestyregruppen skal omsætte "
        "Den Politiske Sundhedsaftales politiske pejlemærker og bærende "
        "principper til handling. Dette tager udgangspunkt i den "
        "implementeringsplan sundhedskoordinationsudvalget vedtager. "
    ) * 4
    compound_text(item)
    started = time.perf_counter()
    for _ in range(2000):
        compound_text(item)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Aabenraa", "Åbenrå"),
        ("aaben", "åben"),
        ("AABENRAA", "ÅBENRÅ"),
        ("Aa", "Å"),
        ("aA", "å"),
        ("Hans Aagaard fra Kjellerup", "Hans Ågård fra Kjellerup"),
        ("Aalborg Kommune", "Ålborg Kommune"),
        ("aaa", "åa"),
        ("Åbenrå", "Åbenrå"),
        ("a", "a"),
        ("", ""),
        ("ingen gamle stavemåder", "ingen gamle stavemåder"),
        ("\x00aa\U0001f600", "\x00å\U0001f600"),
    ],
)
def test_fold_old_spelling(text, folded):
    assert fold_old_spelling(text) == folded


def test_folded_old_and_new_spellings_meet():
    assert fold_old_spelling("Aabenraa") == fold_old_spelling("Åbenrå")
    assert fold_old_spelling("Aalborg") == fold_old_spelling("Ålborg")
    assert fold_old_spelling("aaben") == fold_old_spelling("åben")


def test_fold_old_spelling_keeps_length_of_long_text():
    text = "aa" * 5_000
    assert fold_old_spelling(text) == "å" * 5_000


def test_lexicon_reads_codes_and_linking_forms():
    lexicon = Lexicon.from_lines(
        [
            "# a comment",
            "sundhed ES",
            "klynge EB",
            "samarbejde EX",
            "skole ED",
            "hund EL",
            "aftale E",
            "sko EB",  # too short for a part
            "",
        ]
    )
    assert lexicon.first == {
        "sundheds": "sundhed",
        "klynge": "klynge",
        "samarbejds": "samarbejde",
        "skol": "skole",
        "hunde": "hund",
    }
    assert lexicon.last == {
        "sundhed",
        "klynge",
        "samarbejde",
        "skole",
        "hund",
        "aftale",
    }


def test_shipped_lexicon_has_the_dictionary_and_the_supplement():
    lexicon = load_lexicon()
    assert len(lexicon.last) > 80_000
    assert lexicon.first["sundheds"] == "sundhed"
    assert lexicon.first["klynge"] == "klynge"
    assert "gruppe" in lexicon.last
    # From the hand-written supplement; the dictionary lacks it.
    assert "sundhedsaftale" in lexicon.last
    assert "for" not in lexicon.last


def test_shipped_lexicon_names_its_source_and_licence():
    with gzip.open(compounds.LEXICON_PATH, "rt", encoding="utf-8") as lexicon:
        header = "".join(lexicon.readline() for _ in range(7))
    assert "Stavekontrolden.dk" in header
    assert "LGPL-2.1 or GPL-2.0 or MPL-1.1" in header


def test_missing_word_list_gives_a_clear_error(tmp_path):
    with pytest.raises(CompoundLexiconError, match="compound word list"):
        load_lexicon(tmp_path / "missing.txt.gz")


def test_corrupt_word_list_gives_a_clear_error(tmp_path):
    corrupt = tmp_path / "corrupt.txt.gz"
    corrupt.write_bytes(b"not gzip at all")
    with pytest.raises(CompoundLexiconError, match="build_compound_lexicon"):
        load_lexicon(corrupt)
