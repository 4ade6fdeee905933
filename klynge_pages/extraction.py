"""Text of documents: attachments (bilag) for the search index and minutes for
the importer. PDF, DOCX, ODT and plain text.

Attachments come from many organisations and are parsed by code that was not
written for hostile input, so parsing never runs in the calling process: each
PDF, DOCX or ODT file is read in a child process with a wall-clock timeout, an
address-space limit (`RLIMIT_AS`) and a CPU-time limit, and the parsers stop at
a number of pages, a size of zip members and a length of text. Whatever goes
wrong (a timeout, `MemoryError`, a malformed or encrypted file, a
decompression bomb, a crash of the child), the caller gets an
`ExtractionResult` with an empty text and a Danish message for editors, a
warning is logged with the file name, and nothing is raised.

The children are forked from multiprocessing's fork server, which imports this
module and pypdf once, so a call costs a fork rather than a new interpreter.
Plain text needs no parser and is decoded in the calling process.

The limits are Django settings (see docs/extraction.md); outside Django the
defaults apply.
"""

from __future__ import annotations

import codecs
import io
import logging
import math
import multiprocessing
import os
import re
import resource
import signal
import sys
import threading
import time
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from django.utils.translation import gettext

from klynge_pages import filetypes
from klynge_pages.conf import klynge_settings

logger = logging.getLogger(__name__)

# A zip member that unpacks to more than this many times its compressed size
# is treated as a bomb once it is larger than MIN_RATIO_CHECK_BYTES. Word and
# LibreOffice XML compresses about 5-20 times.
MAX_COMPRESSION_RATIO = 100
MIN_RATIO_CHECK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ExtractionResult:
    """The text of one file; `error` is a Danish message, empty on success."""

    text: str = ""
    error: str = ""
    pages: int | None = None

    @property
    def ok(self) -> bool:
        return not self.error


# --- normalisation -------------------------------------------------------------

_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0/C1 controls (NUL included) except tab and newline, surrogates, and
# invisible format characters: soft hyphen, zero-width characters,
# bidirectional overrides and isolates, the byte-order mark, non-characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)


