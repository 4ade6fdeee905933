from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingChange(models.Model):
    """A page whose search documents must be brought in line with the
    database: the outbox between publishing and the index.

    A row is written in the same transaction as the change (publish,
    unpublish, delete, move, privacy), so it survives an Elasticsearch that is
    down or slow. Replaying a row reads the page's current state, and the
    row's id is the documents' external version, so rows can be replayed
    any number of times and in any order without an older state winning.
    """

    page_id = models.PositiveIntegerField(_("side-id"), db_index=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ventende ændring i søgeindekset")
        verbose_name_plural = _("ventende ændringer i søgeindekset")

    def __str__(self):
        return f"{self.pk}: side {self.page_id}"
