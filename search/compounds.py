"""Danish compound splitting and old-spelling folding for the public search.

Danish writes compounds as one word ("sundhedsstyregruppe"), so a citizen
who searches for "styregruppe" or "aftale" would miss "Sundhedsstyregruppe"
and "sundhedsaftalen": Elasticsearch's Hunspell filter stems words but does
not split them, and the decompounding filters live in `analysis-common`,
which our Elasticsearch nodes do not have (see `search/analysis.py`). So the
splitting happens here, in Python, at index time and at query time, into an
extra field that the Danish Hunspell analyzer then stems.

Word list: `search/data/da_compound_lexicon.txt.gz`, derived by
`scripts/build_compound_lexicon.py` from the Danish Hunspell dictionary
(da_DK.dic of Debian's `hunspell-da`, by Foreningen for frit tilgængelige
sprogværktøjer / Stavekontrolden.dk, licensed LGPL-2.1 or GPL-2.0 or
MPL-1.1; the derived list keeps that licence), plus the hand-written
`search/data/da_compound_supplement.txt` for domain words the dictionary
lacks. The list ships with the app, so index and query time split alike on
every host, with or without `hunspell-da` installed. Choice, rules and
measurements: docs/search-compounds.md.
"""

import gzip
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_PATH = DATA_DIR / "da_compound_lexicon.txt.gz"
SUPPLEMENT_PATH = DATA_DIR / "da_compound_supplement.txt"

# Every part of a compound has at least this many letters, both as written in
# the word and as a dictionary word. With 3, short words split real words
# into nonsense ("forslag" = "for" + "slag", "udvalg" = "ud" + "valg" are
# not compounds a searcher means); 4 keeps the parts that carry meaning.
MIN_PART = 4
# Longer words are left alone: no Danish word in use is longer, and the
# work per word grows with the square of its length.
MAX_WORD = 60

# How a dictionary word may stand as a first or middle part (the codes of
# the lexicon, taken from the Hunspell flags): unchanged, with the linking
# morpheme "s" or "e", with its final "e" dropped, or with it turned into "s".
_LINKING_CODES = {"B", "S", "L", "D", "X"}

# Endings the last part may carry (definite, plural, genitive, and the
# common verb and adjective forms), tried against the dictionary form.
LAST_PART_ENDINGS = tuple(
    sorted(
        {
            "",
            "e",
            "n",
            "r",
            "s",
            "t",
            "en",
            "er",
            "et",
            "es",
            "ne",
            "ns",
            "rs",
            "ts",
            "te",
            "ede",
            "ende",
            "ene",
            "ens",
            "ers",
            "ets",
            "nes",
            "rne",
            "enes",
            "erne",
            "rnes",
            "ernes",
        },
        key=len,
    )
)

_WORD_RE = re.compile(r"[^\W\d_]+")
_OLD_AA_RE = re.compile(r"[aA][aA]")


class CompoundLexiconError(RuntimeError):
    """The word list of the compound splitter is missing or unreadable."""


@dataclass(frozen=True)
class Lexicon:
    """The words the splitter knows.

    `first` maps each form a word takes as a first or middle part of a
    compound (as written, linking morpheme included: "sundheds",
    "samarbejds") to the dictionary word ("sundhed", "samarbejde").
    `last` holds the dictionary words that may end a compound.
    """

    first: dict[str, str]
    last: frozenset[str]

    @classmethod
    def from_lines(cls, lines):
        first = {}
        last = set()
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word, _, codes = line.partition(" ")
            codes = set(codes.strip()) or {"E"}
            if len(word) < MIN_PART or not word.isalpha():
                continue
            word = word.lower()
            if "E" in codes:
                last.add(word)
            for code in codes & _LINKING_CODES:
                form = _first_part_form(word, code)
                if form and len(form) >= MIN_PART:
                    first.setdefault(form, word)
        return cls(first=first, last=frozenset(last))


