"""From the text of minutes (referat) to a `ParsedMinutes`: pure functions,
no database.

Danish municipal and regional minutes share their parts but not their
layout. The parser reads line by line; what it knows is data, in the tables
below, not code:

- `HEADINGS`: the heading ("Referat fra møde i …", "Byrådet - Referat",
  "Sundhedsstyregruppen 6. maj 2015 (Referat)", "Dagsordener og referater
  fra …"), from which the title and the body come;
- `LABELS`: labelled lines ("Mødedato:", "Sted:", "Deltagere", "Afbud",
  "Referent", "Indstilling", "Beslutning", …), with the value on the same
  line or the next;
- `LINE_RULES`: every other kind of line, tried in order: web-page chrome
  ("Til toppen"), a letter-style opening ("til mødet i … den … kl. … i …"),
  case numbers ("Sagsnr.", "J.nr.", KLE numbers), decision headings
  ("Beslutning i <udvalg> den <dato>", "<Udvalg>, 03-04-2019, pkt. 42"),
  attendance sentences ("Alle var mødt, undtagen …"), a table of contents
  with dot leaders, sections in capitals, lists of attached files;
- `ITEM_HEADINGS` and `ITEM_TITLE_SUFFIXES`: numbered agenda items ("Punkt
  1: …", "Pkt. 1", "Sag nr. 129", "1. …", "Ad 1") and what a title may carry
  (a time "(kl. 13.00-14.00)", "(lukket)", "(B)");
- `ATTENDANCE_SENTENCES`, `PARTIES`, `TITLE_WORDS`: people in sentences and
  lists ("Navn (A)", "Direktør Navn, Kommune", "Navn – titel").

Every line that is not blank ends up in a field, in `recognised_lines` (a
line read as structure: a label, a repeated heading, page chrome) or in
`unrecognised`: nothing is dropped, and the importer shows the editor what
it could not place.
"""

import re
import unicodedata
from collections import Counter
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
    party: str = ""  # "A", "V", "Ø", … as written after the name
    line: str = ""


@dataclass
class CaseNumber:
    """A case or journal number as the minutes write it ("Sagsnr. 12/838",
    "J.nr.: 00.01.00.A10-0001/2013"), normalised: `number` without the
    label, and for a KLE number its subject (`kle`, "29.30.00") and facet
    ("G01")."""

    number: str
    label: str = ""
    kle: str = ""
    facet: str = ""
    line: str = ""

    def __str__(self):
        return self.number


@dataclass
class ParsedItem:
    number: int
    title: str
    closed: bool = False
    description: list = field(default_factory=list)  # blocks
    recommendation: list = field(default_factory=list)
    decision: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # ["Bilag 5", …]
    case_numbers: list = field(default_factory=list)  # [CaseNumber]
    start_time: time | None = None  # "(kl. 13.00-14.00)" in the heading
    end_time: time | None = None
    listed: bool = False  # named in a table of contents or agenda

    @property
    def has_text(self):
        """Whether the minutes give the item's text, not only its title (a
        table of contents may list items whose text is not included)."""
        return bool(self.description or self.recommendation or self.decision)


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
    case_numbers: list = field(default_factory=list)  # the meeting's [CaseNumber]
    recognised_lines: list = field(default_factory=list)  # structure, as written
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

    def all_case_numbers(self):
        """[(item number or None, CaseNumber)] in the order of the minutes."""
        found = [(None, case) for case in self.case_numbers]
        for item in self.items:
            found += [(item.number, case) for case in item.case_numbers]
        return found


