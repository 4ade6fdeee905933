"""Danish dates as the terms of reference and minutes write them:
“onsdag den 6. november 2019 kl. 16.30”."""

from datetime import datetime

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()

DATE_FORMAT = r"l \d\e\n j. F Y"
TIME_FORMAT = r"\k\l. H.i"


def _format(value, fmt):
    if translation.get_language() == "da":  # the site's language: no switch
        return dateformat.format(value, fmt)
    with translation.override("da"):
        return dateformat.format(value, fmt)


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def dansk_dato(value):
    """“onsdag den 6. november 2019”."""
    if not value:
        return ""
    return _format(_local(value), DATE_FORMAT)


@register.filter
def dansk_tidspunkt(value):
    """“onsdag den 6. november 2019 kl. 16.30”."""
    if not value:
        return ""
    return _format(_local(value), f"{DATE_FORMAT} {TIME_FORMAT}")


@register.simple_tag
def dansk_moedetid(start, end=None):
    """“onsdag den 6. november 2019 kl. 16.30–18.00”, or with both dates when
    the meeting runs past midnight."""
    if not start:
        return ""
    start = _local(start)
    text = dansk_tidspunkt(start)
    if end:
        end = _local(end)
        if end.date() == start.date():
            text += "–" + _format(end, "H.i")
        else:
            text += " – " + dansk_tidspunkt(end)
    return text