def _first_part_form(word, code):
    if code == "B":
        return word
    if code == "S":
        return word + "s"
    if code == "L":
        return word + "e"
    if word.endswith("e"):
        if code == "D":
            return word[:-1]
        if code == "X":
            return word[:-1] + "s"
    return None


def load_lexicon(path=LEXICON_PATH, supplement=SUPPLEMENT_PATH):
    """Read the word list (gzip) and the supplement (plain text)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lexicon_file:
            lines = lexicon_file.readlines()
        if supplement is not None:
            lines += Path(supplement).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise CompoundLexiconError(
            f"Cannot read the Danish compound word list ({error}). It ships "
            "with the search app in search/data/ and is rebuilt with "
            "scripts/build_compound_lexicon.py; see docs/search-compounds.md."
        ) from error
    return Lexicon.from_lines(lines)


_lexicon = None
_lexicon_lock = threading.Lock()


def get_lexicon():
    """The process-wide lexicon, loaded on first use."""
    global _lexicon
    if _lexicon is None:
        with _lexicon_lock:
            if _lexicon is None:
                _lexicon = load_lexicon()
    return _lexicon


def _last_part(word, start, last):
    """(dictionary word, ending length) if word[start:] may end a compound."""
    tail = word[start:]
    for ending in LAST_PART_ENDINGS:
        stem = tail[: len(tail) - len(ending)]
        if len(stem) < MIN_PART:
            break
        if not tail.endswith(ending):
            continue
        if stem in last:
            return stem, len(ending)
        # Consonant doubling before an ending: "bus" -> "busser".
        if ending and stem[-1] == stem[-2] and len(stem) > MIN_PART:
            if stem[:-1] in last:
                return stem[:-1], len(ending)
    return None


def _segment(word, lexicon):
    """The split of `word` into the fewest parts (at least two), or None.

    Returns a list of (start, dictionary word) for each part; the last
    part's dictionary word is its uninflected form. Among splits with
    equally few parts, the one whose last part carries the shortest
    ending wins ("aftalen" = "aftale" + "n"), then the longest last part.
    """
    first, last = lexicon.first, lexicon.last
    # An inflected form of one dictionary word is split as that word, so
    # that its ending stays on its last part: "politikere" is "politiker"
    # + "e" (no compound), not "politi" + "kere".
    whole = _last_part(word, 0, last)
    if whole is not None and whole[1] and word.startswith(whole[0]):
        word = whole[0]
    n = len(word)

    # best[i]: the best split of word[i:] into one or more parts, as
    # (key, parts) with key = (number of parts, ending length, -start of
    # the last part), or None. Filled from the end of the word.
    best = [None] * (n + 1)
    for i in range(n - MIN_PART, 0, -1):
        candidates = []
        ending = _last_part(word, i, last)
        if ending is not None:
            stem, ending_length = ending
            candidates.append(((1, ending_length, -i), [(i, stem)]))
        for j in range(i + MIN_PART, n - MIN_PART + 1):
            lemma = first.get(word[i:j])
            if lemma is not None and best[j] is not None:
                (count, ending_length, last_start), parts = best[j]
                key = (count + 1, ending_length, last_start)
                candidates.append((key, [(i, lemma), *parts]))
        if candidates:
            best[i] = min(candidates, key=lambda candidate: candidate[0])

    # The whole word as one part is no split: the first part ends before it.
    splits = []
    for j in range(MIN_PART, n - MIN_PART + 1):
        lemma = first.get(word[:j])
        if lemma is not None and best[j] is not None:
            (count, ending_length, last_start), parts = best[j]
            key = (count + 1, ending_length, last_start)
            splits.append((key, [(0, lemma), *parts]))
    if not splits:
        return None
    return min(splits, key=lambda split: split[0])[1]


def _atoms(word, lexicon, depth=0):
    """All part boundaries and dictionary words of `word`, splitting every
    part that is itself a compound ("styregruppe" = "styre" + "gruppe")."""
    parts = _segment(word, lexicon) if depth < 8 else None
    if parts is None:
        return None
    atoms = []
    for start, lemma in parts:
        inner = _atoms(lemma, lexicon, depth + 1)
        if inner is None:
            atoms.append((start, lemma))
        else:
            # The inner boundaries lie in the part's first letters, which
            # the written form and the dictionary word share.
            atoms.extend((start + offset, inner_lemma) for offset, inner_lemma in inner)
    return atoms


@lru_cache(maxsize=200_000)
def _split_cached(word):
    lexicon = get_lexicon()
    atoms = _atoms(word, lexicon)
    if atoms is None:
        return ()
    result = []
    starts = [start for start, _ in atoms]
    for index, (start, lemma) in enumerate(atoms):
        if index == len(atoms) - 1:
            # The last part as written, inflection and all ("aftalen"): the
            # Hunspell analyzer stems it better than our ending list does.
            result.append(word[start:])
        else:
            result.append(lemma)
    # The heads: every tail of two or more parts ("styregruppe" in
    # "sundhedsstyregruppe"), itself a compound someone may search for.
    result.extend(word[start:] for start in starts[1:-1])
    return tuple(dict.fromkeys(result))


def split_compound(word: str) -> list[str]:
    """The parts of a lowercased Danish compound, and its heads.

    "sundhedsstyregruppe" gives ["sundhed", "styre", "gruppe",
    "styregruppe"]; a word that is no compound (or too long, or not made
    of letters only) gives [].
    """
    if (
        not isinstance(word, str)
        or len(word) < 2 * MIN_PART
        or len(word) > MAX_WORD
        or not word.isalpha()
        or not word.islower()
    ):
        return []
    return list(_split_cached(word))


# The parts of each word as written in the text (case and all), for
# `compound_text`: one dictionary look-up per word instead of lowercasing,
# checking and calling into the splitter's cache. Cleared when full.
_TOKEN_PARTS = {}
_TOKEN_PARTS_MAX = 200_000


def _token_parts(token):
    parts = _TOKEN_PARTS.get(token)
    if parts is None:
        parts = tuple(split_compound(token.lower()))
        if len(_TOKEN_PARTS) >= _TOKEN_PARTS_MAX:
            _TOKEN_PARTS.clear()
        _TOKEN_PARTS[token] = parts
    return parts


def compound_text(text: str, unique: bool = False) -> str:
    """The parts of every compound in `text`, joined by spaces.

    Indexed into an extra field analysed by the Danish Hunspell analyzer,
    and built the same way from the query, so that "styregruppe" finds
    "Sundhedsstyregruppen". Words are runs of Unicode letters; each is
    lowercased and split (cached per word). With `unique`, each part is
    given once, where it first occurs (what the index uses: the field helps
    a document be found, and repeating a part would only cost analysis).
    """
    if not text:
        return ""
    parts = []
    for token in _WORD_RE.findall(text):
        if 2 * MIN_PART <= len(token) <= MAX_WORD:
            found = _token_parts(token)
            if found:
                parts.extend(found)
    if unique:
        parts = dict.fromkeys(parts)
    return " ".join(parts)


def _fold_aa(match):
    return "Å" if match.group()[0] == "A" else "å"


def fold_old_spelling(text: str) -> str:
    """Write the old "aa" as "å": "Aabenraa" -> "Åbenrå", "aaben" -> "åben".

    The case of the first letter is kept ("Aa" and "AA" give "Å"). Applied
    to an extra indexed field and to the query alike, so both spellings
    meet. It also folds where "aa" is no "å": official names that keep "Aa"
    ("Aalborg", "Aarhus"), compounds whose parts meet in a/a
    ("ekstraarbejde"), and foreign words ("Maastricht", "Isaac"). As both
    sides are folded, such words still find each other; they only stop
    matching the Hunspell stems of the unfolded word in that extra field.
    """
    if not text:
        return ""
    return _OLD_AA_RE.sub(_fold_aa, text)
