"""What a file is, read from its content rather than its name: the one
detector behind the document uploads (klynge_security.uploads), the text
extraction of attachments (klynge_pages.extraction) and the minutes
importer (importing/reading.py).

The checks read the first bytes of a file (`HEAD_BYTES`); for the zip-based
office formats they read the archive's table of contents too, which
`zipfile` finds at the end of the file. None of them parses the document.
"""

import zipfile
from pathlib import Path

HEAD_BYTES = 8192

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# Word 97-2003, Excel 97-2003 and their kin (OLE compound files).
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
UTF8_BOM = b"\xef\xbb\xbf"
MARKUP_STARTS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<?xml",
)

OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}

# The families of extensions the text extraction reads.
PDF_EXTENSIONS = {".pdf"}
DOCX_EXTENSIONS = {".docx", ".docm", ".dotx"}
ODT_EXTENSIONS = {".odt", ".ott"}
TEXT_EXTENSIONS = {".txt", ".text", ".md", ".markdown", ".csv", ".tsv"}


def is_pdf(head):
    return head.startswith(PDF_MAGIC)


def is_zip(head):
    return head.startswith(ZIP_MAGIC)


def is_document_binary(head):
    """PDF, a zip-based office file or an old (OLE) Office file: a
    document, whatever its name says."""
    return head.startswith((PDF_MAGIC, ZIP_MAGIC, OLE_MAGIC))


def is_text(head):
    """Text in UTF-8 or Windows-1252, neither markup nor a document (an
    HTML, SVG or PDF file renamed to .txt is not text)."""
    if b"\x00" in head or is_document_binary(head):
        return False
    start = head.lstrip(UTF8_BOM + b" \t\r\n").lower()
    if start.startswith(MARKUP_STARTS):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off at the end of the sample is fine.
        if exc.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def zip_names(fileobj):
    """The member names of the zip archive `fileobj`, or None if it is not
    one."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def has_macros(names):
    """Whether an office archive with these member names carries VBA."""
    return any(name.lower().endswith("vbaproject.bin") for name in names)


def is_ooxml(names, extension):
    """Whether an archive with these member names is the Office Open XML
    format of `extension` ("docx", "xlsx", "pptx")."""
    return "[Content_Types].xml" in names and OOXML_MAIN_PART[extension] in names


def odf_mimetype(fileobj):
    """The type an OpenDocument file names in its first, uncompressed entry
    "mimetype"; None if there is none (or it is implausibly long)."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return None
            return archive.read(info).decode("ascii", "replace").strip()
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None


def extraction_kind(name, head):
    """Which reader of the text extraction takes the file: "pdf", "docx",
    "odt", "text", "office" (a zip of unknown kind, read as DOCX or ODT by
    its content) or None. By the name's extension when it has one, by the
    content when it has none."""
    suffix = Path(name).suffix.lower() if name else ""
    for kind, extensions in (
        ("pdf", PDF_EXTENSIONS),
        ("docx", DOCX_EXTENSIONS),
        ("odt", ODT_EXTENSIONS),
        ("text", TEXT_EXTENSIONS),
    ):
        if suffix in extensions:
            return kind
    if suffix:
        return None  # a type the extraction does not read (images, …)
    if is_pdf(head):
        return "pdf"
    if is_zip(head):
        return "office"
    return None
