"""Danish dates in templates (see `klynge_pages.dates`), and the places where
other installed apps add to the public pages (Wagtail hooks)."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from wagtail import hooks

from klynge_pages.dates import (
    danish_date,
    danish_datetime,
    danish_day,
    danish_meeting_time,
)

register = template.Library()

# The hooks an optional app (klynge_exports, for one) registers to add to the
# public pages, so that klynge_pages never names another app's URLs:
# - LINKS_HOOK: fn(page, context) -> iterable of (label, url), the list
#   "Hent og gem" on a published meeting or minutes page;
# - HTML_HOOK: fn(page, context, region) -> HTML or "", where region is
#   "head" (inside <head>) or "follow" (a section near the end of a cluster's
#   or the cluster index's page).
LINKS_HOOK = "register_klynge_page_links"
HTML_HOOK = "insert_klynge_page_html"


# “onsdag den 6. november 2019” and “6. november 2019” (klynge_pages.dates).
register.filter("dansk_dato", danish_date)
register.filter("dansk_dag", danish_day)


@register.filter
def dansk_tidspunkt(value):
    """“onsdag den 6. november 2019 kl. 16.30”."""
    return danish_datetime(value)


@register.simple_tag
def dansk_moedetid(start, end=None):
    """“onsdag den 6. november 2019 kl. 16.30–18.00”."""
    return danish_meeting_time(start, end)


@register.simple_tag(takes_context=True)
def klynge_page_links(context, page):
    """The links the installed apps offer for `page`, or nothing."""
    links = [
        link for hook in hooks.get_hooks(LINKS_HOOK) for link in hook(page, context)
    ]
    if not links:
        return ""
    return render_to_string(
        "klynge_pages/includes/page_links.html",
        {"items": format_html_join("", '<li><a href="{1}">{0}</a></li>', links)},
    )


@register.simple_tag(takes_context=True)
def klynge_page_html(context, page, region):
    """What the installed apps add to `page` at `region`."""
    parts = [hook(page, context, region) for hook in hooks.get_hooks(HTML_HOOK)]
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308 - each hook returns rendered, escaped HTML


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages above `page` but the tree's root: as routing loaded them for
    this request where it did (NotUnderDraftsMixin), else from the database."""
    routed = getattr(page, "routed_ancestors", None)
    ancestors = routed() if routed else None
    if ancestors is None:
        ancestors = list(page.get_ancestors()[1:])
    return ancestors
