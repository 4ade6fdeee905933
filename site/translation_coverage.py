"""How much of Wagtail's admin the project's own catalogues translate.

Wagtail's Danish catalogues cover a small part of the admin, so the project
ships its own (`klynge_pages/locale/da/LC_MESSAGES/`, first in `LOCALE_PATHS`, which
Django prefers over the apps' catalogues). When Wagtail is upgraded, new
messages appear in its English templates; this module compares those
templates, read from the installed package, with the project's catalogues and
says what is still missing (`manage.py translation_coverage --missing`).
"""

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# The Wagtail apps an editor, approver or secretariat user meets in the admin,
# with the gettext domain of each catalogue. The admin's JavaScript strings
# live in the `djangojs` domain; everything else in `django`.
ADMIN_FACING_CATALOGUES = [
    ("wagtail.admin", "django"),
    ("wagtail.admin", "djangojs"),
    ("wagtail", "django"),
    ("wagtail.snippets", "django"),
    ("wagtail.documents", "django"),
    ("wagtail.images", "django"),
    ("wagtail.users", "django"),
    ("wagtail.sites", "django"),
    ("wagtail.contrib.forms", "django"),
    ("wagtail.contrib.redirects", "django"),
]


@dataclass(frozen=True)
class Message:
    context: str | None
    msgid: str
    plural: str | None = None

    def __str__(self):
        text = self.msgid if self.context is None else f"[{self.context}] {self.msgid}"
        return text.replace("\n", "\\n")


@dataclass
class Coverage:
    app: str
    domain: str
    total: int
    missing: list[Message] = field(default_factory=list)

    @property
    def translated(self):
        return self.total - len(self.missing)

    @property
    def label(self):
        return self.app if self.domain == "django" else f"{self.app} ({self.domain})"


@dataclass
class Report:
    catalogues: list[Coverage]

    @property
    def total(self):
        return sum(c.total for c in self.catalogues)

    @property
    def translated(self):
        return sum(c.translated for c in self.catalogues)

    @property
    def percentage(self):
        return 100.0 * self.translated / self.total if self.total else 100.0


# One entry of a PO file: its keywords (msgctxt, msgid, msgid_plural,
# msgstr, msgstr[0], ...) and flags.
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text):
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def read_po(path):
    """The entries of a PO file as dicts of keyword -> text, plus "flags".

    A small reader instead of a dependency: it needs only what msgfmt writes
    and reads (comments, flags, obsolete entries, continued strings)."""
    entries = []
    entry, keyword = None, None

    def finish():
        if entry and "msgid" in entry:
            entries.append(entry)

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if entry is not None and "msgid" in entry:
                    finish()
                    entry, keyword = None, None
                entry = entry or {"flags": set()}
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        match = _KEYWORD.match(line)
        if match:
            kw, text = match.groups()
            # msgctxt or msgid after a msgstr starts the next entry.
            if (
                kw in ("msgctxt", "msgid")
                and entry
                and any(k.startswith("msgstr") for k in entry)
            ):
                finish()
                entry = None
            entry = entry or {"flags": set()}
            entry[kw] = _unescape(text)
            keyword = kw
            continue
        match = _CONTINUATION.match(line)
        if match and entry is not None and keyword:
            entry[keyword] += _unescape(match.group(1))
            continue
        raise ValueError(f"{path}: cannot read line {line!r}")
    finish()
    return entries


def _messages(entries):
    """Message -> translated? for the entries of a catalogue (header left out)."""
    result = {}
    for entry in entries:
        if entry["msgid"] == "" and "msgctxt" not in entry:
            continue
        message = Message(
            entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")
        )
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        result[message] = (
            "fuzzy" not in entry["flags"] and bool(strings) and all(strings)
        )
    return result


def wagtail_template(app, domain):
    """The English template of a Wagtail app's catalogue, from the installed
    package."""
    package = Path(importlib.import_module(app).__file__).parent
    return package / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"


def project_catalogue(domain, language="da", locale_dir=None):
    locale_dir = Path(locale_dir or settings.LOCALE_PATHS[0])
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def coverage(language="da", locale_dir=None, catalogues=ADMIN_FACING_CATALOGUES):
    """The share of each Wagtail catalogue's messages that the project's
    catalogue of the same domain translates."""
    translations = {}
    results = []
    for app, domain in catalogues:
        if domain not in translations:
            path = project_catalogue(domain, language, locale_dir)
            translated = _messages(read_po(path)) if path.exists() else {}
            # Keyed without the plural: Django looks a message up by its
            # context and singular.
            translations[domain] = {
                (m.context, m.msgid): ok for m, ok in translated.items()
            }
        template = _messages(read_po(wagtail_template(app, domain)))
        missing = [
            message
            for message in template
            if not translations[domain].get((message.context, message.msgid))
        ]
        results.append(Coverage(app, domain, len(template), missing))
    return Report(results)
