"""A file's bytes to the text the parser reads, with Danish errors for
everything that cannot be imported.

Markdown and plain text are decoded here (UTF-8 only: a guessed encoding
would import wrong letters silently). DOCX and PDF are read by the text
extractor named in the setting `KLYNGE_IMPORT_TEXT_EXTRACTOR` (a dotted path
to a function `(file, filename) -> result` with `text` and `error`, such as
`klynge_pages.extraction.extract_text`, which parses in a limited child process).
`klynge_pages` does not depend on the search app: without the setting only
Markdown and plain text are accepted.
"""

import io
from pathlib import Path

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from klynge_pages import filetypes
from klynge_pages.conf import klynge_settings

TEXT_EXTENSIONS = {".md", ".markdown", ".txt", ".text"}
DOCUMENT_EXTENSIONS = {".docx", ".pdf"}
ALLOWED_EXTENSIONS = TEXT_EXTENSIONS | DOCUMENT_EXTENSIONS


class ImportFileError(ValueError):
    """The file cannot be imported; the message is Danish."""


def max_file_bytes():
    return int(klynge_settings.IMPORT_MAX_FILE_MB) * 1024 * 1024


def text_extractor():
    path = klynge_settings.IMPORT_TEXT_EXTRACTOR
    return import_string(path) if path else None


def allowed_extensions():
    return sorted(ALLOWED_EXTENSIONS if text_extractor() else TEXT_EXTENSIONS)


def check_name_and_size(filename, size):
    extension = Path(filename).suffix.lower()
    if extension not in allowed_extensions():
        raise ImportFileError(
            _("Filtypen „%(extension)s“ kan ikke importeres. Tilladt: %(allowed)s.")
            % {
                "extension": extension or _("(ingen endelse)"),
                "allowed": ", ".join(allowed_extensions()),
            }
        )
    if size == 0:
        raise ImportFileError(_("Filen er tom."))
    if size > max_file_bytes():
        raise ImportFileError(
            _("Filen er for stor (%(size).1f MB). Højst %(limit)d MB.")
            % {
                "size": size / (1024 * 1024),
                "limit": max_file_bytes() // (1024 * 1024),
            }
        )
    return extension


def read_text(data, filename):
    """The text of a file's `data` (bytes). Raises ImportFileError."""
    extension = check_name_and_size(filename, len(data))
    if extension in TEXT_EXTENSIONS:
        return _decode(data)
    if extension == ".docx" and not filetypes.is_zip(data):
        raise ImportFileError(_("Filen er ikke et gyldigt Word-dokument (.docx)."))
    if extension == ".pdf" and not filetypes.is_pdf(data):
        raise ImportFileError(_("Filen er ikke en gyldig PDF-fil."))
    result = text_extractor()(io.BytesIO(data), filename)
    if result.error:
        raise ImportFileError(result.error)
    if not result.text.strip():
        if extension == ".pdf":
            raise ImportFileError(
                _(
                    "PDF-filen har intet tekstlag (den er måske scannet). Kør "
                    "tekstgenkendelse (OCR) på den, og prøv igen."
                )
            )
        raise ImportFileError(_("Dokumentet indeholder ingen tekst."))
    return result.text


def _decode(data):
    if filetypes.is_document_binary(data):
        raise ImportFileError(
            _("Filen er et dokument, ikke tekst. Giv den den rigtige endelse.")
        )
    if b"\x00" in data:
        raise ImportFileError(
            _("Filen er ikke en tekstfil (den indeholder binære data).")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "Filen er ikke UTF-8-kodet tekst (fejl ved byte %(position)d). Gem "
                "den som UTF-8, og prøv igen."
            )
            % {"position": exc.start}
        ) from exc
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if controls > max(10, len(text) // 100):
        raise ImportFileError(
            _("Filen er ikke en tekstfil (den indeholder binære data).")
        )
    if not text.strip():
        raise ImportFileError(_("Filen er tom."))
    return text
