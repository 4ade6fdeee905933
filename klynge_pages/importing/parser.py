"""From the text of minutes (referat) to a `ParsedMinutes`: pure functions,
no database.

Danish municipal and regional minutes share their parts but not their
layout. The parser reads line by line and knows:

- the heading ("Referat fra møde i …", "Mødereferat", "Beslutningsprotokol"),
  from which the meeting title and the body come, or a label ("Udvalg:",
  "Forum:");
- the date and time, as a sentence ("onsdag den 6. november 2019 kl.
  16.30-18.00"), in numbers ("6.11.2019", "2019-11-06") or labelled
  ("Mødedato:", "Dato:", "Tid:", "Tidspunkt:");
- the place ("Sted:", "Mødested:", "Lokale:", or unlabelled lines under the
  date: a room, an address with a postcode);
- people, one per line or several on a labelled line: "Name – title
  organisation", "Name, title, organisation", "Name (organisation)", under
  "Mødedeltagere"/"Deltagere"/"Til stede", "Afbud"/"Fraværende", "Desuden
  deltog"/"Gæster"; "Mødeleder:"/"Formand:"; "Referent";
- numbered agenda items: "Punkt 1: …", "Pkt. 1", "Sag 1", "1. …" (numbered in
  sequence), and "Ad 1" (the minutes of an item listed before);
- per item the case ("Sagsfremstilling", "Baggrund"), the recommendation
  ("Det indstilles, at …", "Indstilling:", "Forvaltningen indstiller …"), the
  decision ("Referat", "Beslutning", "Konklusion") and the attachments it
  names ("Bilag 5").

Every line that is not blank ends up in a field or in `unrecognised`: the
importer shows the editor what it could not place.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from ..dates import DANISH_MONTHS, DANISH_WEEKDAYS
from .text import blocks, normalise_name

TIME_ZONE = ZoneInfo("Europe/Copenhagen")

PRESENT, APOLOGIES, AD_HOC = "deltog", "afbud", "ad_hoc"


class ParseError(ValueError):
    """The text cannot become a meeting; the message is Danish."""


@dataclass
class ParsedPerson:
    name: str
    title: str = ""
    organisation: str = ""  # as written in the minutes
    attendance: str = PRESENT
    line: str = ""


@dataclass
class ParsedItem:
    number: int
    title: str
    closed: bool = False
    description: list = field(default_factory=list)  # blocks
    recommendation: list = field(default_factory=list)
    decision: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # ["Bilag 5", …]


@dataclass
class ParsedMinutes:
    heading: str = ""
    meeting_title: str = ""
    body: str = ""
    date_line: str = ""
    start: datetime | None = None
    end: datetime | None = None
    time_found: bool = False
    end_found: bool = False
    room: str = ""
    location: str = ""  # "Regionshuset, Niels Bohrs Vej 30, 9220 Aalborg Øst"
    people: list = field(default_factory=list)  # [ParsedPerson]
    chair: ParsedPerson | None = None
    minute_taker: ParsedPerson | None = None
    items: list = field(default_factory=list)  # [ParsedItem]
    unrecognised: list = field(default_factory=list)  # lines as written

    @property
    def location_name(self):
        return self.location.partition(", ")[0].strip()

    @property
    def location_address(self):
        return self.location.partition(", ")[2].strip()

    def people_with(self, attendance):
        return [p for p in self.people if p.attendance == attendance]

    def item(self, number):
        return next((item for item in self.items if item.number == number), None)


# --- lines -------------------------------------------------------------------


def _alternatives(*words):
    return "|".join(words)


MONTHS = {name: number for number, name in enumerate(DANISH_MONTHS, start=1)}
MONTHS.update(
    {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "nov": 11,
        "dec": 12,
    }
)
WEEKDAY = _alternatives(*DANISH_WEEKDAYS)
MONTH = _alternatives(*sorted(MONTHS, key=len, reverse=True))

DATE_WORDS = re.compile(
    rf"(?:\b(?P<weekday>{WEEKDAY})\b[\s,]*(?:d\.|den)?\s*)?"
    rf"\b(?P<day>\d{{1,2}})\.?\s*(?P<month>{MONTH})\b\.?\s*(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
DATE_NUMBERS = re.compile(
    rf"(?:\b(?P<weekday>{WEEKDAY})\b[\s,]*(?:d\.|den)?\s*)?"
    r"\b(?P<day>\d{1,2})(?P<sep>[./-])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<year>\d{4}|\d{2})\b(?![.:]?\d)",
    re.IGNORECASE,
)
DATE_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
TIME_RANGE = re.compile(
    r"(?:\b(?:kl\.?|klokken)\s*)?\b(?P<h1>\d{1,2})[.:](?P<m1>\d{2})\b"
    r"(?:\s*(?:[–—-]|til)\s*(?:(?:kl\.?|klokken)\s*)?"
    r"(?P<h2>\d{1,2})[.:](?P<m2>\d{2})\b)?",
    re.IGNORECASE,
)
TIME_HOURS = re.compile(
    r"\b(?:kl\.?|klokken)\s*(?P<h1>\d{1,2})\b(?![.:]\d)"
    r"(?:\s*(?:[–—-]|til)\s*(?:(?:kl\.?|klokken)\s*)?(?P<h2>\d{1,2})\b(?![.:]\d))?",
    re.IGNORECASE,
)

# A label alone on its line ("Afbud", "Referent:") or with a value after a
# colon ("Afbud: Anne Holm").
LABELS = {
    "date": ["mødedato", "dato", "tid", "tidspunkt", "mødetid", "dato og tid"],
    "date_place": ["tid og sted", "dato og sted", "tidspunkt og sted"],
    "place": ["sted", "mødested", "adresse", "mødesteder"],
    "room": ["lokale", "mødelokale"],
    "participants": [
        "mødedeltagere",
        "deltagere",
        "til stede",
        "tilstede",
        "deltog",
        "fremmødte",
        "medlemmer",
        "deltagere i mødet",
    ],
    "apologies": ["afbud", "afbud fra", "fraværende", "fravær", "forfald"],
    "ad_hoc": [
        "desuden deltog",
        "gæster",
        "gæst",
        "ad hoc",
        "øvrige deltagere",
        "også til stede",
        "deltog ad hoc",
    ],
    "referent": ["referent", "ref.", "referatskriver"],
    "chair": ["mødeleder", "formand", "dirigent", "ordstyrer"],
    "body": ["udvalg", "forum", "mødeforum"],
    "agenda": ["dagsorden", "dagsordenspunkter", "dagsorden og referat"],
    "description": [
        "sagsfremstilling",
        "sagsbeskrivelse",
        "baggrund",
        "resumé",
        "resume",
        "beskrivelse",
    ],
    "recommendation": [
        "indstilling",
        "indstillinger",
        "forslag til beslutning",
        "indstilling til beslutning",
    ],
    "decision": [
        "referat",
        "beslutning",
        "beslutninger",
        "afgørelse",
        "konklusion",
        "referat og beslutning",
        "drøftelse og beslutning",
    ],
    "attachments": ["bilag", "bilagsoversigt"],
}
LABEL = re.compile(
    r"^(?P<label>"
    + _alternatives(
        *sorted(
            (re.escape(word) for words in LABELS.values() for word in words),
            key=len,
            reverse=True,
        )
    )
    + r")(?:\s*[:.]\s*(?P<value>.*)|\s*)$",
    re.IGNORECASE,
)
LABEL_KIND = {word: kind for kind, words in LABELS.items() for word in words}
# Labels that mark where an item's text goes; elsewhere they are text.
ITEM_LABELS = {"description", "recommendation", "decision", "attachments"}

HEADING = re.compile(
    r"^(?:møde)?(?:referat|protokol)\b(?!\w)|^beslutningsprotokol\b", re.IGNORECASE
)
HEADING_REST = re.compile(
    r"^(?:møde)?(?:referat|beslutningsprotokol|protokol)\s*(?:fra|af|for)?\s*"
    r"[:–—-]?\s*",
    re.IGNORECASE,
)
MEETING_OF = re.compile(
    r"^(?:det\s+|et\s+)?(?:\w+\s+)?møde[t]?\s+(?:i|for|med)\s+", re.IGNORECASE
)

ITEM_PUNKT = re.compile(
    r"^(?:punkt|pkt\.?|sag(?:\s+nr\.?)?|dagsordenspunkt)\s*(?P<number>\d{1,3})"
    r"\b\s*[:.)–—-]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
ITEM_AD = re.compile(
    r"^ad\.?\s+(?:punkt\s*|pkt\.?\s*)?(?P<number>\d{1,3})\b\s*[:.)–—-]?\s*"
    r"(?P<title>.*)$",
    re.IGNORECASE,
)
ITEM_NUMBERED = re.compile(r"^(?P<number>\d{1,3})\s*[.)]\s+(?P<title>\S.*)$")
CLOSED = re.compile(
    r"^lukket(?:\s+punkt)?\s*[:–—-]\s*|\s*[(\[]\s*lukket(?:\s+punkt)?\s*[)\]]",
    re.IGNORECASE,
)

RECOMMENDATION_START = re.compile(
    r"^(?:\*\*)?(?:det\s+indstilles|det\s+foreslås|"
    r"(?:forvaltningen|administrationen|sekretariatet|direktionen|"
    r"direktøren|formandskabet|\w+forvaltningen)\s+indstiller)\b",
    re.IGNORECASE,
)
ATTACHMENT_REFERENCE = re.compile(r"\bbilag\s+(?:nr\.\s*)?(\d{1,3}[a-z]?)\b", re.I)
ATTACHMENT_LINE = re.compile(
    r"^(?:[-*•]\s*)?(?:bilag\s*(?:nr\.\s*)?)?(?P<number>\d{1,3}[a-z]?)"
    r"\s*[.:)–—-]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)

BULLET = re.compile(r"^(?:[-*•▪●]|\d{1,2}[.)])\s+")
NAME_WORD = r"[A-ZÆØÅÉÜÖÄ][\w'’.-]*"
NAME = re.compile(
    rf"^{NAME_WORD}(?:\s+(?:{NAME_WORD}|von|van|de|la|af|du))*$",
)
ORGANISATION_SUFFIX = re.compile(
    r"(?P<org>\b[A-ZÆØÅ][\wæøå-]*\s+[Kk]ommune|\bRegion\s+[A-ZÆØÅ]\w+|"
    r"\bPLO(?:-[A-ZÆØÅ]\w+)?|\b[A-ZÆØÅ][\wæøå-]*\s+(?:Universitetshospital|"
    r"[Ss]ygehus|[Hh]ospital(?:er)?)|\b(?:Aalborg\s+)?Universitetshospital)$"
)
ROOM = re.compile(
    r"\b(?:\w*lokale\w*|mødesal|lok\.|kantine|byrådssal\w*|auditorium)\b",
    re.IGNORECASE,
)
POSTCODE = re.compile(r"\b\d{4}\s+[A-ZÆØÅ]")
ONLINE = re.compile(r"\b(?:teams|skype|zoom|online|videomøde)\b", re.IGNORECASE)

MAX_TITLE = 500
MAX_NAME = 255


def clean_line(line):
    """A line without Markdown heading marks and without bold around the
    whole line ("#### **Punkt 1: …**" → "Punkt 1: …")."""
    line = unicodedata.normalize("NFC", line).replace("\t", " ").strip()
    line = re.sub(r"^#{1,6}\s*", "", line)
    match = re.fullmatch(r"\*\*(.+?)\*\*\s*([.:]?)", line)
    if match and "**" not in match.group(1):
        line = match.group(1) + match.group(2)
    return line.strip()


def plain(text):
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).replace("**", "").strip()


def split_paragraph_lines(text):
    """The text as lines, with a blank line between paragraphs.

    Text extracted from DOCX and PDF has no blank lines: every paragraph is
    a line of its own (DOCX), or a paragraph is broken over several lines
    (PDF), which are joined again when a line does not end a sentence and
    the next one starts in lower case.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if any(not line.strip() for line in lines[1:-1]) or len(lines) < 3:
        return lines
    result = []
    for line in lines:
        stripped = line.strip()
        if (
            result
            and stripped[:1].islower()
            and result[-1]
            and not re.search(r"[.:;!?]$", result[-1].strip())
            and not LABEL.match(clean_line(result[-1]))
        ):
            result[-1] = result[-1].rstrip() + " " + stripped
            continue
        if result:
            result.append("")
        result.append(line)
    return result


