"""klynge_pages.filetypes: one answer to "what is this file?" for the
uploads, the text extraction and the importer."""

import io

import pytest

from klynge_pages import filetypes
from klynge_pages.extraction import extract_text
from klynge_pages.importing.reading import ImportFileError, read_text

from .test_extraction import docx_bytes, odt_bytes
from .test_uploads import zip_bytes

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
HTML = b"<!DOCTYPE html><html><body>Bilag</body></html>"


@pytest.mark.parametrize(
    ("head", "pdf", "zip_", "document", "text"),
    [
        (PDF, True, False, True, False),
        (b"PK\x03\x04rest", False, True, True, False),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", False, False, True, False),
        (b"Dagsorden\nPunkt 1", False, False, False, True),
        ("Æblerne på ø".encode("cp1252"), False, False, False, True),
        ("\ufeffReferat".encode(), False, False, False, True),
        (HTML, False, False, False, False),
        (b"  <svg xmlns='http://www.w3.org/2000/svg'/>", False, False, False, False),
        (b"bin\x00ary", False, False, False, False),
        (b"junk before %PDF-1.4", False, False, False, True),
        (b"", False, False, False, True),
    ],
)
def test_what_the_first_bytes_say(head, pdf, zip_, document, text):
    assert filetypes.is_pdf(head) is pdf
    assert filetypes.is_zip(head) is zip_
    assert filetypes.is_document_binary(head) is document
    assert filetypes.is_text(head) is text


def test_office_archives_by_their_table_of_contents():
    docx = docx_bytes("<w:document/>")
    names = filetypes.zip_names(io.BytesIO(docx))
    assert filetypes.is_ooxml(names, "docx")
    assert not filetypes.is_ooxml(names, "xlsx")
    assert not filetypes.has_macros(names)
    assert filetypes.has_macros(names | {"word/vbaProject.bin"})
    assert (
        filetypes.odf_mimetype(io.BytesIO(odt_bytes("<p/>")))
        == (filetypes.ODF_MIMETYPES["odt"])
    )
    assert filetypes.odf_mimetype(io.BytesIO(docx)) is None
    assert filetypes.zip_names(io.BytesIO(b"PK\x03\x04 not a zip")) is None
    assert (
        filetypes.odf_mimetype(io.BytesIO(zip_bytes({"mimetype": "x" * 300}))) is None
    )


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("bilag.pdf", b"", "pdf"),
        ("BILAG.PDF", b"", "pdf"),
        ("notat.docx", b"", "docx"),
        ("notat.odt", b"", "odt"),
        ("referat.md", b"", "text"),
        ("foto.jpg", PDF, None),
        ("", PDF, "pdf"),
        ("", b"PK\x03\x04", "office"),
        ("", b"tekst", None),
        (None, PDF, "pdf"),
    ],
)
def test_which_reader_the_extraction_uses(name, head, kind):
    assert filetypes.extraction_kind(name, head) == kind


def test_the_three_users_agree_on_a_renamed_html_file(settings):
    """An HTML file named .pdf: the importer refuses it, the extraction
    reads nothing, and (tests/test_uploads.py) the upload is refused."""
    settings.KLYNGE_IMPORT_TEXT_EXTRACTOR = "klynge_pages.extraction.extract_text"
    with pytest.raises(ImportFileError):
        read_text(HTML, "referat.pdf")
    assert extract_text(io.BytesIO(HTML), "bilag.pdf").text == ""
