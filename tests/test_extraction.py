"""Text extraction from documents (klynge_pages/extraction.py).

Every fixture is built here: PDFs written by hand (a content stream and
Helvetica with WinAnsiEncoding), DOCX and ODT files written with zipfile.
Each hostile file must fail alone, with a Danish message and a logged
warning, and the next file must still be read.
"""

import io
import logging
import os
import random
import re
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from pypdf import PdfReader, PdfWriter

from klynge_pages import extraction
from klynge_pages.extraction import ExtractionResult, extract_text, normalise_text

DANISH = "Sundhedsaftalen: Klyngestyregruppen mødes på Ålborg Sygehus. Æblegrød & øl."

# --- fixtures built in code -------------------------------------------------------


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252 for these characters)."""
    raw = text.encode("cp1252")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


def content_stream(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 14 TL 72 770 Td"]
    ops += [pdf_string(line) + b" Tj T*" for line in lines]
    ops.append(b"ET")
    return b"\n".join(ops)


def stream_object(data: bytes, flate: bool = False) -> bytes:
    extra = b""
    if flate:
        data, extra = zlib.compress(data, 9), b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def build_pdf(streams: list[bytes], page_streams: list[int]) -> bytes:
    """A PDF with the given stream objects; page i shows streams[page_streams[i]].

    Objects: 1 catalog, 2 page tree, 3 font, then the streams, then the pages.
    Pages may share a stream, so a 10,000-page file stays small.
    """
    first_stream = 4
    first_page = first_stream + len(streams)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(page_streams)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_streams),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
        b" /Encoding /WinAnsiEncoding >>",
    ]
    objects += streams
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
        % (first_stream + s)
        for s in page_streams
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def pdf_with_pages(pages: list[list[str]]) -> bytes:
    streams = [stream_object(content_stream(lines)) for lines in pages]
    return build_pdf(streams, list(range(len(pages))))


def pdf_sharing_one_stream(lines: list[str], page_count: int) -> bytes:
    return build_pdf([stream_object(content_stream(lines))], [0] * page_count)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(document_xml: str | bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


def w_paragraph(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r><w:t>{run}</w:t></w:r>" for run in runs) + "</w:p>"


def w_table(rows: list[list[str]]) -> str:
    cells = (
        "<w:tr>" + "".join(f"<w:tc>{w_paragraph(c)}</w:tc>" for c in row) + "</w:tr>"
        for row in rows
    )
    return "<w:tbl>" + "".join(cells) + "</w:tbl>"


def w_document(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    )


def odt_bytes(body: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_bomb(uncompressed_mb: int) -> bytes:
    """A valid DOCX whose document.xml unpacks to `uncompressed_mb` MB."""
    out = io.BytesIO()
    chunk = (w_paragraph("bombe " * 100) * 200).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            written = 0
            while written < uncompressed_mb * 1024 * 1024:
                member.write(chunk)
                written += len(chunk)
            member.write(b"</w:body></w:document>")
    return out.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_pages([[DANISH]]))))
    # RC4 needs no third-party cryptography package.
    writer.encrypt(user_password, "ejer-kode", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def idle_child_address_space_mb() -> int:
    """The address space of a child forked for extraction before it reads."""
    process = extraction._get_context().Process(target=time.sleep, args=(2,))
    process.start()
    try:
        time.sleep(0.3)
        status = Path(f"/proc/{process.pid}/status").read_text()
    finally:
        process.kill()
        process.join()
    kilobytes = re.search(r"^VmSize:\s+(\d+) kB", status, re.MULTILINE)[1]
    return int(kilobytes) // 1024


@pytest.fixture
def tmp_file(tmp_path):
    def write(name: str, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def assert_failed_alone(result, caplog, filename, *words):
    """Empty text, a Danish message, a warning naming the file, and the next
    file is read as usual."""
    assert isinstance(result, ExtractionResult)
    assert result.text == ""
    for word in words:
        assert word in result.error
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(filename in r.getMessage() for r in warnings), caplog.text
    after = extract_text(io.BytesIO(pdf_with_pages([[DANISH]])), "næste.pdf")
    assert after.error == ""
    assert after.text == DANISH


# --- what is extracted -------------------------------------------------------------


def test_pdf_text_layer_keeps_danish_letters(tmp_file):
    path = tmp_file(
        "referat.pdf",
        pdf_with_pages([[DANISH, "Punkt 1: Godkendelse af dagsorden"], ["Side to"]]),
    )
    result = extract_text(path)
    assert result.error == ""
    assert result.pages == 2
    assert "mødes på Ålborg Sygehus" in result.text
    assert "Æblegrød & øl." in result.text
    assert "Punkt 1: Godkendelse af dagsorden" in result.text
    assert result.text.index("Side to") > result.text.index("Punkt 1")


def test_pdf_string_path_and_sniffed_type_without_extension(tmp_file):
    path = tmp_file("bilag", pdf_with_pages([["Bilag uden filendelse"]]))
    result = extract_text(str(path))
    assert result.text == "Bilag uden filendelse"


def test_office_files_without_a_name_are_recognised_by_their_parts():
    docx = docx_bytes(w_document(w_paragraph("Referat")))
    assert extract_text(io.BytesIO(docx)).text == "Referat"
    odt = odt_bytes("<text:p>Dagsorden</text:p>")
    assert extract_text(io.BytesIO(odt)).text == "Dagsorden"
    spreadsheet = io.BytesIO()
    with zipfile.ZipFile(spreadsheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert extract_text(io.BytesIO(spreadsheet.getvalue())) == ExtractionResult()


def test_docx_paragraphs_and_table_in_document_order():
    body = (
        w_paragraph("Punkt 3: ", "Økonomi")
        + w_table([["Kommune", "Beløb"], ["Læsø", "1.500 kr."]])
        + w_paragraph("Det indstilles, at ", "klyngen godkender")
        + "<w:p><w:r><w:delText>slettet</w:delText><w:instrText>PAGE</w:instrText>"
        "</w:r></w:p>"
    )
    data = docx_bytes(w_document(body))
    result = extract_text(io.BytesIO(data), "indstilling.docx")
    assert result.error == ""
    assert result.pages is None
    assert result.text == (
        "Punkt 3: Økonomi\nKommune Beløb\nLæsø 1.500 kr.\n"
        "Det indstilles, at klyngen godkender"
    )


def test_odt_headings_paragraphs_spans_and_tables():
    body = (
        "<text:h>Kommissorium</text:h>"
        "<text:p>Formål:<text:s/>at <text:span>styrke</text:span> samarbejdet"
        "<office:annotation><text:p>intern kommentar</text:p></office:annotation>"
        "</text:p>"
        "<table:table><table:table-row>"
        "<table:table-cell><text:p>Hjørring</text:p></table:table-cell>"
        "<table:table-cell><text:p>Brønderslev</text:p></table:table-cell>"
        "</table:table-row></table:table>"
    )
    result = extract_text(io.BytesIO(odt_bytes(body)), "kommissorium.odt")
    assert result.error == ""
    assert result.text == (
        "Kommissorium\nFormål: at styrke samarbejdet\nHjørring Brønderslev"
    )


def test_text_file_in_cp1252_and_utf8(tmp_file):
    cp1252 = tmp_file(
        "deltagere.csv", "Navn;Organisation\nSøren;Læsø Kommune\n".encode("cp1252")
    )
    assert extract_text(cp1252).text == "Navn;Organisation\nSøren;Læsø Kommune"
    utf8 = tmp_file("noter.md", "# Møde\n\nÅrets   første møde".encode())
    assert extract_text(utf8).text == "# Møde\nÅrets første møde"


def test_django_field_file_is_read_and_closed_again(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save(
        "documents/bilag-5.docx",
        ContentFile(docx_bytes(w_document(w_paragraph("Bilag 5: Handleplan")))),
    )
    from django.db.models.fields.files import FieldFile, FileField

    field = FileField(storage=storage)
    field_file = FieldFile(instance=None, field=field, name=name)
    result = extract_text(field_file)
    assert result.text == "Bilag 5: Handleplan"
    assert field_file.closed


def test_unknown_types_give_empty_text_and_no_error():
    assert extract_text(io.BytesIO(b"\x89PNG\r\n\x1a\n..."), "logo.png") == (
        ExtractionResult()
    )
    assert extract_text(io.BytesIO(b"just bytes"), None) == ExtractionResult()


def test_normalisation_nfc_whitespace_and_control_characters():
    decomposed = "A\u030arhus"  # "Århus" with a combining ring
    raw = f"  {decomposed}\x00\u200b kom\u00admune\t\t\u202eog  \r\n\n\x0c  region\x07 "
    assert normalise_text(raw) == "Århus kommune og\nregion"


def test_output_is_cut_at_the_maximum_length(settings):
    settings.KLYNGE_EXTRACTION_MAX_CHARS = 1000
    data = pdf_with_pages([["ord " * 60] * 40])
    result = extract_text(io.BytesIO(data), "lang.pdf")
    assert result.error == ""
    assert 900 < len(result.text) <= 1000
    assert result.text.endswith("ord")


def test_pdf_encrypted_with_empty_user_password_is_read():
    result = extract_text(io.BytesIO(encrypted_pdf("")), "kun-ejerkode.pdf")
    assert result.error == ""
    assert result.text == DANISH


def test_command_line_prints_text(tmp_file):
    path = tmp_file("dagsorden.pdf", pdf_with_pages([[DANISH]]))
    done = subprocess.run(  # noqa: S603 - our own module, a path we made
        [sys.executable, "-m", "klynge_pages.extraction", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == DANISH


# --- each hostile file fails alone ----------------------------------------------------


def test_malformed_pdf(caplog):
    data = pdf_with_pages([[DANISH]])[:200] + b"\x00garbage" * 50
    result = extract_text(io.BytesIO(data), "beskadiget.pdf")
    assert_failed_alone(result, caplog, "beskadiget.pdf", "kunne ikke læses som PDF")


def test_docx_that_is_not_a_zip(caplog):
    result = extract_text(io.BytesIO(b"PK\x03\x04 not really"), "ødelagt.docx")
    assert_failed_alone(result, caplog, "ødelagt.docx", "Word-dokument")


def test_odt_without_content(caplog):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    result = extract_text(io.BytesIO(data.getvalue()), "tom.odt")
    assert_failed_alone(result, caplog, "tom.odt", "OpenDocument-tekst")


def test_docx_with_a_dtd_is_refused(caplog):
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{w_paragraph("&b;")}</w:body>'
        "</w:document>"
    )
    result = extract_text(io.BytesIO(docx_bytes(xml)), "entiteter.docx")
    assert_failed_alone(result, caplog, "entiteter.docx", "Word-dokument")


def utf16_docx_with_an_entity(text="Indhold"):
    """A word/document.xml in UTF-16 whose internal entity expands: no byte
    sequence "<!DOCTYPE" appears in the file, so a raw byte search misses it."""
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<!DOCTYPE d [<!ENTITY hemmelig "UDVIDET-ENTITET">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body>'
        f"{w_paragraph(text)}{w_paragraph('&hemmelig;')}</w:body></w:document>"
    ).encode("utf-16")
    assert b"<!DOCTYPE" not in xml and b"<!ENTITY" not in xml
    return docx_bytes(xml)


def test_a_utf16_docx_with_an_internal_entity_is_refused(caplog):
    result = extract_text(io.BytesIO(utf16_docx_with_an_entity()), "utf16.docx")

    assert "UDVIDET-ENTITET" not in result.text
    assert_failed_alone(result, caplog, "utf16.docx", "Word-dokument")


def test_a_utf16_docx_without_a_dtd_is_read():
    text = "Klyngestyregruppen mødes på Ålborg Sygehus."
    xml = w_document(w_paragraph(text)).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    result = extract_text(io.BytesIO(docx_bytes(xml.encode("utf-16"))), "utf16.docx")

    assert result.ok and text in result.text


def test_docx_zip_bomb_over_the_size_limit(caplog):
    data = docx_bomb(120)
    assert len(data) < 2 * 1024 * 1024
    started = time.perf_counter()
    result = extract_text(io.BytesIO(data), "bombe.docx")
    assert time.perf_counter() - started < 5
    assert_failed_alone(result, caplog, "bombe.docx", "dekomprimeringsbombe", "50 MB")


def test_docx_zip_bomb_by_compression_ratio(caplog):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    result = extract_text(io.BytesIO(out.getvalue()), "komprimeret.docx")
    assert_failed_alone(result, caplog, "komprimeret.docx", "dekomprimeringsbombe")


def test_pdf_stream_bomb(caplog):
    """A content stream that unpacks to 100 MB of zeros (pypdf stops at 75)."""
    packer = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    packed = b"".join(packer.compress(chunk) for _ in range(100)) + packer.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
    data = build_pdf([stream + packed + b"\nendstream"], [0])
    assert len(data) < 200_000
    result = extract_text(io.BytesIO(data), "strøm.pdf")
    assert_failed_alone(result, caplog, "strøm.pdf", "dekomprimeringsbombe")


def test_pdf_with_ten_thousand_pages(caplog):
    data = pdf_sharing_one_stream([DANISH], 10_000)
    assert len(PdfReader(io.BytesIO(data)).pages) == 10_000  # a valid file
    started = time.perf_counter()
    result = extract_text(io.BytesIO(data), "tusinder.pdf")
    assert time.perf_counter() - started < 5
    assert result.pages == 10_000
    assert_failed_alone(result, caplog, "tusinder.pdf", "10.000 sider", "højst 500")


def test_pdf_that_lies_about_its_page_count(caplog, settings):
    settings.KLYNGE_EXTRACTION_MAX_PAGES = 10
    data = pdf_sharing_one_stream([DANISH], 50).replace(b"/Count 50", b"/Count 1")
    result = extract_text(io.BytesIO(data), "løgn.pdf")
    assert result.pages == 50
    assert_failed_alone(result, caplog, "løgn.pdf", "50 sider", "højst 10")


def test_pdf_protected_by_a_password(caplog):
    result = extract_text(io.BytesIO(encrypted_pdf("hemmelig")), "krypteret.pdf")
    assert_failed_alone(result, caplog, "krypteret.pdf", "adgangskode")


def test_extraction_that_takes_too_long_is_stopped(caplog, settings):
    settings.KLYNGE_EXTRACTION_TIMEOUT = 0.5
    data = pdf_sharing_one_stream([DANISH] * 150, 450)
    started = time.perf_counter()
    result = extract_text(io.BytesIO(data), "langsom.pdf")
    assert time.perf_counter() - started < 3
    assert_failed_alone(result, caplog, "langsom.pdf", "for lang tid")


def test_extraction_that_needs_too_much_memory_is_stopped(caplog, settings):
    # 150,000 paragraphs (7 MB of XML, under the size and ratio limits): the
    # parsed tree needs about 100 MB more than an idle child.
    rng = random.Random(9)  # noqa: S311 - test data
    words = ["klynge", "møde", "referat", "bilag", "kommune", "region", "praksis"]
    paragraphs = "".join(
        w_paragraph(f"{rng.choice(words)} {rng.randrange(10**6)}")
        for _ in range(150_000)
    )
    data = docx_bytes(w_document(paragraphs))
    settings.KLYNGE_EXTRACTION_TIMEOUT = 60

    read = extract_text(io.BytesIO(data), "stor.docx")  # 512 MB by default
    assert read.error == ""
    assert len(read.text) > 900_000

    settings.KLYNGE_EXTRACTION_MEMORY_MB = idle_child_address_space_mb() + 40
    result = extract_text(io.BytesIO(data), "hukommelse.docx")
    assert_failed_alone(result, caplog, "hukommelse.docx", "for meget hukommelse")


def test_file_larger_than_the_limit_is_not_read(caplog, settings):
    settings.KLYNGE_EXTRACTION_MAX_FILE_MB = 1
    result = extract_text(io.BytesIO(b"a" * (2 * 1024 * 1024)), "stor.txt")
    assert_failed_alone(result, caplog, "stor.txt", "større end 1 MB")


def test_missing_file(caplog, tmp_path):
    result = extract_text(tmp_path / "findes-ikke.pdf")
    assert_failed_alone(result, caplog, "findes-ikke.pdf", "kunne ikke åbnes")


def test_long_text_file_is_decoded_only_as_far_as_needed(settings):
    settings.KLYNGE_EXTRACTION_MAX_CHARS = 100
    data = ("første møde " * 1000).encode()
    result = extract_text(io.BytesIO(data), "lang.txt")
    assert result.error == ""  # UTF-8 cut inside "ø" is still UTF-8
    assert 90 < len(result.text) <= 100
    assert result.text.startswith("første møde første")


def test_children_of_a_program_run_as_a_module_do_not_import_it_again(tmp_path):
    """A child forked for a file prepares itself as multiprocessing does; for
    a program started with `python -m` (as `make test` runs pytest) that
    imports nothing again, so a file costs a fork, not a test runner's
    import (half a second)."""
    document = tmp_path / "bilag.docx"
    document.write_bytes(docx_bytes(w_document(w_paragraph("Bilag 1"))))
    imports = tmp_path / "imports.txt"
    program = tmp_path / "program"
    program.mkdir()
    (program / "__init__.py").write_text("")
    (program / "__main__.py").write_text(
        "import sys\n"
        f"with open({str(imports)!r}, 'a') as f:\n"
        "    f.write(__name__ + '\\n')\n"
        "if __name__ == '__main__':\n"
        "    from klynge_pages.extraction import extract_text\n"
        "    for _ in range(3):\n"
        "        assert extract_text(sys.argv[1]).text == 'Bilag 1'\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(  # noqa: S603 - a program we wrote
        [sys.executable, "-m", "program", str(document)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{root}"},
    )
    assert done.returncode == 0, done.stderr
    assert imports.read_text().split() == ["__main__"]