# --- dates and times ---------------------------------------------------------


def find_date(text, strict=False):
    """(date, match) of the first Danish date in `text`, or (None, None).

    Raises ParseError for a date written with a month name that does not
    exist (31. februar) and for a wrong weekday; a group of numbers that is
    no date (a case number) is skipped unless `strict` (a labelled date)."""
    for pattern in (DATE_WORDS, DATE_NUMBERS, DATE_ISO):
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = parts["month"]
            month = int(month) if month.isdigit() else MONTHS[month.lower()]
            year = int(parts["year"])
            if year < 100:
                year += 2000
            try:
                found = date(year, month, int(parts["day"]))
            except ValueError as exc:
                if pattern is DATE_WORDS or strict:
                    raise ParseError(
                        _("Datoen „%(text)s“ findes ikke.")
                        % {"text": match.group(0).strip()}
                    ) from exc
                continue
            weekday = (parts.get("weekday") or "").lower()
            if weekday and DANISH_WEEKDAYS[found.weekday()] != weekday:
                raise ParseError(
                    _("Ugedagen i „%(text)s“ passer ikke med datoen.")
                    % {"text": match.group(0).strip()}
                )
            return found, match
    return None, None


def find_times(text):
    """(start, end, match): the first valid times in `text` (end may be
    None), or (None, None, None). "27.00" in a case number is no time."""
    for pattern in (TIME_RANGE, TIME_HOURS):
        for match in pattern.finditer(text):
            parts = match.groupdict()
            try:
                start = time(int(parts["h1"]), int(parts.get("m1") or 0))
                end = None
                if parts["h2"]:
                    end = time(int(parts["h2"]), int(parts.get("m2") or 0))
            except ValueError:
                continue
            return start, end, match
    return None, None, None


