"""Danish dates in templates (see `klynge_pages.dates`)."""

from django import template

from klynge_pages.dates import danish_date, danish_datetime, danish_meeting_time

register = template.Library()


@register.filter
def dansk_dato(value):
    """“onsdag den 6. november 2019”."""
    return danish_date(value)


@register.filter
def dansk_tidspunkt(value):
    """“onsdag den 6. november 2019 kl. 16.30”."""
    return danish_datetime(value)


@register.simple_tag
def dansk_moedetid(start, end=None):
    """“onsdag den 6. november 2019 kl. 16.30–18.00”."""
    return danish_meeting_time(start, end)


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages above `page` but the tree's root: as routing loaded them for
    this request where it did (NotUnderDraftsMixin), else from the database."""
    routed = getattr(page, "routed_ancestors", None)
    ancestors = routed() if routed else None
    if ancestors is None:
        ancestors = list(page.get_ancestors()[1:])
    return ancestors
