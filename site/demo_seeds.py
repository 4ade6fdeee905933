"""Read the demo's source documents in `demo_content/`: the terms of
reference of the political clusters and a set of minutes, as the region
published them. The demo shows their text as it is, typos included.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
KOMMISSORIUM_FILE = CONTENT_DIR / "kommissorium-politiske-klynger.txt"
MINUTES_FILE = CONTENT_DIR / "referat-klyngestyregruppe-midt-2019-11-06.md"

# The section headings of a kommissorium, with the keys of TermsSectionBlock.
KOMMISSORIUM_SECTIONS = {
    "Formål": "formaal",
    "Struktur": "struktur",
    "Sammensætning": "sammensaetning",
    "Mødefrekvens og form": "moedefrekvens",
    "Mødeindhold": "moedeindhold",
    "Sekretariatsbetjening": "sekretariat",
}

DANISH_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}


def paragraphs(text):
    """Blocks of text separated by blank lines, each joined into one line."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [
        " ".join(line.strip() for line in block.splitlines())
        for block in blocks
        if block.strip()
    ]


# --- Kommissorium -----------------------------------------------------------


@dataclass
class Kommissorium:
    title: str
    chair: str
    secretariat: str
    approved_by: str
    # [(section key, heading, [paragraphs])], in the document's order.
    sections: list
    # {"Nord": ["Hjørring Kommune", …, "Region Nordjylland", "PLO"], …}
    clusters: dict


def read_kommissorium(path=KOMMISSORIUM_FILE):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    heading_positions = [
        (index, line.strip())
        for index, line in enumerate(lines)
        if line.strip() in KOMMISSORIUM_SECTIONS
    ]
    if [name for _, name in heading_positions] != list(KOMMISSORIUM_SECTIONS):
        raise ValueError(
            f"{path.name}: expected the sections {list(KOMMISSORIUM_SECTIONS)}"
        )

    sections = []
    for position, (start, name) in enumerate(heading_positions):
        end = (
            heading_positions[position + 1][0]
            if position + 1 < len(heading_positions)
            else len(lines)
        )
        body = "\n".join(lines[start + 1 : end])
        sections.append((KOMMISSORIUM_SECTIONS[name], name, paragraphs(body)))

    front = paragraphs("\n".join(lines[: heading_positions[0][0]]))
    labelled = dict(_labelled_values(front))
    structure = next(body for key, _, body in sections if key == "struktur")
    return Kommissorium(
        title=front[1],
        chair=labelled["Formandskab"],
        secretariat=labelled["Sekretariat"],
        approved_by=_approved_by(front),
        sections=sections,
        clusters=dict(_cluster_members(line) for line in structure),
    )


def _labelled_values(front):
    # "Formandskab: Værtskabet leder mødet" (label and value on two lines).
    for block in front:
        label, _, value = block.partition(":")
        if value.strip():
            yield label.strip(), value.strip()


def _approved_by(front):
    # "Godkendt i Sundheds- koordinationsudvalget:" with the date left blank.
    block = next(block for block in front if block.startswith("Godkendt i"))
    body = block.removeprefix("Godkendt i").rstrip(":").strip()
    return body.replace("- ", "")


def _cluster_members(line):
    # "Klynge Midt: Aalborg Kommune, Jammerbugt Kommune, Region Nordjylland og PLO."
    name, _, members = line.partition(":")
    members = members.strip().rstrip(".")
    parts = re.split(r",\s*(?:og\s+)?|\s+og\s+", members)
    return name.removeprefix("Klynge").strip(), [
        part.strip() for part in parts if part.strip()
    ]


# --- Minutes ----------------------------------------------------------------


@dataclass
class Participant:
    name: str
    title: str
    organisation: str


@dataclass
class Item:
    number: int
    title: str
    description: list = field(default_factory=list)
    recommendation: str = ""
    # Paragraphs, and lists as ["- a", "- b"] blocks.
    decision: list = field(default_factory=list)


@dataclass
class Minutes:
    heading: str
    meeting_title: str
    start: datetime
    end: datetime
    room: str
    location_name: str
    location_address: str
    participants: list
    items: list
    referent: str


