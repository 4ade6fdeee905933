"""“Hent alle bilag”: the agenda as PDF and every public attachment of a
meeting in one ZIP.

The archive is written to a temporary file (in memory up to 16 MB, on disk
beyond) and then sent, so that a missing file or the size limit gives a clear
answer instead of a truncated download. File names inside come from the
agenda, never from the uploaded file's name, and are made safe for every
unpacker: no folders, no "..", no control characters, no invisible
formatting characters (bidi overrides such as U+202E, which can make
"rapport\u202efdp.exe" look like "rapportexe.pdf", and zero-width
characters), bounded length, unique.
"""

import re
import shutil
import tempfile
import unicodedata
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _

from klynge_pages.conf import klynge_settings

from .public import public_attachments

SPOOL_BYTES = 16 * 1024 * 1024
# Formats worth compressing; PDF, DOCX, XLSX, ODT, images and archives are
# compressed already, and deflating them again costs time for nothing.
COMPRESSIBLE = {"txt", "csv", "rtf", "doc", "xls", "ppt", "htm", "html", "xml", "md"}
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME = 120


class TooLarge(Exception):
    pass


def _visible(text):
    """Without Unicode format characters (category Cf: bidi embeddings,
    overrides and isolates, zero-width characters, the BOM); line and
    paragraph separators become spaces."""
    return "".join(
        " " if unicodedata.category(char) in ("Zl", "Zp") else char
        for char in text
        if unicodedata.category(char) != "Cf"
    )


def safe_name(name, extension=""):
    name = _visible(unicodedata.normalize("NFC", name))
    name = UNSAFE.sub("-", name)
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"\s+", " ", name).strip(" .-") or _("bilag")
    extension = UNSAFE.sub("", _visible(extension)).strip(" .")[:10]
    suffix = f".{extension}" if extension else ""
    return name[: MAX_NAME - len(suffix)].rstrip(" .") + suffix


def unique(name, taken):
    candidate, number = name, 2
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    while candidate.lower() in taken:
        candidate = f"{stem} ({number})" + (f".{extension}" if extension else "")
        number += 1
    taken.add(candidate.lower())
    return candidate


def entry(name, document):
    """The archive entry of a document: its upload time, and compressed only
    when its format gains from it."""
    created = timezone.localtime(document.created_at)
    info = zipfile.ZipInfo(name, date_time=created.timetuple()[:6])
    extension = (document.file_extension or "").lower()
    info.compress_type = (
        zipfile.ZIP_DEFLATED if extension in COMPRESSIBLE else zipfile.ZIP_STORED
    )
    return info


def attachment_name(item, attachment):
    # display_label with a hyphen: file names keep to plain characters.
    label = attachment.joined_label(" - ")
    return safe_name(
        f"{_('Punkt')} {item.number:02d} - {label}", attachment.document.file_extension
    )


def build_archive(meeting, agenda_pdf):
    """A temporary file holding the ZIP, positioned at its start. Raises
    TooLarge when the attachments exceed EXPORT_ZIP_MAX_BYTES."""
    limit = klynge_settings.EXPORT_ZIP_MAX_BYTES
    attachments = public_attachments(meeting)
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    taken, missing, total = set(), [], len(agenda_pdf)
    try:
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                unique(safe_name(_("Dagsorden"), "pdf"), taken),
                agenda_pdf,
                compress_type=zipfile.ZIP_STORED,  # compressed already
            )
            for item, attachment in attachments:
                name = unique(attachment_name(item, attachment), taken)
                document = attachment.document
                try:
                    total += document.file.size
                    if total > limit:
                        raise TooLarge
                    with (
                        document.file.open("rb") as source,
                        archive.open(
                            entry(name, document), "w", force_zip64=True
                        ) as target,
                    ):
                        shutil.copyfileobj(source, target, 1024 * 1024)
                except (FileNotFoundError, OSError):
                    missing.append(name)
            if missing:
                note = _(
                    "Disse bilag kunne ikke hentes, da arkivet blev lavet. Hent "
                    "dem fra dagsordenen på hjemmesiden:"
                )
                archive.writestr(
                    unique(safe_name(_("Bilag der mangler"), "txt"), taken),
                    "\r\n".join([note, "", *missing, ""]),
                )
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output
