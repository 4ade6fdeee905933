"""What the API remembers beyond the content itself.

The content has no timestamps for everything OParl needs: people,
organisations and places are snippets without any, a meeting loses its
results when its minutes are withdrawn without any date on the meeting
moving, and an unpublished or deleted object leaves nothing behind. OParl
1.1 requires `created` and `modified` on every object and a soft delete
(`deleted: true`, spec chapter 2.8) for everything that disappears, so
that clients syncing with `modified_since` learn of it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectRecord(models.Model):
    """An object the API has shown, kept after it disappears (the tombstone).

    Written only by `oparl.records` after content changes (Wagtail's
    publish, unpublish and delete signals, privacy and snippet changes):
    the API itself only reads it.
    """

    kind = models.CharField(_("art"), max_length=16)
    object_id = models.BigIntegerField(_("objekt-id"))
    # The object's segment in its URL (the agenda item's uuid, else the id).
    url_key = models.CharField(_("URL-nøgle"), max_length=64)
    created = models.DateTimeField(_("oprettet"))
    # The modification time the content's own fields gave when last seen:
    # when it moves backwards (minutes withdrawn), the object still changed.
    own_modified = models.DateTimeField(_("egen ændringstid"))
    # When the object last changed in a way the content's own fields do not
    # show (reappeared, withdrawn results, an edited snippet) or was deleted.
    modified = models.DateTimeField(_("ændret"), db_index=True)
    deleted = models.BooleanField(_("slettet"), default=False)

    class Meta:
        verbose_name = _("OParl-objekt")
        verbose_name_plural = _("OParl-objekter")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="oparl_unique_object"
            )
        ]
        indexes = [models.Index(fields=["kind", "url_key"])]

    def __str__(self):
        state = " (slettet)" if self.deleted else ""
        return f"{self.kind} {self.url_key}{state}"


class FileDigest(models.Model):
    """The SHA-512 checksum and size of a document's file, computed once.

    Wagtail keeps only a SHA-1 (`file_hash`); OParl 1.1 deprecates SHA-1 in
    favour of `sha512Checksum`. `file_name` tells whether the document's
    file has been replaced since.
    """

    document = models.OneToOneField(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha512 = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("filkontrolsum")
        verbose_name_plural = _("filkontrolsummer")

    def __str__(self):
        return f"{self.file_name}: {self.sha512[:16]}…"
