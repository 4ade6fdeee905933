"""The exports in the admin: a published meeting's and minutes' page header
offers the same PDF (and ZIP) that citizens download, so the secretariat can
print or send them without leaving the admin."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from klynge_pages.models import MeetingPage, MinutesPage
from klynge_security.documents import published_page_ids


@hooks.register("register_page_header_buttons")
def export_buttons(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if not isinstance(specific, MeetingPage | MinutesPage) or not page.live:
        return
    if page.pk not in published_page_ids([page.pk]):
        return  # private, or under an unpublished page: nothing to export
    if isinstance(specific, MinutesPage):
        yield Button(
            _("Referat som PDF"),
            reverse("klynge_exports:minutes_pdf", args=[page.pk]),
            icon_name="doc-full",
            priority=50,
        )
        return
    yield Button(
        _("Dagsorden som PDF"),
        reverse("klynge_exports:agenda_pdf", args=[page.pk]),
        icon_name="doc-full",
        priority=50,
    )
    yield Button(
        _("Hent alle bilag (ZIP)"),
        reverse("klynge_exports:attachments_zip", args=[page.pk]),
        icon_name="download",
        priority=51,
    )