# --- people ------------------------------------------------------------------


def _split_outside_parentheses(text, separator):
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == separator and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def is_name(text):
    words = text.split()
    return 2 <= len(words) <= 6 and bool(NAME.match(text)) and len(text) <= MAX_NAME


def split_title_organisation(rest, organisation_names=()):
    """("direktør", "Aalborg kommune") from "direktør Aalborg kommune": a
    known organisation name (or short name) at the end wins, then a comma,
    then what looks like an organisation ("… Kommune", "Region …", "PLO")."""
    rest = " ".join(rest.split()).strip(" ,;")
    lowered = rest.lower()
    for name in sorted(organisation_names, key=len, reverse=True):
        name = " ".join(name.split()).lower()
        if not name:
            continue
        if lowered == name:
            return "", rest
        if lowered.endswith(" " + name):
            return rest[: -len(name)].strip(" ,"), rest[-len(name) :]
    if "," in rest:
        title, _sep, organisation = rest.rpartition(",")
        return title.strip(), organisation.strip()
    match = ORGANISATION_SUFFIX.search(rest)
    if match:
        return rest[: match.start()].strip(" ,"), match.group("org")
    return rest, ""


def parse_person(line, attendance=PRESENT, organisation_names=()):
    """A ParsedPerson from one line, or None if it does not start with a
    name."""
    text = plain(BULLET.sub("", line.strip())).strip(" .;")
    name, rest = text, ""
    if match := re.match(r"^(.+?)\s+[–—-]\s+(.+)$", text):
        name, rest = match.groups()
    elif match := re.match(r"^(.+?)\s*\((.+)\)$", text):
        name, rest = match.groups()
    elif "," in text:
        name, _sep, rest = text.partition(",")
    name = name.strip()
    if not is_name(name):
        return None
    title, organisation = split_title_organisation(rest, organisation_names)
    return ParsedPerson(
        name=name,
        title=title[:MAX_NAME],
        organisation=organisation[:MAX_NAME],
        attendance=attendance,
        line=line.strip(),
    )