def normalise_text(text: str) -> str:
    """NFC, no control or invisible characters, whitespace runs collapsed.

    A run of whitespace that contains a line break becomes one newline (so
    paragraphs stay apart for snippets); any other run becomes one space.
    """
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    text = unicodedata.normalize("NFC", text)
    # str.split() is the fastest way to collapse runs (about 50 ms a million
    # characters, a third of what a regular expression takes).
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _truncate(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    # End at a word boundary when there is one reasonably close.
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > max_chars - 200:
        cut = cut[:space]
    return cut.rstrip()


def decode_text(data: bytes, max_chars: int | None = None) -> str:
    """Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    With `max_chars`, only the bytes that can hold that many characters are
    decoded; a character cut in two at the end is dropped.
    """
    if max_chars is not None:
        data = data[: 4 * max_chars]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; they become U+FFFD.
        return data.decode("cp1252", errors="replace")


# --- failures ----------------------------------------------------------------


class ExtractionFailure(Exception):
    """A file that cannot be read, with a code the parent turns into Danish."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def _(message: str) -> str:
    """gettext, or the (Danish) message itself where Django's translation is
    not ready: outside a configured project, or before the app registry."""
    try:
        return gettext(message)
    except Exception:  # noqa: BLE001 - a message must never raise
        return message


def _danish_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _message(code: str, params: dict, limits: dict) -> str:
    if code == "timeout":
        return _(
            "Teksten kunne ikke udtrækkes, fordi det tog for lang tid "
            "(mere end %(seconds)s sekunder)."
        ) % {"seconds": _danish_number(math.ceil(limits["timeout"]))}
    if code == "memory":
        return _(
            "Teksten kunne ikke udtrækkes, fordi filen kræver for meget hukommelse."
        )
    if code == "encrypted":
        return _(
            "PDF-filen er beskyttet med adgangskode, så teksten kan ikke udtrækkes."
        )
    if code == "too_many_pages":
        return _(
            "PDF-filen har %(pages)s sider. Der udtrækkes kun tekst fra filer "
            "med højst %(max)s sider."
        ) % {
            "pages": _danish_number(params["pages"]),
            "max": _danish_number(limits["max_pages"]),
        }
    if code == "bomb" and not params.get("zip"):
        return _(
            "Filen indeholder data, der pakkes ud til en usædvanlig stor mængde "
            "(mulig dekomprimeringsbombe), så teksten udtrækkes ikke."
        )
    if code == "bomb":
        return _(
            "Filen pakkes ud til mere end %(mb)s MB eller er usædvanlig stærkt "
            "komprimeret (mulig dekomprimeringsbombe), så teksten udtrækkes ikke."
        ) % {"mb": _danish_number(limits["max_member_bytes"] // (1024 * 1024))}
    if code == "too_large":
        return _("Filen er større end %(mb)s MB, så teksten udtrækkes ikke.") % {
            "mb": _danish_number(limits["max_file_bytes"] // (1024 * 1024))
        }
    if code == "unreadable":
        return _("Filen kunne ikke åbnes.")
    if code == "malformed":
        kind = params.get("kind")
        if kind == "pdf":
            return _("Filen kunne ikke læses som PDF. Den er måske beskadiget.")
        if kind == "docx":
            return _(
                "Filen kunne ikke læses som Word-dokument (DOCX). "
                "Den er måske beskadiget."
            )
        if kind == "odt":
            return _(
                "Filen kunne ikke læses som OpenDocument-tekst (ODT). "
                "Den er måske beskadiget."
            )
        return _("Filen kunne ikke læses. Den er måske beskadiget.")
    return _("Teksten kunne ikke udtrækkes på grund af en uventet fejl.")


# --- limits ------------------------------------------------------------------


def current_limits() -> dict:
    """The limits in force, read from the Django settings on every call."""
    mb = 1024 * 1024
    memory_mb = klynge_settings.EXTRACTION_MEMORY_MB
    return {
        "timeout": float(klynge_settings.EXTRACTION_TIMEOUT),
        "memory_bytes": int(memory_mb * mb) if memory_mb else 0,
        "max_pages": int(klynge_settings.EXTRACTION_MAX_PAGES),
        "max_member_bytes": int(klynge_settings.EXTRACTION_MAX_MEMBER_MB * mb),
        "max_chars": int(klynge_settings.EXTRACTION_MAX_CHARS),
        "max_file_bytes": int(klynge_settings.EXTRACTION_MAX_FILE_MB * mb),
    }


# --- parsers (run in the child) -----------------------------------------------


def _extract_pdf(data: bytes, limits: dict) -> tuple[str, int]:
    # In the child only (the fork server preloads pypdf).
    from pypdf import PdfReader  # noqa: PLC0415
    from pypdf.errors import (  # noqa: PLC0415
        DependencyError,
        FileNotDecryptedError,
        LimitReachedError,
        PyPdfError,
    )

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are encrypted with an empty user password and only an
            # owner password restricting printing or copying: those can be read.
            try:
                decrypted = reader.decrypt("")
            except (DependencyError, NotImplementedError, FileNotDecryptedError):
                decrypted = 0
            if not decrypted:
                raise ExtractionFailure("encrypted")
        max_pages = limits["max_pages"]
        # Check the page tree's declared count before walking the tree ...
        tree = reader.root_object["/Pages"]
        declared = tree["/Count"] if "/Count" in tree else None
        if isinstance(declared, int) and declared > max_pages:
            raise ExtractionFailure("too_many_pages", pages=int(declared))
        # ... and the real count, as /Count may lie.
        pages = len(reader.pages)
        if pages > max_pages:
            raise ExtractionFailure("too_many_pages", pages=pages)
        parts, length = [], 0
        for page in reader.pages:
            part = page.extract_text() or ""
            parts.append(part)
            length += len(part)
            if length > limits["max_chars"] * 2:
                break  # enough text, even after whitespace is collapsed
    except FileNotDecryptedError as exc:
        raise ExtractionFailure("encrypted") from exc
    except LimitReachedError as exc:
        # pypdf's own limits: a stream that unpacks to more than 75 MB, or
        # arrays and dictionaries with more than 100,000 entries.
        raise ExtractionFailure("bomb", detail=repr(exc)) from exc
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ExtractionFailure("malformed", kind="pdf", detail=repr(exc)) from exc
    return "\n".join(parts), pages


def _read_zip_member(data: bytes, name: str, kind: str, limits: dict) -> bytes:
    """One member of a zip file, refused before reading if it is a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ExtractionFailure("malformed", kind=kind, detail=repr(exc)) from exc
    with archive:
        try:
            info = archive.getinfo(name)
        except KeyError as exc:
            raise ExtractionFailure(
                "malformed", kind=kind, detail=f"no {name}"
            ) from exc
        max_bytes = limits["max_member_bytes"]
        if info.file_size > max_bytes:
            raise ExtractionFailure(
                "bomb", zip=True, detail=f"{name}: {info.file_size} bytes"
            )
        if info.file_size > MIN_RATIO_CHECK_BYTES and (
            info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise ExtractionFailure(
                "bomb",
                zip=True,
                detail=f"{name}: {info.file_size} from {info.compress_size} bytes",
            )
        try:
            with archive.open(info) as member:
                # zipfile stops at the declared size; read one byte more anyway.
                raw = member.read(max_bytes + 1)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
            raise ExtractionFailure("malformed", kind=kind, detail=repr(exc)) from exc
        if len(raw) > max_bytes:
            raise ExtractionFailure("bomb", zip=True, detail=f"{name}: too long")
    return raw


def _parse_xml(raw: bytes, kind: str):
    """Parse Office XML with defusedxml, refusing any DTD.

    Office XML never has one, and refusing it rules out entity expansion
    and external entities. The parser decides after decoding, so a UTF-16
    or UTF-32 document cannot hide its `<!DOCTYPE` from the check, as it
    could from a search of the raw bytes.
    """
    try:
        return defused_fromstring(raw, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as exc:
        raise ExtractionFailure("malformed", kind=kind, detail=repr(exc)) from exc


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_TEXT = _W + "t"
_DOCX_BREAKS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}
_DOCX_CELL = _W + "tc"
_DOCX_BLOCKS = {_W + "p", _W + "tr", _DOCX_CELL}


def _block_end(tag: str, in_cell: bool, cell: str, row: str) -> str:
    """After a cell a tab, after a row a newline, after a paragraph a newline
    (a space inside a cell, so that a table row stays on one line)."""
    if tag == cell:
        return "\t"
    if tag == row:
        return "\n"
    return " " if in_cell else "\n"


def _extract_docx(data: bytes, limits: dict) -> tuple[str, None]:
    """Paragraphs and tables of word/document.xml, in document order.

    Only `w:t` carries text: field codes (`w:instrText`), deleted revisions
    (`w:delText`) and drawing coordinates are left out.
    """
    root = _parse_xml(
        _read_zip_member(data, "word/document.xml", "docx", limits), "docx"
    )
    out = []
    cells = 0  # depth of table cells around the current element
    # Iterative walk: hostile nesting cannot exhaust the recursion limit.
    # Items are elements to enter or ("end", tag) when one is left.
    stack: list = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            tag = item[1]
            cells -= tag == _DOCX_CELL
            out.append(_block_end(tag, cells > 0, _DOCX_CELL, _W + "tr"))
            continue
        tag = item.tag
        if tag == _DOCX_TEXT:
            out.append(item.text or "")
            continue
        if tag in _DOCX_BREAKS:
            out.append(_DOCX_BREAKS[tag])
            continue
        if tag in _DOCX_BLOCKS:
            stack.append(("end", tag))
            cells += tag == _DOCX_CELL
        stack.extend(reversed(item))
    return "".join(out), None


_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODT_SKIP = {_OFFICE + "annotation", _TEXT + "tracked-changes"}
_ODT_CELL = _TABLE + "table-cell"
_ODT_BLOCKS = {_TEXT + "p", _TEXT + "h", _TABLE + "table-row", _ODT_CELL}


def _extract_odt(data: bytes, limits: dict) -> tuple[str, None]:
    """Paragraphs, headings and tables of content.xml, in document order.

    ODF is mixed content: text sits in elements and in the tails after them.
    Comments (`office:annotation`) and tracked deletions are left out.
    """
    root = _parse_xml(_read_zip_member(data, "content.xml", "odt", limits), "odt")
    out = []
    cells = 0
    # Items are elements to enter, strings to emit, or ("end", tag).
    stack: list = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if isinstance(item, tuple):
            tag = item[1]
            cells -= tag == _ODT_CELL
            out.append(_block_end(tag, cells > 0, _ODT_CELL, _TABLE + "table-row"))
            continue
        tag = item.tag
        if item.tail:
            stack.append(item.tail)
        if tag in _ODT_SKIP:
            continue
        if tag == _TEXT + "s":
            count = item.get(_TEXT + "c", "1")
            out.append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif tag == _TEXT + "tab":
            out.append("\t")
        elif tag == _TEXT + "line-break":
            out.append("\n")
        if tag in _ODT_BLOCKS:
            stack.append(("end", tag))
            cells += tag == _ODT_CELL
        stack.extend(reversed(item))
        if item.text:
            out.append(item.text)
    return "".join(out), None


def _extract_office(data: bytes, limits: dict):
    """A zip file without a telling name: DOCX or ODT by its members."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return "", None
    if "word/document.xml" in names:
        return _extract_docx(data, limits)
    if "content.xml" in names:
        return _extract_odt(data, limits)
    return "", None


_PARSERS = {
    "pdf": _extract_pdf,
    "docx": _extract_docx,
    "odt": _extract_odt,
    "office": _extract_office,
}


def _limit_child(limits: dict) -> None:
    def lower(which, value):
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(
            which, (value, hard if which == resource.RLIMIT_CPU else value)
        )

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dumps of file data
    if limits["memory_bytes"]:
        lower(resource.RLIMIT_AS, limits["memory_bytes"])
    # CPU time as a second line of defence: the child ends by itself even if
    # the parent is gone before it could kill it.
    lower(resource.RLIMIT_CPU, math.ceil(limits["timeout"]) + 1)


_MEMORY_FAILURE = ("memory", {})


def _child_main(conn, kind: str, data: bytes, limits: dict) -> None:
    """Entry point of the child process: parse, send one message, exit."""
    failure = None
    try:
        _limit_child(limits)
        logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
        warnings.simplefilter("ignore")
        text, pages = _PARSERS[kind](data, limits)
        del data
        text = _truncate(normalise_text(text), limits["max_chars"])
        message = ("ok", text, pages)
    except ExtractionFailure as exc:
        failure = (exc.code, exc.params)
    except MemoryError:
        # Nothing may be allocated here: the traceback still holds what
        # filled the memory. It is sent after the except block, when the
        # frames are gone.
        failure = _MEMORY_FAILURE
    except RecursionError:
        failure = ("malformed", {"kind": kind, "detail": "nesting too deep"})
    except Exception as exc:  # noqa: BLE001 - the child reports, never raises
        failure = ("error", {"detail": repr(exc)[:500]})
    if failure is not None:
        message = ("fail", *failure)
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("fail", *_MEMORY_FAILURE))
    finally:
        conn.close()


# --- the parent ----------------------------------------------------------------

_context_lock = threading.Lock()
_context = None


def _get_context():
    """The fork server's context, made once. The fork server imports this
    module and pypdf once, and every child inherits them. A child also
    prepares itself as multiprocessing does, importing the program's main
    script again when the program was started as a script (cheap for
    manage.py, whose work waits under `if __name__ == "__main__"`), and not
    when it was started as a module (`python -m pytest`, as `make test` runs
    the suite)."""
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__, "pypdf", "pypdf.filters"])
            _context = context
    return _context


def _run_in_child(kind: str, data: bytes, limits: dict) -> tuple:
    try:
        context = _get_context()
        receiver, sender = context.Pipe(duplex=False)
    except Exception as exc:  # noqa: BLE001 - no fork server, no extraction
        return ("fail", "error", {"detail": f"no fork server: {exc!r}"})
    process = context.Process(
        target=_child_main,
        args=(sender, kind, data, limits),
        name="klynge-extraction",
    )
    try:
        process.start()
    except Exception as exc:  # noqa: BLE001 - no child, no extraction
        receiver.close()
        sender.close()
        return ("fail", "error", {"detail": f"could not start child: {exc!r}"})
    sender.close()  # so that a dead child reads as EOF here
    try:
        if receiver.poll(limits["timeout"]):
            try:
                return receiver.recv()
            except (EOFError, OSError):
                pass  # died without a word; see the exit code below
            except Exception as exc:  # noqa: BLE001 - a garbled message
                return ("fail", "error", {"detail": repr(exc)})
        else:
            return ("fail", "timeout", {})
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
        exitcode = process.exitcode
        process.close()
    if exitcode == -signal.SIGXCPU:
        return ("fail", "timeout", {"detail": "CPU time limit"})
    return ("fail", "error", {"detail": f"child exited with {exitcode}"})


def _name_of(source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else ""


def _read_input(source, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes of a path, a Django File or a file object."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as f:
            return f.read(max_bytes + 1)
    # A Django FieldFile opens its storage's file on demand; close it again.
    opened_here = False
    if getattr(source, "closed", False) and hasattr(source, "open"):
        source.open("rb")
        opened_here = True
    try:
        position = None
        if getattr(source, "seekable", lambda: False)():
            position = source.tell()
            source.seek(0)
        data = source.read(max_bytes + 1)
        if position is not None:
            source.seek(position)
    finally:
        if opened_here:
            source.close()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return bytes(data)


def extract_text(file_or_path, filename: str | None = None) -> ExtractionResult:
    """The normalised text of a PDF, DOCX, ODT or plain-text file.

    `file_or_path` is a path, a Django `File` (such as a Wagtail document's
    `file`) or a binary file object. `filename` names the file in log lines
    and decides its type by extension; without one, the file's own name is
    used, and without an extension the content is sniffed. Types we do not
    read give an empty text and no error. Never raises.
    """
    limits = current_limits()
    started = time.perf_counter()
    name = filename or _name_of(file_or_path)
    try:
        data = _read_input(file_or_path, limits["max_file_bytes"])
    except Exception as exc:  # noqa: BLE001 - reported like every failure
        return _failed(
            name or repr(file_or_path), "unreadable", {"detail": repr(exc)}, limits
        )
    label = Path(name).name or "(uden navn)"
    if len(data) > limits["max_file_bytes"]:
        return _failed(label, "too_large", {}, limits)
    kind = filetypes.extraction_kind(name, data[: filetypes.HEAD_BYTES])
    if kind is None:
        return ExtractionResult()
    if kind == "text":
        # No parser, so no child: decoding is linear and bounded.
        text = decode_text(data, limits["max_chars"])
        text = _truncate(normalise_text(text), limits["max_chars"])
        return ExtractionResult(text=text)
    message = _run_in_child(kind, data, limits)
    if message[0] != "ok":
        return _failed(label, message[1], message[2], limits)
    _, text, pages = message
    logger.debug(
        "Extracted %d characters from %s in %.3f s",
        len(text),
        label,
        time.perf_counter() - started,
    )
    return ExtractionResult(text=text, pages=pages)


def _failed(label: str, code: str, params: dict, limits: dict) -> ExtractionResult:
    logger.warning(
        "Text extraction failed for %s: %s %s",
        label,
        code,
        params.get("detail", ""),
    )
    pages = params.get("pages") if code == "too_many_pages" else None
    return ExtractionResult(error=_message(code, params, limits), pages=pages)


def main(argv=None) -> int:
    """`python -m klynge_pages.extraction FILE ...`: print each file's text or
    error."""
    paths = sys.argv[1:] if argv is None else argv
    status = 0
    for path in paths:
        result = extract_text(path)
        if result.error:
            sys.stderr.write(f"{path}: {result.error}\n")
            status = 1
        else:
            sys.stdout.write(result.text + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
