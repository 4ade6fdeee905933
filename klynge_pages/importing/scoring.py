"""How well the parser reads real minutes: a parse result compared field by
field with a document's expected fields (`<name>.expected.json` beside the
document, written by a person who read it), and how much of the source text
the result keeps. Pure functions, no database; `manage.py import_minutes
--check DIR` and the tests use them.

The expected fields (JSON): `title`, `body`, `date` ("2012-08-21"),
`start`/`end` ("14:00" or null when the minutes give none), `place` (as the
minutes write it, rooms included, or null), `referent` (a name or null),
`participants` ([{"name", "attendance": "deltog"|"afbud"|"ad_hoc"}]),
`case_numbers` ([{"item": number or null, "number"}]) and `items`
([{"number", "title", "has_text", "recommendation", "decision"}], the texts
as written, "" for none).

A field's share right: for the meeting's single fields one per document;
for agenda items, participants and case numbers the entries found right out
of the expected and found entries together (a missing and a surplus entry
both count against it); for an item's text, recommendation and decision one
per expected item.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .parser import kept_words, normalised, without_bold_marks, words

FIELDS = [
    ("title", "titel"),
    ("body", "organ"),
    ("date", "dato"),
    ("start", "starttid"),
    ("end", "sluttid"),
    ("place", "sted"),
    ("items", "punkter (nummer og titel)"),
    ("has_text", "punkter med tekst"),
    ("recommendation", "indstilling"),
    ("decision", "beslutning"),
    ("participants", "deltagere og fremmøde"),
    ("referent", "referent"),
    ("case_numbers", "sagsnumre"),
]
EXPECTED_SUFFIX = ".expected.json"


@dataclass
class Score:
    """Right and total per field, the words kept, and what was wrong."""

    right: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    words_total: int = 0
    words_missing: int = 0
    wrong: list = field(default_factory=list)  # (document, field, expected, found)

    def add(self, other):
        self.right.update(other.right)
        self.total.update(other.total)
        self.words_total += other.words_total
        self.words_missing += other.words_missing
        self.wrong += other.wrong

    def share(self, name):
        return self.right[name] / self.total[name] if self.total[name] else 1.0

    @property
    def kept_share(self):
        if not self.words_total:
            return 1.0
        return (self.words_total - self.words_missing) / self.words_total

    def count(self, document, name, right, total, expected=None, found=None):
        self.right[name] += right
        self.total[name] += total
        if right < total:
            self.wrong.append((document, name, expected, found))


def expected_path(document):
    return document.with_name(document.name.rsplit(".", 1)[0] + EXPECTED_SUFFIX)


def corpus(directory):
    """The documents in `directory` that have an expected-fields file."""
    return sorted(
        path
        for path in Path(directory).iterdir()
        if path.is_file()
        and not path.name.endswith(EXPECTED_SUFFIX)
        and expected_path(path).exists()
    )


def load_expected(document):
    return json.loads(expected_path(document).read_text(encoding="utf-8"))


def flat_text(parts):
    """Blocks (paragraphs and lists) as one line of text."""
    pieces = []
    for part in parts or []:
        pieces += part if isinstance(part, list) else [part]
    return " ".join(
        " ".join(without_bold_marks(piece).split()) for piece in pieces
    ).strip()


def _text(value):
    return " ".join((value or "").split())


def _place_parts(text):
    parts = re.findall(r'["“”]([^"“”]+)["“”]|([^,"“”]+)', text or "")
    return {
        normalised(quoted or bare) for quoted, bare in parts if (quoted or bare).strip()
    }


def _time(value, found):
    return value.strftime("%H:%M") if found and value else None


def score_document(name, parsed, expected, source_text):
    """The Score of one parse result against its expected fields."""
    score = Score()
    single = {
        "title": (normalised(expected["title"]), normalised(parsed.meeting_title)),
        "body": (normalised(expected["body"]), normalised(parsed.body)),
        "date": (expected["date"], parsed.start.date().isoformat()),
        "start": (expected["start"], _time(parsed.start, parsed.time_found)),
        "end": (expected["end"], _time(parsed.end, parsed.end_found)),
        "place": (
            _place_parts(expected["place"]),
            _place_parts(", ".join(p for p in (parsed.room, parsed.location) if p)),
        ),
        "referent": (
            normalised(expected["referent"] or ""),
            normalised(parsed.minute_taker.name if parsed.minute_taker else ""),
        ),
    }
    for key, (want, got) in single.items():
        score.count(name, key, int(want == got), 1, want, got)

    parsed_items = {item.number: item for item in parsed.items}
    want_items = {
        item["number"]: normalised(item["title"]) for item in expected["items"]
    }
    got_items = {
        number: normalised(item.title) for number, item in parsed_items.items()
    }
    right = sum(1 for n, t in want_items.items() if got_items.get(n) == t)
    score.count(
        name,
        "items",
        right,
        len(set(want_items) | set(got_items)),
        sorted(want_items.items()),
        sorted(got_items.items()),
    )
    for item in expected["items"]:
        got = parsed_items.get(item["number"])
        for key in ("has_text", "recommendation", "decision"):
            want = item[key] if key == "has_text" else _text(item[key])
            if got is None:
                found = None
            elif key == "has_text":
                found = got.has_text
            else:
                found = flat_text(getattr(got, key))
            score.count(
                f"{name}, punkt {item['number']}",
                key,
                int(want == found),
                1,
                want,
                found,
            )

    people = list(parsed.people)
    if parsed.chair and normalised(parsed.chair.name) not in {
        normalised(person.name) for person in people
    }:
        people.append(parsed.chair)
    want_people = {
        normalised(p["name"]): p["attendance"] for p in expected["participants"]
    }
    got_people = {normalised(p.name): p.attendance for p in people}
    right = sum(1 for n, a in want_people.items() if got_people.get(n) == a)
    score.count(
        name,
        "participants",
        right,
        len(set(want_people) | set(got_people)),
        sorted(want_people.items()),
        sorted(got_people.items()),
    )

    want_cases = {(c["item"], c["number"]) for c in expected["case_numbers"]}
    got_cases = {(n, case.number) for n, case in parsed.all_case_numbers()}
    score.count(
        name,
        "case_numbers",
        len(want_cases & got_cases),
        len(want_cases | got_cases),
        sorted(want_cases, key=str),
        sorted(got_cases, key=str),
    )

    source = Counter(words(source_text))
    kept = kept_words(parsed)
    missing = sum(max(0, count - kept[word]) for word, count in source.items())
    score.words_total += sum(source.values())
    score.words_missing += missing
    if missing:
        lost = sorted(word for word, count in source.items() if count > kept[word])
        score.wrong.append((name, "text", None, lost))
    return score


def table(score):
    """The per-field shares as text lines (Danish, like the command's other
    output)."""
    lines = [f"{'Felt':<28} {'Rigtige':>9} {'Andel':>7}"]
    for key, label in FIELDS:
        right, total = score.right[key], score.total[key]
        lines.append(f"{label:<28} {f'{right}/{total}':>9} {score.share(key):>7.1%}")
    kept = score.words_total - score.words_missing
    lines.append(
        f"{'tekst bevaret (ord)':<28} {f'{kept}/{score.words_total}':>9} "
        f"{score.kept_share:>7.1%}"
    )
    return lines
