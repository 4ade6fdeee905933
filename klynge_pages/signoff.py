"""What approvers sign: a canonical record of the minutes and its digest.

A sign-off is bound to one revision of the minutes and to the SHA-256 digest
of that revision's public record (`MinutesPage.public_record()`): the title,
the introduction, each decision with the agenda item as the minutes show it
(number, title, recommendation, closed), attendance, the minute-taker, and
every document the text links to, by the SHA-256 of its bytes. The digest is
shown on the public minutes and in their PDF, and `manage.py verify_minutes`
recomputes it from what is live.

The rule that keeps the digest true: from the moment minutes are sent to
"Referatgodkendelse" until the round ends, no revision of them can be saved,
by anyone, by any path (`MinutesPage.save_revision` refuses, and the lock
below tells the admin's views). To change the wording, a reviewer rejects
with a comment, and the next submission starts a new round.
"""

import hashlib
import json
import re

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.locks import BaseLock

# Bump when the record's shape changes; older sign-offs keep their version's
# digest and are verified with it.
RECORD_VERSION = 1

# <a linktype="document" id="12"> in Wagtail's stored rich text.
DOCUMENT_LINK = re.compile(r'<a\b[^>]*\blinktype="document"[^>]*>')
LINK_ID = re.compile(r'\bid="(\d+)"')

FROZEN_MESSAGE = _(
    "Referatet er sendt til godkendelse og kan ikke ændres, før godkendelsen "
    "er afsluttet. Vil du have noget rettet, så afvis med en kommentar."
)
# What the editor who sent them, or anyone without a step to act on, reads.
WAITING_MESSAGE = _(
    "Referatet kan ikke ændres, mens det godkendes. Det kommer på "
    "hjemmesiden, når godkendelsen er afsluttet; bliver der bedt om "
    "rettelser, får du det tilbage med en kommentar og kan rette og sende "
    "det igen."
)


class SignOffInProgress(PermissionDenied):
    """Raised when something tries to change minutes while they are being
    signed off. A PermissionDenied, so the admin and its API answer with a
    refusal, not an error page."""

    def __init__(self):
        super().__init__(str(FROZEN_MESSAGE))


class SignedContentChanged(PermissionDenied):
    """Raised instead of publishing minutes whose content is not what the
    approvals name."""

    def __init__(self):
        super().__init__(
            str(
                _(
                    "Referatet er ikke det, der blev godkendt, og udgives "
                    "ikke. Kontakt sekretariatet."
                )
            )
        )


def document_ids(*html_texts):
    """The ids of the documents linked from Wagtail rich text."""
    ids = set()
    for html in html_texts:
        for tag in DOCUMENT_LINK.findall(html or ""):
            if match := LINK_ID.search(tag):
                ids.add(int(match[1]))
    return ids


def file_sha256(document):
    """The SHA-256 of a document's bytes, or "" when the file is missing (a
    missing file then changes the digest, which is what a verifier wants to
    see)."""
    sha = hashlib.sha256()
    try:
        with document.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                sha.update(chunk)
    except (OSError, ValueError):
        return ""
    finally:
        document.file.close()
    return sha.hexdigest()


def canonical_bytes(record):
    return json.dumps(
        record, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def digest_of(record):
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def short_digest(digest):
    """The first 16 hex digits in groups of four, as people read them aloud:
    "3f9a 1c2b 7d4e 0a11"."""
    head = (digest or "")[:16]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


class SignOffLock(BaseLock):
    """Minutes in "Referatgodkendelse" are locked for everyone: reviewers and
    approvers approve or reject, nobody edits (see the module docstring)."""

    def for_user(self, user):
        return True

    def get_message(self, user):
        state = self.object.current_workflow_state
        task = self.object.current_workflow_task
        where = ""
        if state is not None and task is not None:
            where = _("Referatet afventer „%(task)s“ i „%(workflow)s“.") % {
                "task": task.name,
                "workflow": state.workflow.name,
            }
        if task is not None and task.get_actions(self.object, user):
            return format_html(
                '{} {} <a href="{}">{}</a>',
                where,
                FROZEN_MESSAGE,
                reverse("klynge_pages_signoff_approve", args=(self.object.pk,)),
                _("Gå til godkendelsen"),
            )
        return format_html("{} {}", where, WAITING_MESSAGE)

    def get_locked_by(self, user):
        return _("Låst under godkendelse")

    def get_description(self, user):
        return _("Ingen kan ændre referatet, mens det godkendes.")