# --- words -------------------------------------------------------------------


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
# Web publishing systems sometimes print the date in English ("April 3, 2019").
ENGLISH_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
WEEKDAY = _alternatives(*DANISH_WEEKDAYS)
MONTH = _alternatives(*sorted(MONTHS, key=len, reverse=True))
ENGLISH_MONTH = _alternatives(*ENGLISH_MONTHS)

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
DATE_ENGLISH = re.compile(
    rf"(?:\b(?P<weekday>{WEEKDAY})\b[\s,]*)?"
    rf"\b(?P<month>{ENGLISH_MONTH})\s+(?P<day>\d{{1,2}}),\s*(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
DATE_PATTERNS = (DATE_WORDS, DATE_NUMBERS, DATE_ISO, DATE_ENGLISH)
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

# --- labels --------------------------------------------------------------------

# A label alone on its line ("Afbud", "Referent:") or with a value after a
# colon ("Afbud: Anne Holm"); the kinds in SPACED_LABELS also with the value
# after a space ("Mødedato Onsdag d. 27. august 2025 kl. 16:00").
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
        "mødedeltagelse",
        "mødedeltagelse / afbud",
        "bestyrelsen",
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
    "agenda": [
        "dagsorden",
        "dagsordenspunkter",
        "dagsorden og referat",
        "indholdsfortegnelse",
    ],
    "description": [
        "sagsfremstilling",
        "sagsbeskrivelse",
        "baggrund",
        "resumé",
        "resume",
        "beskrivelse",
        "sagens kerne",
        "beslutningstema",
        "beslutningskompetence",
        "sagsforløb",
        "personale",
        "økonomi",
        "økonomiske konsekvenser",
        "borgmesterens afdelings påtegning",
        "påtegning",
        "høring",
        "kommunikation",
    ],
    "recommendation": [
        "indstilling",
        "indstillinger",
        "forslag til beslutning",
        "indstilling til beslutning",
        "beslutningspunkter",
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
SPACED_LABELS = {"date", "place", "room"}
LABEL = re.compile(
    r"^(?P<label>"
    + _alternatives(
        *sorted(
            (re.escape(word) for words in LABELS.values() for word in words),
            key=len,
            reverse=True,
        )
    )
    + r")(?:\s*[:.]\s*(?P<value>.*)|\s+(?P<spaced>.+)|\s*)$",
    re.IGNORECASE,
)
LABEL_KIND = {word: kind for kind, words in LABELS.items() for word in words}
# Labels that mark where an item's text goes; elsewhere they are text.
ITEM_LABELS = {"description", "recommendation", "decision", "attachments"}
# A labelled list of people whose label names the body ("Bestyrelsen: …").
BODY_MEMBER_LABELS = {"bestyrelsen"}

# --- headings ------------------------------------------------------------------

# The heading of the minutes; `title` is the body or the meeting, `date` (if
# any) the meeting's date.
HEADINGS = [
    re.compile(
        r"^(?:møde)?(?:referat|beslutningsprotokol|protokol)\b(?!\w)\s*"
        r"(?:fra|af|for)?\s*[:–—-]?\s*(?P<title>.*)$",
        re.IGNORECASE,
    ),
    # "Byrådet - Referat", "Sundhedsudvalget - Referat - 13. december 2011"
    re.compile(
        r"^(?P<title>.+?)\s+[-–—]\s+referat\b(?:\s+[-–—]\s+(?P<date>.+))?$",
        re.IGNORECASE,
    ),
    # "Sundhedsstyregruppen 06. maj 2015 (Referat)"
    re.compile(
        r"^(?P<title>.+?)\s+(?P<date>\d{1,2}\.\s*\S+\s+\d{4})\s*\(referat\)$",
        re.IGNORECASE,
    ),
    # "Dagsordener og referater fra midlertidigt udvalg vedrørende …"
    re.compile(
        r"^dagsorde?ne?r\s+og\s+referater\s+(?:fra\s+|for\s+)?(?P<title>.+)$",
        re.IGNORECASE,
    ),
]
# A first line that names the body ("Kommunalbestyrelsen").
BODY_LINE = re.compile(
    r"^[\w -]*(?:udvalg|byråd|kommunalbestyrelse|regionsråd|styregruppe|klynge|"
    r"forum)\w*$",
    re.IGNORECASE,
)
# A word for the meeting itself at the start of the date line
# ("Bestyrelsesmøde 29. januar 2016 kl. 10.00, …").
MEETING_WORD = re.compile(r"^[A-ZÆØÅ][\w-]*møde$")
MEETING_OF = re.compile(
    r"^(?:det\s+|et\s+)?(?:\w+\s+)?møde[t]?\s+(?:i|for|med)\s+", re.IGNORECASE
)
# An election period after the body's name: "Udvalget (2018-2021)".
PERIOD = re.compile(r"\s*\(\d{4}\s*-\s*\d{4}\)\s*$")

# --- items ---------------------------------------------------------------------

ITEM_AD = re.compile(
    r"^ad\.?\s+(?:punkt\s*|pkt\.?\s*)?(?P<number>\d{1,3})\b\s*[:.)–—-]?\s*"
    r"(?P<title>.*)$",
    re.IGNORECASE,
)
ITEM_PUNKT = re.compile(
    r"^(?:punkt|pkt\.?|sag(?:\s+nr\.?)?|dagsordenspunkt)\s*(?P<number>\d{1,3})"
    r"\b\s*[:.)–—-]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
ITEM_NUMBERED = re.compile(r"^(?P<number>\d{1,3})\s*[.)]\s+(?P<title>\S.*)$")
# What a title may carry, taken off and kept as a field.
CLOSED = re.compile(
    r"^lukket(?:\s+punkt)?\s*[:–—-]\s*|\s*[(\[]\s*lukket(?:\s+punkt)?\s*[)\]]",
    re.IGNORECASE,
)
ITEM_TIME = re.compile(
    r"\s*\(\s*(?:kl\.?\s*)?(?P<h1>\d{1,2})[.:](?P<m1>\d{2})\s*[-–]\s*"
    r"(?:kl\.?\s*)?(?P<h2>\d{1,2})[.:](?P<m2>\d{2})\s*\)\s*$",
    re.IGNORECASE,
)
# "(B)" beslutning, "(O)" orientering, "(D)" drøftelse after a title.
ITEM_KIND = re.compile(r"\s*\((?:B|O|D|I|B/O|O/B)\)\s*$")
ITEM_TITLE_SUFFIXES = [("closed", CLOSED), ("time", ITEM_TIME), ("kind", ITEM_KIND)]

RECOMMENDATION_START = re.compile(
    r"^(?:\*\*)?(?:det\s+indstilles|det\s+foreslås|"
    r"(?:forvaltningen|administrationen|sekretariatet|direktionen|direktøren|"
    r"formandskabet|staben|\w+forvaltningen)\s+(?:indstiller|foreslår))\b",
    re.IGNORECASE,
)
# A recommendation that began with "… indstiller," goes on with "at …".
RECOMMENDATION_MORE = re.compile(r"^(?:\d+[.)]\s*|[-•]\s*)?at\b", re.IGNORECASE)
# A decision written without a label right under the heading.
SHORT_DECISION = re.compile(
    r"^(?:godkendt|godkendes|orienteredes|orienteringen\s+blev\s+taget\s+til\s+"
    r"efterretning|taget\s+til\s+efterretning|tages\s+til\s+efterretning|"
    r"drøftet|drøftedes|vedtaget|anbefales)\b[^.]{0,80}\.?$",
    re.IGNORECASE,
)
ATTACHMENT_REFERENCE = re.compile(r"\bbilag\s+(?:nr\.\s*)?(\d{1,3}[a-z]?)\b", re.I)
ATTACHMENT_LINE = re.compile(
    r"^(?:[-*•]\s*)?(?:bilag\s*(?:nr\.\s*)?)?(?P<number>\d{1,3}[a-z]?)"
    r"\s*[.:)–—-]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
ATTACHMENT_FILE = re.compile(r"\S+\.(?:pdf|docx?|xlsx?|pptx?|odt)\b", re.IGNORECASE)

# --- people --------------------------------------------------------------------

BULLET = re.compile(r"^(?:[-*•▪●o\u0335]|\d{1,2}[.)])\s+")
NAME_WORD = r"[A-ZÆØÅÉÜÖÄ][\w'’.-]*"
NAME_PARTICLES = {"von", "van", "de", "la", "af", "du"}
NAME = re.compile(
    rf"^{NAME_WORD}(?:\s+(?:{NAME_WORD}|{_alternatives(*NAME_PARTICLES)}))*$",
)
# Danish party letters, "Navn (A)" or "Navn, A".
PARTIES = re.compile(r"^(?:[ABCDFIKLMOQVÅÆØ]|UP|DD|LA|ALT|EL|SF|RV|KF|UFP)$")
PARTY_AFTER_NAME = re.compile(
    r"^(?P<name>.+?)\s*\((?P<party>[ABCDFIKLMOQVÅÆØ]|UP|DD|LA|ALT|EL|SF|RV|KF|UFP)\)$"
)
PARTY_NAMES = re.compile(
    r"^(?:Socialdemokratiet|Venstre|Det Konservative Folkeparti|Konservative|"
    r"Socialistisk Folkeparti|SF|Enhedslisten|Dansk Folkeparti|Radikale Venstre|"
    r"Det Radikale Venstre|Liberal Alliance|Moderaterne|Danmarksdemokraterne|"
    r"Alternativet|Nye Borgerlige|Kristendemokraterne|Slesvigsk Parti)$",
    re.IGNORECASE,
)
# Job titles before a name ("Lægefaglig direktør Jens Friis Bak").
TITLE_WORD = re.compile(
    r"(?:direktør|formand|koordinator|repræsentant|chef|konsulent|læge|borgmester|"
    r"rådmand|leder|sekretær|medlem|suppleant|sygeplejerske)$"
)
ORGANISATION_BEFORE_NAME = re.compile(r"^(?P<org>PLO(?:-\w+)?)\s+(?P<rest>.+)$")
CHAIR_TITLE = re.compile(r"^(?:formand|mødeleder)$", re.IGNORECASE)
APOLOGY_SUFFIX = re.compile(r"[\s,–—-]*\bafbud$", re.IGNORECASE)
ORGANISATION_SUFFIX = re.compile(
    r"(?P<org>\b[A-ZÆØÅ][\wæøå-]*\s+[Kk]ommune|\bRegion\s+[A-ZÆØÅ]\w+|"
    r"\bPLO(?:-[A-ZÆØÅ]\w+)?|\b[A-ZÆØÅ][\wæøå-]*\s+(?:Universitetshospital|"
    r"[Ss]ygehus|[Hh]ospital(?:er)?)|\b(?:Aalborg\s+)?Universitetshospital)$"
)
# Sentences that say who attended: (pattern, attendance of each group).
ATTENDANCE_SENTENCES = [
    (
        re.compile(
            r"^alle\s+var\s+mødt,?\s+undtagen\s+(?P<absent>.+?),?\s+(?:som|der)\s+"
            r"havde\s+meldt\s+afbud\.?$",
            re.IGNORECASE,
        ),
    ),
    (re.compile(r"^(?:der\s+(?:er|var)\s+)?afbud\s+fra\s+(?P<absent>.+?)\.?$", re.I),),
    (re.compile(r"^(?P<absent>.+?)\s+var\s+fraværende\.?$", re.IGNORECASE),),
    (
        re.compile(
            r"^(?P<absent>.+?)\s+[-–]\s+(?P<present>.+?)\s+mødte\s+som\s+"
            r"stedfortræder\.?$",
            re.IGNORECASE,
        ),
    ),
    (
        re.compile(
            r"^(?P<absent>.+?),\s*suppleant\s+(?P<present>.+?)\s+deltog\.?$",
            re.IGNORECASE,
        ),
    ),
]

# --- places --------------------------------------------------------------------

ROOM = re.compile(
    r"\b(?:\w*lokale\w*|mødesal|mødeværelse|lok\.|kantine|byrådssal\w*|"
    r"auditorium)\b",
    re.IGNORECASE,
)
POSTCODE = re.compile(r"\b\d{4}\s+[A-ZÆØÅ]")
ONLINE = re.compile(r"\b(?:teams|skype|zoom|online|videomøde)\b", re.IGNORECASE)

# --- case numbers ----------------------------------------------------------------

CASE_LABEL = (
    r"sagnr\.?|sags\s*nr\.?|sagsnummer|j\.\s*nr\.?|jnr\.?|journal\s*nr\.?|"
    r"journalnummer|sagsid\.?"
)
CASE_NUMBER = re.compile(
    rf"^(?P<label>{CASE_LABEL})\s*[:.]?\s*(?P<number>[\w./-]*\d[\w./-]*)"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
CASE_NUMBER_ALONE = re.compile(
    r"^(?P<number>[A-ZÆØÅ]{2,5}-\d{4}-\d{3,}|"
    r"\d{2}\.\d{2}\.\d{2}(?:[-.]?[A-ZÆØÅ]\d{2})(?:-\d+-\d+)?)$"
)
KLE = re.compile(r"^(?P<kle>\d{2}\.\d{2}\.\d{2})(?:[-.]?(?P<facet>[A-ZÆØÅ]\d{2}))?")

# --- lines -----------------------------------------------------------------------

# Text taken off a line before it is read (and kept as recognised text).
LINE_PREFIXES = re.compile(r"^fold dette punkt ind\s+", re.IGNORECASE)
# (name, pattern, states where it applies or None for all, handler)
LINE_RULES = [
    (
        "chrome",
        re.compile(
            r"^(?:[•▪●]\s*)?(?:luk alle punkter(?:\s+referat)?|fold alle ud|til toppen|"
            r"udskriv|"
            r"tilbage til oversigt)$",
            re.IGNORECASE,
        ),
        None,
        "rule_structure",
    ),
    (
        "letter_fragment",
        re.compile(r"^(?:til|mødet i|til mødet i)$", re.IGNORECASE),
        {"front", "people"},
        "rule_structure",
    ),
    (
        "letter_opening",
        re.compile(
            r"^(?:(?:dagsorden|referat)\s+)?til\s+mødet\s+i\b\s*(?P<rest>.*)$",
            re.IGNORECASE,
        ),
        {"front", "people", "agenda"},
        "rule_letter_opening",
    ),
    ("case_number", CASE_NUMBER, None, "rule_case_number"),
    ("case_number_alone", CASE_NUMBER_ALONE, None, "rule_case_number"),
    (
        "agenda_glued",
        re.compile(
            r"^(?:indholdsfortegnelse|dagsorden)(?P<rest>\d{1,3}\.\s+\S.*)$",
            re.IGNORECASE,
        ),
        None,
        "rule_agenda_glued",
    ),
    (
        "decision_heading",
        re.compile(r"^(?:beslutning|behandling|referat)\s+i\s+(?P<rest>.+?):?$", re.I),
        {"item", "people"},
        "rule_decision_heading",
    ),
    (
        "treatment_heading",
        re.compile(
            r"^(?P<body>[^,]{3,120}),\s*(?P<date>\d{1,2}[-.]\d{1,2}[-.]\d{4}|"
            rf"\d{{1,2}}\.\s*(?:{MONTH})\s+\d{{4}}),\s*pkt\.\s*\d{{1,3}}:?$",
            re.IGNORECASE,
        ),
        {"item", "people"},
        "rule_treatment_heading",
    ),
    (
        "open_marker",
        re.compile(r"^(?:åbent|åben|åben sag|åbent punkt)$", re.IGNORECASE),
        {"item"},
        "rule_structure",
    ),
    ("attendance", None, None, "rule_attendance"),
    (
        "caps_section",
        re.compile(r"^(?=(?:.*[A-ZÆØÅ]){6})[A-ZÆØÅ0-9 ,.&/()–-]{8,}$"),
        {"item"},
        "rule_caps_section",
    ),
    (
        "attachment_files",
        re.compile(r"^(?:\S+\.(?:pdf|docx?|xlsx?|pptx?|odt)\s*)+$", re.IGNORECASE),
        {"item"},
        "rule_attachment_files",
    ),
    (
        "toc_line",
        re.compile(r"^(?P<title>.+?)\s*(?:\.{3,}|…+)\s*(?P<page>\d{1,3}|[ivxl]+)$"),
        {"agenda"},
        "rule_toc_line",
    ),
    (
        "toc_line_plain",
        re.compile(r"^(?P<title>\D.+?)\s+(?P<page>\d{1,3})$"),
        {"agenda"},
        "rule_toc_line_plain",
    ),
]

# A letter-style opening starts a line of its own even in text without
# blank lines ("Referat … Gødstrup-klyngen" / "til" / "mødet i" / "den …").
NO_JOIN = re.compile(r"^(?:til(?:\s+mødet\b|$)|fold dette punkt ind\b)", re.IGNORECASE)

MAX_TITLE = 500
MAX_NAME = 255


def clean_line(line):
    """A line without Markdown heading marks and without bold around the
    whole line ("#### **Punkt 1: …**" → "Punkt 1: …"), table bars
    ("at | dagsorden godkendes |") as spaces."""
    line = unicodedata.normalize("NFC", line).replace("\t", " ").strip()
    line = re.sub(r"^#{1,6}\s*", "", line)
    match = re.fullmatch(r"\*\*(.+?)\*\*\s*([.:]?)", line)
    if match and "**" not in match.group(1):
        line = match.group(1) + match.group(2)
    line = re.sub(r"\s*\|\s*", " ", line)
    return line.strip()


def without_bold_marks(text):
    """`text` without the **bold** marks the readers leave, stripped."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).replace("**", "").strip()


def normalised(text):
    return " ".join(without_bold_marks(text).split()).casefold()


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
            and not NO_JOIN.match(stripped)
        ):
            result[-1] = result[-1].rstrip() + " " + stripped
            continue
        if result:
            result.append("")
        result.append(line)
    return result


# --- dates and times ---------------------------------------------------------


def _month(value):
    if value.isdigit():
        return int(value)
    value = value.lower()
    return MONTHS.get(value) or ENGLISH_MONTHS[value]


def find_date(text, strict=False):
    """(date, match) of the first Danish date in `text`, or (None, None).

    Raises ParseError for a date written with a month name that does not
    exist (31. februar) and for a wrong weekday; a group of numbers that is
    no date (a case number) is skipped unless `strict` (a labelled date)."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            year = int(parts["year"])
            if year < 100:
                year += 2000
            try:
                found = date(year, _month(parts["month"]), int(parts["day"]))
            except ValueError as exc:
                if pattern in (DATE_WORDS, DATE_ENGLISH) or strict:
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


def _title_before_name(text):
    """("Lægefaglig direktør", "Jens Friis Bak") from "Lægefaglig direktør
    Jens Friis Bak": the words up to the last job title or lower-case word,
    when there is a job title among them."""
    words = text.split()
    last, titled = -1, False
    for index, word in enumerate(words[:-2]):
        lowered = word.casefold()
        if TITLE_WORD.search(lowered):
            last, titled = index, True
        elif word[:1].islower() and lowered not in NAME_PARTICLES:
            last = index
    if last < 0 or not titled:
        return "", text
    return " ".join(words[: last + 1]), " ".join(words[last + 1 :])


def _name_and_party(text):
    match = PARTY_AFTER_NAME.match(text.strip())
    if match:
        return match["name"].strip(), match["party"]
    return text.strip(), ""


def parse_person(line, attendance=PRESENT, organisation_names=()):
    """A ParsedPerson from one line, or None if it does not start with a
    name. Knows "Name – title organisation", "Name, title, organisation",
    "Name (organisation)", "Name (A)" and "Name, A" (a party), "Direktør
    Name, organisation" and "…, Næstformand- afbud"."""
    text = without_bold_marks(BULLET.sub("", line.strip())).strip(" .;")
    if match := APOLOGY_SUFFIX.search(text):
        if match.start() > 0:
            attendance, text = APOLOGIES, text[: match.start()]
    organisation_first = ""
    if match := ORGANISATION_BEFORE_NAME.match(text):
        organisation_first, text = match["org"], match["rest"]
    candidates = []
    if match := re.match(r"^(.+?)\s+[–—-]\s+(.+)$", text):
        candidates.append(match.groups())
    if "," in text:
        candidates.append(tuple(part.strip() for part in text.split(",", 1)))
    if match := re.match(r"^(.+?)\s*\((.+)\)$", text):
        candidates.append(match.groups())
    candidates.append((text, ""))
    for name, rest in candidates:
        name, party = _name_and_party(name)
        prefix, name = _title_before_name(name)
        if not is_name(name):
            continue
        rest = rest.strip()
        if not party and (PARTIES.match(rest) or PARTY_NAMES.match(rest)):
            party, rest = rest, ""
        elif rest.startswith("(") and (found := re.match(r"^\((\w{1,3})\)\s*", rest)):
            if PARTIES.match(found.group(1)):
                party, rest = found.group(1), rest[found.end() :]
        title, organisation = split_title_organisation(rest, organisation_names)
        title = " ".join(part for part in (prefix, title) if part)
        return ParsedPerson(
            name=name,
            title=title[:MAX_NAME],
            organisation=(organisation or organisation_first)[:MAX_NAME],
            attendance=attendance,
            party=party,
            line=line.strip(),
        )
    return None


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


def attendance_sentence(text, organisation_names=()):
    """The people a sentence names with their attendance ("Alle var mødt,
    undtagen A og B, som havde meldt afbud." → A and B with apologies), or
    None."""
    text = without_bold_marks(text).strip()
    for (pattern,) in ATTENDANCE_SENTENCES:
        match = pattern.match(text)
        if not match:
            continue
        people = []
        for group, attendance in (("absent", APOLOGIES), ("present", PRESENT)):
            if group in match.groupdict() and match[group]:
                found = parse_people(match[group], attendance, organisation_names)
                if not found:
                    break
                people += found
        else:
            return people
    return None


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
        self.recommendation_by_phrase = False
        self.style = None  # "punkt" or "numbered": how items are numbered
        self.chunks = {}  # (item number, mode) -> [lines]
        self.date_text = ""
        self._date = self._start_time = self._end_time = None
        self.pending_cases = []
        self.title_repeat = None  # a line that repeats the item's title
        self.last_sink = self.previous_sink = None  # where the last line went
        self.toc_dots = False  # a table of contents with dot leaders

    # helpers

    def recognised(self, line):
        self.result.recognised_lines.append(line.strip())

    def unrecognised(self, line):
        self.result.unrecognised.append(line.strip())
        self.last_sink = (self.result.unrecognised, len(self.result.unrecognised) - 1)

    def add_content(self, line):
        key = (self.item.number, self.mode)
        chunk = self.chunks.setdefault(key, [])
        chunk.append(line)
        self.last_sink = (chunk, len(chunk) - 1)
        for number in ATTACHMENT_REFERENCE.findall(without_bold_marks(line)):
            label = f"Bilag {number}"
            if label not in self.item.attachments:
                self.item.attachments.append(label)

    def take_back_last_line(self):
        """The last line, if it was placed as text and could be a title (the
        layout "Title" / "Sag nr. 130"), taken back from where it went."""
        if not self.previous_sink:
            return ""
        sink, index = self.previous_sink
        if index != len(sink) - 1:
            return ""
        text = without_bold_marks(sink[index])
        if not text or len(text) > 200 or text.endswith((".", ":")):
            return ""
        sink.pop()
        return text

    def blank(self):
        if self.item is not None and self.state == "item":
            self.chunks.setdefault((self.item.number, self.mode), []).append("")

    def flush_cases(self, item=None):
        if not self.pending_cases:
            return
        target = item or self.item
        (target.case_numbers if target else self.result.case_numbers).extend(
            self.pending_cases
        )
        self.pending_cases = []

    def start_item(self, number, title, mode="description", listed=False):
        title = without_bold_marks(title).strip(" *")
        closed, start, end = False, None, None
        for kind, pattern in ITEM_TITLE_SUFFIXES:
            match = pattern.search(title)
            if not match:
                continue
            if kind == "closed":
                closed = True
            elif kind == "time":
                start, end = _times_of(match)
                if start is None:
                    continue
            title = (title[: match.start()] + title[match.end() :]).strip(" –-:")
        existing = self.result.item(number)
        if existing is None:
            existing = ParsedItem(
                number=number, title=title[:MAX_TITLE], closed=closed, listed=listed
            )
            self.result.items.append(existing)
            self.title_repeat = None
        else:
            self.title_repeat = existing.title
            if title and not existing.title:
                existing.title = title[:MAX_TITLE]
            elif (
                title
                and normalised(existing.title).startswith(normalised(title))
                and normalised(existing.title) != normalised(title)
            ):
                # A heading broken over two lines: the table of contents
                # has the whole title, the next line is its rest.
                self.title_repeat = existing.title[len(title) :].strip()
        existing.closed = existing.closed or closed
        existing.start_time = existing.start_time or start
        existing.end_time = existing.end_time or end
        self.flush_cases(existing)
        self.item = existing
        self.mode = mode
        self.recommendation_by_phrase = False
        self.state = "agenda" if listed else "item"
        self.pending = "item_title" if not existing.title else None
        return existing

    def add_people(self, people):
        known = {normalise_name(person.name): person for person in self.result.people}
        for person in people:
            key = normalise_name(person.name)
            if key in known:
                # "Afbud" after the list of members: the member sent apologies.
                if person.attendance == APOLOGIES:
                    known[key].attendance = APOLOGIES
                known[key].party = known[key].party or person.party
                known[key].title = known[key].title or person.title
                continue
            self.result.people.append(person)
            known[key] = person
            if (
                self.result.chair is None
                and person.title
                and CHAIR_TITLE.match(person.title.split(",")[0].strip())
            ):
                self.result.chair = person

    def person(self, value, attendance=PRESENT):
        return parse_person(value, attendance, self.organisation_names)

    # line rules (LINE_RULES); a handler returns False to let the line be
    # read further

    def rule_structure(self, match, line):
        self.recognised(line)

    def rule_letter_opening(self, match, line):
        rest = match["rest"].strip()
        found, date_match = find_date(rest)
        if found is None:
            return False
        body = rest[: date_match.start()]
        body = re.sub(r"\s+(?:den|d\.)\s*$", "", body.strip(), flags=re.I).strip()
        if body and not self.result.body:
            self.set_title(body)
        self.recognised(line)
        self.date(rest[date_match.start() :], place_label=True)

    def rule_case_number(self, match, line):
        number = match["number"].strip(" .,;")
        kle = KLE.match(number)
        self.pending_cases.append(
            CaseNumber(
                number=number,
                label=(match.groupdict().get("label") or "").strip(),
                kle=kle["kle"] if kle else "",
                facet=(kle["facet"] or "") if kle else "",
                line=line.strip(),
            )
        )
        self.recognised(line)

    def rule_agenda_glued(self, match, line):
        self.recognised(line)
        self.state = "agenda"
        self.feed(match["rest"])

    def rule_decision_heading(self, match, line):
        if self.item is None:
            return False
        rest = match["rest"]
        found, date_match = find_date(rest)
        if found is None:
            return False
        body = rest[: date_match.start()]
        body = re.sub(
            rf"\s+(?:(?:{WEEKDAY})\s+)?(?:den|d\.)?\s*$", "", body, flags=re.I
        )
        self.decision_from(body.strip(" ,"))
        self.recognised(line)

    def rule_treatment_heading(self, match, line):
        if self.item is None:
            return False
        found, _match = find_date(match["date"])
        if found is None or found != self._date:
            # An earlier committee's treatment: part of the case.
            self.state, self.mode = "item", "description"
            return False
        self.decision_from(match["body"].strip())
        self.recognised(line)

    def decision_from(self, body):
        self.state, self.mode = "item", "decision"
        if body and not self.result.body:
            self.result.body = body
            self.result.meeting_title = self.result.meeting_title or body

    def rule_attendance(self, match, line):
        people = attendance_sentence(line, self.organisation_names)
        if not people:
            return False
        self.add_people(people)
        if self.state == "item":
            return False  # also the item's text ("Der er afbud fra …")
        self.recognised(line)

    def rule_caps_section(self, match, line):
        self.mode = "description"
        self.add_content(line)

    def rule_attachment_files(self, match, line):
        for name in ATTACHMENT_FILE.findall(line):
            self.item.attachments.append(name[:MAX_NAME])
        self.recognised(line)

    def rule_toc_line(self, match, line):
        title = match["title"].strip(" .")
        number = self.result.items[-1].number + 1 if self.result.items else 1
        self.start_item(number, title, listed=True)
        self.toc_dots = True
        self.recognised(line)

    def rule_toc_line_plain(self, match, line):
        if not self.toc_dots:
            return False
        return self.rule_toc_line(match, line)

    def apply_rules(self, line):
        for _name, pattern, states, handler in LINE_RULES:
            if states is not None and self.state not in states:
                continue
            match = pattern.match(line) if pattern is not None else True
            if match and getattr(self, handler)(match, line) is not False:
                return True
        return False

    # the line types

    def item_heading(self, line):
        text = BULLET.sub("", line) if re.match(r"^[•▪●]\s", line) else line
        if match := ITEM_AD.match(text):
            number = int(match["number"])
            self.start_item(number, match["title"], mode="decision")
            self.recognised(line)
            return True
        if match := ITEM_PUNKT.match(text):
            if len(text) > 300 or (self.style == "numbered"):
                return False
            self.style = "punkt"
            number, title = int(match["number"]), match["title"]
            if not title and self.result.item(number) is None:
                title = self.take_back_last_line()
            self.start_item(number, title)
            self.recognised(line)
            return True
        if match := ITEM_NUMBERED.match(text):
            number = int(match["number"])
            expected = self.item.number + 1 if self.item else 1
            title = without_bold_marks(match["title"])
            existing = self.result.item(number)
            reopens = existing is not None and _same_title(existing.title, title)
            if (reopens and self.style != "punkt") or (
                self.style in (None, "numbered")
                and number == expected
                and len(text) <= 200
                and (title[:1].isupper() or title[:1].isdigit())
                # "1. Anne Holm, Aalborg Kommune" in a list of people
                and not (self.state == "people" and self.person(title))
            ):
                self.style = "numbered"
                listed = self.state == "agenda" and not reopens
                self.start_item(number, title, listed=listed)
                self.recognised(line)
                return True
        return False

    def label(self, line):
        match = LABEL.match(without_bold_marks(BULLET.sub("", line)))
        if not match:
            return False
        kind = LABEL_KIND[match["label"].lower()]
        value = (match["value"] or "").strip()
        if match["spaced"]:
            if kind not in SPACED_LABELS or self.state == "item":
                return False
            value = match["spaced"].strip()
            if kind == "room":  # "Mødelokale D" is the room's name
                value = without_bold_marks(BULLET.sub("", line))
        if kind in ITEM_LABELS:
            if self.item is not None and self.state in ("people", "agenda"):
                self.state = "item"
            if self.state != "item":
                return False  # e.g. "Referat" as the heading
            if self.mode == "attachments" and kind != "decision" and not value:
                return False  # an attachment named "Indstilling"
            self.recognised(line.removesuffix(value) if value else line)
            if kind == "recommendation" and RECOMMENDATION_START.match(value):
                self.mode = "recommendation"
                self.add_content(value)
                return True
            self.mode = kind
            self.recommendation_by_phrase = False
            if value:
                self.add_line_to_item(value)
            return True
        if kind in ("participants", "apologies", "ad_hoc"):
            attendance = {"participants": PRESENT, "apologies": APOLOGIES}.get(
                kind, AD_HOC
            )
            if match["label"].lower() in BODY_MEMBER_LABELS:
                if not value:
                    return False
                if not self.result.body:
                    self.result.body = match["label"]
            if value:
                people = attendance_sentence(value, self.organisation_names)
                if people is None:
                    people = parse_people(value, attendance, self.organisation_names)
                if people is None:
                    return False
                self.add_people(people)
                if self.state != "item":
                    self.state = "people"
            else:
                self.state = "people"
            self.attendance = attendance
            self.recognised(line)
            return True
        if kind == "agenda":
            if value:
                return False
            self.state = "agenda"
            self.recognised(line)
            return True
        if kind == "referent":
            self.recognised(line)
            if value:
                self.set_referent(value)
            else:
                self.pending = "referent"
            return True
        if kind == "chair":
            self.recognised(line)
            if not value:
                self.pending = "chair"
                return True
            chair = self.person(value)
            if chair is None:
                self.result.recognised_lines.pop()
                return False
            self.result.chair = chair
            return True
        if self.state == "item":
            return False  # "Tid:" or "Sted:" in an item's text is text
        self.recognised(line)
        if kind in ("date", "date_place"):
            if not value:
                self.pending = kind
                return True
            if self.date(value, required=True, place_label=kind == "date_place"):
                return True
            self.result.recognised_lines.pop()
            return False
        if kind in ("place", "room"):
            if not value:
                self.pending = kind
                return True
            self.place(value)
            return True
        if kind == "body":
            if not value:
                self.result.recognised_lines.pop()
                return False
            self.result.body = value
            if not self.result.meeting_title:
                self.result.meeting_title = f"Møde i {value}"
            return True
        self.result.recognised_lines.pop()
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
        if found is not None and self.date_text and found != self._date:
            return False  # a second date is text (e.g. the next meeting)
        if found is None and self.result.time_found:
            return False
        if found is not None and not self.date_text:
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
        leftover = re.sub(r"^i\s+", "", leftover)
        first, _sep, remainder = leftover.partition(",")
        if MEETING_WORD.match(first.strip()) and not self.result.meeting_title:
            self.result.meeting_title = first.strip()
            leftover = remainder.strip()
        if leftover:
            if place_label or POSTCODE.search(leftover) or ROOM.search(leftover):
                self.place(leftover)
            else:
                self.unrecognised(leftover)
        return True

    def place(self, value):
        parts = [
            (quoted or bare).strip()
            for quoted, bare in re.findall(r'["“”]([^"“”]+)["“”]|([^,"“”]+)', value)
        ]
        parts = [part for part in parts if part]
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

    def heading(self, text):
        for pattern in HEADINGS:
            match = pattern.match(text)
            if not match:
                continue
            self.result.heading = text
            parts = match.groupdict()
            if parts.get("date"):
                self.date(parts["date"])
            title = (parts.get("title") or "").strip()
            if title:
                self.set_title(title)
            return True
        return False

    def front_line(self, line):
        text = without_bold_marks(line)
        if not self.result.heading and self.heading(text):
            self.recognised(line)
            return
        if (
            not self.result.heading
            and not self.result.meeting_title
            and text[:1].isupper()
            and BODY_LINE.match(text)
        ):
            self.set_title(text)
            self.recognised(line)
            return
        if self.date(text):
            self.recognised(line)
            return
        if ROOM.search(text) and not self.result.room and len(text) <= 100:
            self.place(text)
            self.recognised(line)
            return
        if (POSTCODE.search(text) or ONLINE.search(text)) and len(text) <= 200:
            self.place(text)
            self.recognised(line)
            return
        if self.result.heading and not self.result.meeting_title and len(text) <= 200:
            self.set_title(text)
            self.recognised(line)
            return
        self.unrecognised(line)

    def set_title(self, text):
        text = text.strip(" :–-")
        found, match = find_date(text)
        if found is not None:
            # "Byrådet d. 27-08-2025": the date is the meeting's.
            self.date(text[match.start() :])
            text = re.sub(r"\s+(?:den|d\.)$", "", text[: match.start()].strip())
        text = PERIOD.sub("", text).strip(" :–-")
        if not text:
            return
        self.result.meeting_title = (text[:1].upper() + text[1:])[:MAX_TITLE]
        self.result.body = MEETING_OF.sub("", text).strip()

    def add_line_to_item(self, line):
        text = without_bold_marks(line)
        chunk = self.chunks.get((self.item.number, self.mode))
        starts_paragraph = not chunk or chunk[-1] == ""
        if (
            self.mode == "recommendation"
            and self.recommendation_by_phrase
            and starts_paragraph
            and not RECOMMENDATION_MORE.match(text)
        ):
            # "Administrationen indstiller, at …" is one paragraph; what
            # follows is the case again.
            self.mode = "description"
            self.recommendation_by_phrase = False
            chunk = self.chunks.get((self.item.number, self.mode))
        # "Det indstilles, at …" begins the recommendation, also right
        # under "Ad 2" (which otherwise holds the decision).
        if (
            starts_paragraph
            and (
                self.mode == "description"
                or (self.mode == "decision" and not any(chunk or []))
            )
            and RECOMMENDATION_START.match(text)
        ):
            self.mode = "recommendation"
            self.recommendation_by_phrase = True
        elif (
            self.mode == "description"
            and not any(chunk or [])
            and not self.item.decision
            and not any(self.chunks.get((self.item.number, "decision"), []))
            and SHORT_DECISION.match(text)
        ):
            self.mode = "decision"
        if self.mode == "attachments":
            match = ATTACHMENT_LINE.match(text)
            label = f"Bilag {match['number']}" if match else text
            if match and match["title"]:
                label = f"{label}: {match['title']}"
            self.item.attachments.append(label[:MAX_NAME])
            self.recognised(line)
            return
        self.add_content(line.strip())

    def pending_line(self, line):
        kind, self.pending = self.pending, None
        text = without_bold_marks(line)
        if kind == "item_title":
            if len(text) <= 200 and not LABEL.match(text):
                self.item.title = text[:MAX_TITLE]
                self.recognised(line)
                return True
            return False
        if kind == "referent":
            self.set_referent(text)
            self.recognised(line)
            return True
        if kind == "chair":
            chair = self.person(text)
            if chair is not None:
                self.result.chair = chair
                self.recognised(line)
                return True
            return False
        if kind in ("date", "date_place"):
            if self.date(text, required=True, place_label=kind == "date_place"):
                self.recognised(line)
                return True
            return False
        if kind in ("place", "room"):
            self.place(text)
            self.recognised(line)
            self.pending = "place_more" if not POSTCODE.search(text) else None
            return True
        if kind == "place_more":
            if POSTCODE.search(text) and len(text) <= 200:
                self.place(text)
                self.recognised(line)
                return True
            return False
        return False

    def feed(self, raw):
        line = clean_line(raw)
        if not line:
            self.blank()
            return
        self.previous_sink, self.last_sink = self.last_sink, None
        if prefix := LINE_PREFIXES.match(line):
            self.recognised(prefix.group(0))
            line = line[prefix.end() :]
        if self.pending and self.pending_line(line):
            return
        if self.title_repeat is not None:
            repeat, self.title_repeat = self.title_repeat, None
            if repeat and normalised(line) == normalised(repeat):
                self.recognised(raw)
                return
        if not (
            CASE_NUMBER.match(line)
            or CASE_NUMBER_ALONE.match(line)
            or self.item_heading_ahead(without_bold_marks(line))
        ):
            self.flush_cases()  # a case number before a heading is the item's
        if self.state == "after":
            if not self.label(line):
                self.unrecognised(raw)
            return
        if self.apply_rules(line):
            return
        if self.item_heading(without_bold_marks(line)):
            return
        if self.label(line):
            return
        if self.state == "item":
            self.add_line_to_item(line)
        elif self.state == "people":
            person = self.person(line, self.attendance)
            if person is not None:
                self.add_people([person])
                self.recognised(raw)
            elif people := parse_people(line, self.attendance, self.organisation_names):
                self.add_people(people)
                self.recognised(raw)
            elif self.item is not None:
                # The people listed inside an item end with its text.
                self.state = "item"
                self.add_line_to_item(line)
            else:
                # The people end where the date or place begins.
                self.front_line(line)
        elif self.state == "front":
            self.front_line(line)
        else:
            self.unrecognised(raw)

    def item_heading_ahead(self, line):
        line = BULLET.sub("", line) if re.match(r"^[•▪●]\s", line) else line
        return any(p.match(line) for p in (ITEM_NUMBERED, ITEM_PUNKT, ITEM_AD))

    def finish(self):
        result = self.result
        self.flush_cases()
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


def _times_of(match):
    try:
        return (
            time(int(match["h1"]), int(match["m1"])),
            time(int(match["h2"]), int(match["m2"])),
        )
    except ValueError:
        return None, None


def _same_title(listed, title):
    """Whether a numbered line repeats a title listed before (a table of
    contents, then the items' text)."""
    strip = [pattern for kind, pattern in ITEM_TITLE_SUFFIXES]
    a, b = without_bold_marks(listed), without_bold_marks(title)
    for pattern in strip:
        a, b = pattern.sub("", a), pattern.sub("", b)
    return bool(a) and normalised(a) == normalised(b)


def _blocks(lines):
    """Blocks from an item's lines: bullets ("• ", "* ") become Markdown's
    "- " so that they make a list."""
    text = "\n".join(re.sub(r"^(?:[*•▪●\u0335])\s+", "- ", line) for line in lines)
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


def words(text):
    """The words of a text (letters and digits), case-folded, for counting
    what a parse kept."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def kept_words(parsed):
    """Every word the parse result holds, in fields, recognised lines or
    unrecognised lines."""
    counter = Counter()

    def walk(value):
        if isinstance(value, str):
            counter.update(words(value))
        elif isinstance(value, list | tuple):
            for part in value:
                walk(part)
        elif isinstance(value, ParsedPerson | ParsedItem | CaseNumber):
            for part in vars(value).values():
                walk(part)

    for name, value in vars(parsed).items():
        if name not in ("start", "end"):
            walk(value)
    return counter


def known_names(organisations):
    """Names and short names of organisations, for `parse_minutes`."""
    names = []
    for organisation in organisations:
        names.append(organisation.name)
        if organisation.short_name:
            names.append(organisation.short_name)
    return [name for name in names if name and normalise_name(name)]