ITEM_HEADING = re.compile(r"^(?:#+\s*)?\*\*Punkt (\d+)[:.]\s*(.+?)\*\*\s*$")
DECISION_LABEL = re.compile(r"^\*\*Referat[:.]?\*\*$")
DATE_LINE = re.compile(
    r"(\d{1,2})\. (\w+) (\d{4}) kl\. (\d{1,2})\.(\d{2})\s*[–-]\s*(\d{1,2})\.(\d{2})"
)


def strip_markdown(text):
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip()


def read_minutes(path=MINUTES_FILE, organisations=()):
    """Parse the minutes. `organisations` are the known organisation names,
    used to split "title organisation" in the participant lines."""
    text = path.read_text(encoding="utf-8")
    lines = [line.rstrip() for line in text.splitlines()]

    heading = next(line for line in lines if line.startswith("## ")).removeprefix("## ")
    head_end = lines.index("### Mødedeltagere")
    head = [
        line.strip()
        for line in lines[:head_end]
        if line.strip() and not line.startswith("#")
    ]
    date_line, room, place = head[0], head[1], head[2]
    start, end = _meeting_times(date_line)
    location_name, _, location_address = place.partition(", ")

    agenda_start = lines.index("### Dagsorden")
    participants = [
        _participant(line.strip(), organisations)
        for line in lines[head_end + 1 : agenda_start]
        if line.strip()
    ]

    referent_at = lines.index("Referent")
    referent = next(line.strip() for line in lines[referent_at + 1 :] if line.strip())
    return Minutes(
        heading=heading,
        meeting_title=heading.removeprefix("Referat fra ").strip(),
        start=start,
        end=end,
        room=room,
        location_name=location_name,
        location_address=location_address,
        participants=participants,
        items=_items(lines[agenda_start + 1 : referent_at]),
        referent=referent,
    )


def _meeting_times(line):
    match = DATE_LINE.search(line)
    if not match:
        raise ValueError(f"No Danish date and time in {line!r}")
    day, month, year, start_h, start_m, end_h, end_m = match.groups()
    month = DANISH_MONTHS[month.lower()]
    tz = ZoneInfo("Europe/Copenhagen")
    return (
        datetime(int(year), month, int(day), int(start_h), int(start_m), tzinfo=tz),
        datetime(int(year), month, int(day), int(end_h), int(end_m), tzinfo=tz),
    )


def _participant(line, organisations):
    # "Bente Gravesen – direktør Aalborg kommune" (dash or hyphen).
    parts = re.split(r"\s+[–-]\s+", line, maxsplit=1)
    name, rest = parts[0].strip(), parts[1].strip()
    for organisation in sorted(organisations, key=len, reverse=True):
        if rest.lower().endswith(organisation.lower()):
            title = rest[: -len(organisation)].strip()
            return Participant(name=name, title=title, organisation=organisation)
    raise ValueError(f"Unknown organisation in participant line {line!r}")


def _items(lines):
    items = []
    block = []
    in_decision = False

    def flush():
        if not block or not items:
            block.clear()
            return
        text = "\n".join(block)
        for paragraph in re.split(r"\n\s*\n", text.strip()):
            paragraph_lines = [
                line.strip() for line in paragraph.splitlines() if line.strip()
            ]
            if not paragraph_lines:
                continue
            if all(line.startswith("- ") for line in paragraph_lines):
                target = items[-1].decision if in_decision else items[-1].description
                target.append(paragraph_lines)
                continue
            joined = strip_markdown(" ".join(paragraph_lines))
            if in_decision:
                items[-1].decision.append(joined)
            elif paragraph_lines[0].startswith("**Det indstilles**"):
                items[-1].recommendation = joined
            else:
                items[-1].description.append(joined)
        block.clear()

    for line in lines:
        match = ITEM_HEADING.match(line.strip())
        if match:
            flush()
            in_decision = False
            title = match.group(2).strip().rstrip(".")
            items.append(Item(number=int(match.group(1)), title=title))
            continue
        if DECISION_LABEL.match(line.strip()):
            flush()
            in_decision = True
            continue
        block.append(line)
    flush()
    return items
