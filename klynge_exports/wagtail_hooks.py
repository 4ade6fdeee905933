"""The exports on the public pages and in the admin.

On the public pages through the hooks klynge_pages offers (it names no URL
of this app): the list "Hent og gem" of a meeting and minutes, and the
calendar and feeds to follow on the cluster pages. In the admin, a published
meeting's and minutes' page header offers the same PDF (and ZIP) that
citizens download, so the secretariat can print or send them without leaving
the admin."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from klynge_pages.models import (
    ClusterIndexPage,
    ClusterPage,
    MeetingPage,
    MinutesPage,
    public_page_ids,
)


@hooks.register("register_page_header_buttons")
def export_buttons(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if not isinstance(specific, MeetingPage | MinutesPage) or not page.live:
        return
    if page.pk not in public_page_ids([page.pk]):
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


@hooks.register("register_klynge_page_links")
def public_export_links(page, context):
    if isinstance(page, MinutesPage):
        yield (
            _("Referat som PDF"),
            reverse("klynge_exports:minutes_pdf", args=[page.pk]),
        )
    elif isinstance(page, MeetingPage):
        yield (
            _("Dagsorden som PDF"),
            reverse("klynge_exports:agenda_pdf", args=[page.pk]),
        )
        if context.get("agenda_items"):
            yield (
                _("Hent alle bilag (ZIP)"),
                reverse("klynge_exports:attachments_zip", args=[page.pk]),
            )
        yield (
            _("Føj mødet til din kalender"),
            reverse("klynge_exports:calendar_meeting", args=[page.pk]),
        )


def _follow_paths(page):
    if isinstance(page, ClusterPage):
        return {
            "calendar_path": reverse(
                "klynge_exports:calendar_cluster", args=[page.slug]
            ),
            "rss_path": reverse("klynge_exports:rss_cluster", args=[page.slug]),
            "atom_path": reverse("klynge_exports:atom_cluster", args=[page.slug]),
            "heading": _("Følg klyngen"),
        }
    if isinstance(page, ClusterIndexPage):
        return {
            "calendar_path": reverse("klynge_exports:calendar"),
            "rss_path": reverse("klynge_exports:rss"),
            "atom_path": reverse("klynge_exports:atom"),
            "heading": _("Følg alle klynger"),
        }
    return None


@hooks.register("insert_klynge_page_html")
def public_feeds(page, context, region):
    paths = _follow_paths(page)
    if paths is None:
        return ""
    values = {"page": page, "request": context.get("request"), **paths}
    if region == "head" and isinstance(page, ClusterPage):
        return render_to_string("klynge_exports/feed_links.html", values)
    if region == "follow":
        return render_to_string("klynge_exports/follow.html", values)
    return ""
