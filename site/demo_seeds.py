"""Read the demo's source documents in `demo_content/`: the terms of
reference (kommissorium) of the political clusters and the minutes (referat)
of a meeting of Klyngestyregruppe Midt, as the region published them.

The demo shows their text as it is, typos included ("hkan", "Sundheds-
kordinationsudvalget"): the parser only finds where sections, items and
paragraphs begin and end. A document that does not have the expected shape
raises `SeedError` rather than giving half a demo.

Text comes out as blocks: a paragraph is a string (with the seed's inline
`**bold**`), a bullet list is a list of strings. `rich_text` turns blocks into
Wagtail rich text. Those helpers are shared with the minutes importer
(`klynge_pages.importing.text`).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from klynge_pages.dates import DANISH_MONTHS, DANISH_WEEKDAYS
from klynge_pages.importing.text import (  # noqa: F401 - re-exported
    blocks,
    rich_text,
    strip_markdown,
)

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
KOMMISSORIUM_FILE = CONTENT_DIR / "kommissorium-politiske-klynger.txt"
MINUTES_FILE = CONTENT_DIR / "referat-klyngestyregruppe-midt-2019-11-06.md"

TIME_ZONE = ZoneInfo("Europe/Copenhagen")

# The section headings of a kommissorium, with the keys of TermsSectionBlock.
KOMMISSORIUM_SECTIONS = {
    "Formål": "formaal",
    "Struktur": "struktur",
    "Sammensætning": "sammensaetning",
    "Mødefrekvens og form": "moedefrekvens",
    "Mødeindhold": "moedeindhold",
    "Sekretariatsbetjening": "sekretariat",
}


class SeedError(ValueError):
    """A seed document does not have the shape the demo expects."""


# --- Kommissorium -----------------------------------------------------------


@dataclass
class Section:
    key: str  # the TermsSectionBlock key, e.g. "formaal"
    heading: str  # as in the document, e.g. "Formål"
    body: list  # blocks


@dataclass
class Kommissorium:
    heading: str  # "Kommissorium"
    title: str  # "De politiske klynger på sundhedsaftaleområdet"
    chair: str  # "Formandskab"
    secretariat: str  # "Sekretariat"
    approved_by: str  # "Godkendt i …", with the line-break hyphen undone
    approved_on: str  # the date after "Godkendt i …:", blank in the seed
    sections: list  # [Section], in the document's order
    # {"Nord": ["Hjørring Kommune", …, "Region Nordjylland", "PLO"], …}, from
    # the "Struktur" section, in the document's order.
    clusters: dict = field(default_factory=dict)

    def section(self, key):
        return next(section for section in self.sections if section.key == key)


def read_kommissorium(path=None):
    path = path or KOMMISSORIUM_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    headings = [
        (number, line.strip())
        for number, line in enumerate(lines)
        if line.strip() in KOMMISSORIUM_SECTIONS
    ]
    if [name for _, name in headings] != list(KOMMISSORIUM_SECTIONS):
        raise SeedError(
            f"{path.name}: expected the sections {', '.join(KOMMISSORIUM_SECTIONS)}, "
            "each on a line of its own and in that order"
        )
    ends = [number for number, _ in headings[1:]] + [len(lines)]
    sections = [
        Section(
            key=KOMMISSORIUM_SECTIONS[name],
            heading=name,
            body=blocks("\n".join(lines[start + 1 : end])),
        )
        for (start, name), end in zip(headings, ends, strict=True)
    ]

    # Before "Formål": the heading, the title, then "Label:" with its value
    # on the next line (the approval date is left blank).
    front = blocks("\n".join(lines[: headings[0][0]]))
    if len(front) < 2:
        raise SeedError(f"{path.name}: expected a heading and a title")
    labels = {}
    for block in front[2:]:
        label, colon, value = block.partition(":")
        if not colon:
            raise SeedError(f"{path.name}: expected “Label: value”, got {block!r}")
        labels[label.strip()] = value.strip()
    approval = next((label for label in labels if label.startswith("Godkendt i ")), "")
    if not approval or not {"Formandskab", "Sekretariat"} <= set(labels):
        raise SeedError(
            f"{path.name}: expected Formandskab, Sekretariat and Godkendt i … "
            "before Formål"
        )
    return Kommissorium(
        heading=front[0],
        title=front[1],
        chair=labels["Formandskab"],
        secretariat=labels["Sekretariat"],
        # "Sundheds- koordinationsudvalget": a word broken over two lines.
        approved_by=re.sub(
            r"(\w)- (\w)", r"\1\2", approval.removeprefix("Godkendt i ")
        ),
        approved_on=labels[approval],
        sections=sections,
        clusters=dict(
            _cluster_members(path, line)
            for line in next(s for s in sections if s.key == "struktur").body
        ),
    )


STRUCTURE_LINE = re.compile(r"^Klynge (\w+): (.+)\.$")


def _cluster_members(path, line):
    # "Klynge Midt: Aalborg Kommune, Jammerbugt Kommune, Region Nordjylland og PLO."
    match = isinstance(line, str) and STRUCTURE_LINE.match(line)
    if not match:
        raise SeedError(f"{path.name}: not a “Klynge …: members.” line: {line!r}")
    area, members = match.groups()
    parts = re.split(r",\s*(?:og\s+)?|\s+og\s+", members)
    return area, [part.strip() for part in parts if part.strip()]


# --- Minutes ----------------------------------------------------------------


@dataclass
class Participant:
    name: str
    title: str
    organisation: str  # one of the known organisation names
    line: str  # as in the seed, e.g. "Bente Gravesen – direktør Aalborg kommune"


@dataclass
class Item:
    number: int
    title: str  # as in the seed, without "Punkt N:" and the bold markup
    description: list = field(default_factory=list)  # blocks
    recommendation: list = field(default_factory=list)  # "**Det indstilles**, at …"
    decision: list = field(default_factory=list)  # blocks after "Referat:"


@dataclass
class Minutes:
    heading: str  # "Referat fra Møde i Klyngestyregruppe MIDT"
    meeting_title: str  # "Møde i Klyngestyregruppe MIDT"
    start: datetime
    end: datetime
    room: str
    location_name: str
    location_address: str
    participants: list  # [Participant]
    items: list  # [Item]
    referent: str

    def item(self, number):
        return next(item for item in self.items if item.number == number)


ITEM_HEADING = re.compile(r"^(?:#+\s*)?\*\*Punkt (\d+)[:.]\s*(.+?)\*\*$")
DECISION_LABEL = re.compile(r"^\*\*Referat[:.]?\*\*$")
RECOMMENDATION = "**Det indstilles**"
DATE_LINE = re.compile(
    r"^(\w+) den (\d{1,2})\. (\w+) (\d{4}) kl\. (\d{1,2})\.(\d{2})"
    r"\s*[–-]\s*(\d{1,2})\.(\d{2})$"
)


def read_minutes(path=None, organisations=()):
    """Parse the minutes. `organisations` are the known organisation names,
    used to split "title organisation" in the participant lines."""
    path = path or MINUTES_FILE
    lines = [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()]
    try:
        heading_at = next(n for n, line in enumerate(lines) if line.startswith("## "))
        participants_at = lines.index("### Mødedeltagere")
        agenda_at = lines.index("### Dagsorden")
        referent_at = lines.index("Referent")
    except (StopIteration, ValueError) as exc:
        raise SeedError(
            f"{path.name}: expected a “## …” heading, “### Mødedeltagere”, "
            "“### Dagsorden” and “Referent”, in that order"
        ) from exc
    heading = lines[heading_at].removeprefix("## ").strip()

    # Date and time, room, place: one line each under the heading.
    facts = [line.strip() for line in lines[heading_at + 1 : participants_at]]
    facts = [line for line in facts if line]
    if len(facts) != 3:
        raise SeedError(f"{path.name}: expected date and time, room and place")
    start, end = _meeting_times(path, facts[0])
    location_name, _, location_address = facts[2].partition(", ")

    participants = [
        _participant(path, line.strip(), organisations)
        for line in lines[participants_at + 1 : agenda_at]
        if line.strip()
    ]
    referent = next(
        (line.strip() for line in lines[referent_at + 1 :] if line.strip()), ""
    )
    if not referent:
        raise SeedError(f"{path.name}: no name after “Referent”")
    items = _items(lines[agenda_at + 1 : referent_at])
    if [item.number for item in items] != list(range(1, len(items) + 1)):
        raise SeedError(f"{path.name}: agenda items are not numbered 1, 2, 3, …")
    return Minutes(
        heading=heading,
        meeting_title=heading.removeprefix("Referat fra ").strip(),
        start=start,
        end=end,
        room=facts[1],
        location_name=location_name,
        location_address=location_address,
        participants=participants,
        items=items,
        referent=referent,
    )


def _meeting_times(path, line):
    # "Onsdag den 6. november 2019 kl. 16.30 – 18.00"
    match = DATE_LINE.match(line)
    if not match or match.group(3).lower() not in DANISH_MONTHS:
        raise SeedError(f"{path.name}: no Danish date and time in {line!r}")
    weekday, day, month, year, start_h, start_m, end_h, end_m = match.groups()
    month = DANISH_MONTHS.index(month.lower()) + 1
    start = datetime(int(year), month, int(day), int(start_h), int(start_m))
    end = datetime(int(year), month, int(day), int(end_h), int(end_m))
    if DANISH_WEEKDAYS[start.weekday()] != weekday.lower():
        raise SeedError(f"{path.name}: {line!r}: the weekday does not match the date")
    return start.replace(tzinfo=TIME_ZONE), end.replace(tzinfo=TIME_ZONE)


def _participant(path, line, organisations):
    # "Bente Gravesen – direktør Aalborg kommune" (dash or hyphen; the seed
    # writes "kommune" in lower case).
    parts = re.split(r"\s+[–-]\s+", line, maxsplit=1)
    if len(parts) != 2:
        raise SeedError(f"{path.name}: expected “name – title organisation”: {line!r}")
    name, rest = parts
    for organisation in sorted(organisations, key=len, reverse=True):
        if rest.lower().endswith(" " + organisation.lower()):
            title = rest[: -len(organisation)].strip()
            return Participant(name.strip(), title, organisation, line)
    raise SeedError(f"{path.name}: no known organisation in {line!r}")


def _items(lines):
    """Agenda items: the heading "**Punkt N: title**", the case
    (sagsfremstilling), "**Det indstilles**, at …", then "**Referat:**" and
    what was decided."""
    items = []
    chunk = []
    in_decision = False

    def flush():
        text = "\n".join(chunk)
        chunk.clear()
        if not items:
            if text.strip():
                raise SeedError(f"text before the first agenda item: {text[:40]!r}")
            return
        item = items[-1]
        for block in blocks(text):
            if in_decision:
                item.decision.append(block)
            elif isinstance(block, str) and block.startswith(RECOMMENDATION):
                item.recommendation.append(block)
            elif item.recommendation:
                raise SeedError(
                    f"Punkt {item.number}: text after the recommendation and "
                    "before “Referat:”"
                )
            else:
                item.description.append(block)

    for line in lines:
        if match := ITEM_HEADING.match(line.strip()):
            flush()
            in_decision = False
            items.append(Item(number=int(match.group(1)), title=match.group(2)))
        elif DECISION_LABEL.match(line.strip()):
            flush()
            in_decision = True
        else:
            chunk.append(line)
    flush()
    return items
