"""Names of attachments ("bilag") dropped onto an agenda item.

A file's name becomes the document's title ("Bilag_3_psykiatri.pdf":
"Psykiatri"), and the attachment's label is the meeting's next number
("Bilag 4"): Danish agendas number their attachments across the whole
meeting, not per item. The public page shows both, "Bilag 4 – Psykiatri"
(AgendaItemAttachment.display_label).
"""

import os
import re
import unicodedata

from django.utils.translation import gettext as _

# The title and label fields hold 255 characters; a title is cut well before,
# so that "Bilag 12 – " and the extension still fit where they are joined.
MAX_TITLE_LENGTH = 200

# "Bilag 3", "bilag_03", "BILAG-3a", "Bilag nr. 3", "Bilag3": the number of a
# label, or the prefix of a file name that already says which attachment it
# was (somewhere else: here it gets the meeting's own number).
LABEL_NUMBER = re.compile(r"^\s*bilag\s*(?:nr\.?\s*)?(\d+)", re.IGNORECASE)
NAME_PREFIX = re.compile(
    r"^bilag(?:[\s_.\-–—]*nr\.?)?[\s_.\-–—]*\d*[a-zæøå]?(?=$|[\s_.\-–—:])[\s_.\-–—:]*",
    re.IGNORECASE,
)
# A dash between digits belongs to a date or a number ("2019-11-06").
SEPARATOR = re.compile(r"(?<!\d)[-–—]|[-–—](?!\d)|_")


def clean_name(file_name):
    """The title a file's name gives its document: extension dropped,
    underscores and dashes as spaces, a leading "Bilag 3" left out, the
    first letter a capital; "" when nothing is left."""
    name = unicodedata.normalize("NFC", os.path.basename(file_name or ""))
    stem = os.path.splitext(name)[0]
    name = SEPARATOR.sub(" ", stem)
    name = " ".join(name.split())
    name = NAME_PREFIX.sub("", name).strip(" .:")
    name = name[:MAX_TITLE_LENGTH].strip()
    return name[:1].upper() + name[1:]


def label_number(label):
    """The number of a label such as "Bilag 5", or None."""
    match = LABEL_NUMBER.match(label or "")
    return int(match[1]) if match else None


def next_numbers(taken_labels, count):
    """`count` numbers for new attachments, after the highest of the
    meeting's labels (gaps are not filled: numbers follow the agenda)."""
    numbers = [label_number(label) for label in taken_labels]
    highest = max((number for number in numbers if number is not None), default=0)
    return list(range(highest + 1, highest + 1 + count))


def attachment_label(number):
    return _("Bilag %(number)s") % {"number": number}


def natural_key(file_name):
    """Sorts "Bilag 2" before "Bilag 10": files dropped together are numbered
    in the order of their names."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", file_name)
    ]


def names_for(file_names, taken_labels):
    """[(label, title)] for files dropped together, in the order given, the
    numbers following the order of their names."""
    order = sorted(range(len(file_names)), key=lambda i: natural_key(file_names[i]))
    numbers = next_numbers(taken_labels, len(file_names))
    result = [None] * len(file_names)
    for number, index in zip(numbers, order, strict=True):
        label = attachment_label(number)
        result[index] = (label, clean_name(file_names[index]) or label)
    return result
