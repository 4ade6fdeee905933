"""The exports add links to the public pages, so their URLs must be there
(Django's system checks)."""

from django.core.checks import Error, Tags, register
from django.urls import NoReverseMatch, reverse


@register(Tags.urls)
def urls_check(app_configs, **kwargs):
    try:
        reverse("klynge_exports:rss")
    except NoReverseMatch:
        return [
            Error(
                "The exports' URLs (PDF, ZIP, calendars, feeds) are not in the "
                "site's URL configuration (namespace 'klynge_exports').",
                hint='Add path("", include("klynge_exports.urls")) before '
                "Wagtail's own URLs.",
                id="klynge_exports.E001",
            )
        ]
    return []