def parse_people(value, attendance=PRESENT, organisation_names=()):
    """People from a labelled line ("Afbud: Anne Holm (Rebild Kommune),
    Peter Berg (PLO)" or "Deltagere: A; B; C"), or None if it is not a list
    of people."""
    value = value.strip().rstrip(".")
    if not value:
        return []
    if ";" in value:
        pieces = _split_outside_parentheses(value, ";")
    else:
        pieces = _split_outside_parentheses(value, ",")
        # "A, B og C"
        if pieces and " og " in pieces[-1]:
            last = pieces.pop()
            pieces += [piece.strip() for piece in last.split(" og ")]
        heads = [re.sub(r"\s*\(.*\)$", "", piece) for piece in pieces]
        if not all(is_name(head) for head in heads):
            pieces = [value]
    people = [parse_person(piece, attendance, organisation_names) for piece in pieces]
    return None if any(person is None for person in people) else people


# --- the parser --------------------------------------------------------------


class _Parser:
    def __init__(self, organisation_names):
        self.result = ParsedMinutes()
        self.organisation_names = list(organisation_names)
        self.state = "front"  # front, people, agenda, item, after
        self.attendance = PRESENT
        self.pending = None  # a label whose value is on the next line
        self.item = None
        self.mode = "description"
        self.style = None  # "punkt" or "numbered": how items are numbered
        self.chunks = {}  # (item number, mode) -> [lines]
        self.date_text = ""
        self._date = self._start_time = self._end_time = None

    # helpers

    def unrecognised(self, line):
        self.result.unrecognised.append(line.strip())

    def add_content(self, line):
        key = (self.item.number, self.mode)
        self.chunks.setdefault(key, []).append(line)
        for number in ATTACHMENT_REFERENCE.findall(plain(line)):
            label = f"Bilag {number}"
            if label not in self.item.attachments:
                self.item.attachments.append(label)

    def blank(self):
        if self.item is not None and self.state == "item":
            self.chunks.setdefault((self.item.number, self.mode), []).append("")

    def start_item(self, number, title, mode="description"):
        title = plain(title).strip(" *")
        closed = bool(CLOSED.search(title))
        if closed:
            title = CLOSED.sub("", title).strip(" –-:")
        existing = self.result.item(number)
        if existing is None:
            existing = ParsedItem(number=number, title=title[:MAX_TITLE], closed=closed)
            self.result.items.append(existing)
        elif title and not existing.title:
            existing.title = title[:MAX_TITLE]
        existing.closed = existing.closed or closed
        self.item = existing
        self.mode = mode
        self.state = "item"
        self.pending = "item_title" if not existing.title else None

    def add_people(self, people):
        self.result.people.extend(people)

    def person(self, value, attendance=PRESENT):
        return parse_person(value, attendance, self.organisation_names)

    # the line types

    def item_heading(self, line):
        if match := ITEM_AD.match(line):
            number = int(match["number"])
            self.start_item(number, match["title"], mode="decision")
            return True
        if match := ITEM_PUNKT.match(line):
            if len(line) > 300 or (self.style == "numbered"):
                return False
            self.style = "punkt"
            self.start_item(int(match["number"]), match["title"])
            return True
        if match := ITEM_NUMBERED.match(line):
            number = int(match["number"])
            expected = self.item.number + 1 if self.item else 1
            title = plain(match["title"])
            if (
                self.style in (None, "numbered")
                and number == expected
                and len(line) <= 200
                and (title[:1].isupper() or title[:1].isdigit())
                # "1. Anne Holm, Aalborg Kommune" in a list of people
                and not (self.state == "people" and self.person(title))
            ):
                self.style = "numbered"
                self.start_item(number, title)
                return True
        return False

    def label(self, line):
        match = LABEL.match(plain(line))
        if not match:
            return False
        kind = LABEL_KIND[match["label"].lower()]
        value = (match["value"] or "").strip()
        if kind in ITEM_LABELS:
            if self.state != "item":
                return False  # e.g. "Referat" as the heading
            if kind == "recommendation" and RECOMMENDATION_START.match(value):
                self.mode = "recommendation"
                self.add_content(value)
                return True
            self.mode = kind
            if value:
                self.add_line_to_item(value)
            return True
        if kind in ("participants", "apologies", "ad_hoc"):
            attendance = {"participants": PRESENT, "apologies": APOLOGIES}.get(
                kind, AD_HOC
            )
            if value:
                people = parse_people(value, attendance, self.organisation_names)
                if people is None:
                    return False
                self.add_people(people)
                self.state = "people" if self.state != "item" else self.state
            else:
                self.state = "people"
            self.attendance = attendance
            return True
        if kind == "agenda":
            if value:
                return False
            self.state = "agenda"
            return True
        if kind == "referent":
            if value:
                self.set_referent(value)
            else:
                self.pending = "referent"
            return True
        if kind == "chair":
            if not value:
                self.pending = "chair"
                return True
            chair = self.person(value)
            if chair is None:
                return False
            self.result.chair = chair
            return True
        if self.state == "item":
            return False  # "Tid:" or "Sted:" in an item's text is text
        if kind in ("date", "date_place"):
            if not value:
                self.pending = kind
                return True
            return self.date(value, required=True, place_label=kind == "date_place")
        if kind == "place":
            if not value:
                self.pending = "place"
                return True
            self.place(value)
            return True
        if kind == "room":
            if not value:
                self.pending = "room"
                return True
            self.result.room = value[:MAX_NAME]
            return True
        if kind == "body":
            if not value:
                return False
            self.result.body = value
            if not self.result.meeting_title:
                self.result.meeting_title = f"Møde i {value}"
            return True
        return False

    def set_referent(self, value):
        referent = self.person(value)
        if referent is None:
            self.unrecognised(value)
            return
        self.result.minute_taker = referent
        if self.state == "item":
            self.state = "after"

    def date(self, value, required=False, place_label=False):
        found, match = find_date(value, strict=required)
        rest = value[: match.start()] + " " + value[match.end() :] if match else value
        start, end, time_match = find_times(rest)
        if found is None and start is None:
            if required:
                raise ParseError(
                    _("Datoen i „%(line)s“ kan ikke læses.") % {"line": value}
                )
            return False
        if found is not None and self.date_text:
            return False  # a second date is text (e.g. the next meeting)
        if found is None and self.result.time_found:
            return False
        if found is not None:
            self.date_text = value
            self.result.date_line = value
            self._date = found
        if start is not None and not self.result.time_found:
            self.result.time_found = True
            self._start_time, self._end_time = start, end
        if time_match:
            rest = rest[: time_match.start()] + " " + rest[time_match.end() :]
        # "Tid og sted: 6. november 2019 kl. 16.30, Regionshuset": the rest
        # is the place; any other rest is kept for the editor.
        leftover = re.sub(
            r"\b(?:kl\.?|klokken|den|d\.|fra|til)(?!\w)", " ", rest, flags=re.I
        )
        leftover = " ".join(leftover.split()).strip(" ,;:–—-.")
        if leftover:
            if place_label or POSTCODE.search(leftover) or ROOM.search(leftover):
                self.place(leftover)
            else:
                self.unrecognised(leftover)
        return True

    def place(self, value):
        parts = [part.strip() for part in value.split(",") if part.strip()]
        rooms = [part for part in parts if ROOM.search(part)]
        if rooms and not self.result.room:
            self.result.room = rooms[0][:MAX_NAME]
            parts = [part for part in parts if part not in rooms[:1]]
        if parts:
            place = ", ".join(parts)
            if self.result.location and POSTCODE.search(place):
                self.result.location = f"{self.result.location}, {place}"
            else:
                self.result.location = place
        elif not rooms:
            self.unrecognised(value)

    def front_line(self, line):
        text = plain(line)
        if not self.result.heading and HEADING.match(text):
            self.result.heading = text
            rest = HEADING_REST.sub("", text).strip()
            if rest:
                self.set_title(rest)
            return
        if self.date(text):
            return
        if ROOM.search(text) and not self.result.room and len(text) <= 100:
            self.place(text)
            return
        if (POSTCODE.search(text) or ONLINE.search(text)) and len(text) <= 200:
            self.place(text)
            return
        if self.result.heading and not self.result.meeting_title and len(text) <= 200:
            self.set_title(text)
            return
        self.unrecognised(line)

    def set_title(self, text):
        text = text.strip(" :–-")
        self.result.meeting_title = (text[:1].upper() + text[1:])[:MAX_TITLE]
        self.result.body = MEETING_OF.sub("", text).strip()

    def add_line_to_item(self, line):
        text = plain(line)
        starts_paragraph = not self.chunks.get((self.item.number, self.mode)) or (
            self.chunks[(self.item.number, self.mode)][-1] == ""
        )
        # "Det indstilles, at …" begins the recommendation, also right
        # under "Ad 2" (which otherwise holds the decision).
        chunk = self.chunks.get((self.item.number, self.mode))
        if (
            starts_paragraph
            and (
                self.mode in ("description", "recommendation")
                or (self.mode == "decision" and not any(chunk or []))
            )
            and RECOMMENDATION_START.match(text)
        ):
            self.mode = "recommendation"
        if self.mode == "attachments":
            match = ATTACHMENT_LINE.match(text)
            label = f"Bilag {match['number']}" if match else text
            if match and match["title"]:
                label = f"{label}: {match['title']}"
            self.item.attachments.append(label[:MAX_NAME])
            return
        self.add_content(line.strip())

    def pending_line(self, line):
        kind, self.pending = self.pending, None
        text = plain(line)
        if kind == "item_title":
            if len(text) <= 200 and not LABEL.match(text):
                self.item.title = text[:MAX_TITLE]
                return True
            return False
        if kind == "referent":
            self.set_referent(text)
            return True
        if kind == "chair":
            chair = self.person(text)
            if chair is not None:
                self.result.chair = chair
                return True
            return False
        if kind in ("date", "date_place"):
            return self.date(text, required=True, place_label=kind == "date_place")
        if kind == "place":
            self.place(text)
            self.pending = "place_more" if not POSTCODE.search(text) else None
            return True
        if kind == "place_more":
            if POSTCODE.search(text) and len(text) <= 200:
                self.place(text)
                return True
            return False
        if kind == "room":
            self.result.room = text[:MAX_NAME]
            return True
        return False

    def feed(self, raw):
        line = clean_line(raw)
        if not line:
            self.blank()
            return
        if self.pending and self.pending_line(line):
            return
        if self.state == "after":
            if not self.label(line):
                self.unrecognised(raw)
            return
        if self.item_heading(plain(line)):
            return
        if self.label(line):
            return
        if self.state == "item":
            self.add_line_to_item(line)
        elif self.state == "people":
            person = self.person(line, self.attendance)
            if person is not None:
                self.result.people.append(person)
            elif people := parse_people(line, self.attendance, self.organisation_names):
                self.add_people(people)
            else:
                # The people end where the date or place begins.
                self.front_line(line)
        elif self.state == "front":
            self.front_line(line)
        else:
            self.unrecognised(raw)

    def finish(self):
        result = self.result
        for item in result.items:
            for mode in ("description", "recommendation", "decision"):
                lines = self.chunks.get((item.number, mode), [])
                setattr(item, mode, _blocks(lines))
        if not self.date_text:
            raise ParseError(_("Mødets dato blev ikke fundet."))
        day = self._date
        if result.time_found:
            start = datetime.combine(day, self._start_time, TIME_ZONE)
            if self._end_time:
                end = datetime.combine(day, self._end_time, TIME_ZONE)
                result.end_found = end > start
            if not result.end_found:
                end = start + timedelta(hours=2)
        else:
            start = datetime.combine(day, time(0, 0), TIME_ZONE)
            end = datetime.combine(day, time(23, 59), TIME_ZONE)
        result.start, result.end = start, end
        return result


def _blocks(lines):
    """Blocks from an item's lines: bullets ("• ", "* ") become Markdown's
    "- " so that they make a list."""
    text = "\n".join(re.sub(r"^(?:[*•▪●])\s+", "- ", line) for line in lines)
    return blocks(text)


def parse_minutes(text, organisation_names=()):
    """ParsedMinutes from the text of minutes. `organisation_names` (names
    and short names of the known organisations) help to split "title
    organisation" in participant lines. Raises ParseError (Danish) when the
    text has no usable date."""
    parser = _Parser(organisation_names)
    for line in split_paragraph_lines(text):
        parser.feed(line)
    return parser.finish()


def known_names(organisations):
    """Names and short names of organisations, for `parse_minutes`."""
    names = []
    for organisation in organisations:
        names.append(organisation.name)
        if organisation.short_name:
            names.append(organisation.short_name)
    return [name for name in names if name and normalise_name(name)]
