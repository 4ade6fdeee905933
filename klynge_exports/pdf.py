"""Agenda and minutes as PDF, rendered from Django templates by WeasyPrint.

The documents are tagged PDF/UA (structure, language, title), so that screen
readers can read them like the pages. WeasyPrint never fetches anything while
rendering: rich text holds links, not images, and a link to another host must
not make the server open connections (`NoFetching`). Links stay links.

A rendered PDF is cached under the publication times of the pages it shows,
so republishing makes a new one; `EXPORT_PDF_CACHE_SECONDS` bounds how long a
change to a snippet (a person's title, a place) takes to show.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string

from klynge_pages.conf import klynge_settings


def render_pdf(template, context, base_url):
    # Imported here: WeasyPrint loads Pango when imported, and the rest of the
    # site must run on a machine without it.
    from weasyprint import HTML  # noqa: PLC0415 - loads Pango, see above
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"exports do not fetch resources ({url[:80]})")

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url, url_fetcher=NoFetching()).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def cached_pdf(kind, pages, build):
    """The PDF for `pages` (the pages whose content it shows), from the cache
    or built by `build()`."""
    versions = "|".join(
        f"{page.pk}:{page.last_published_at and page.last_published_at.isoformat()}"
        for page in pages
    )
    digest = hashlib.sha256(versions.encode()).hexdigest()[:32]
    key = f"klynge-exports:{kind}:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = build()
        cache.set(key, pdf, timeout=klynge_settings.EXPORT_PDF_CACHE_SECONDS)
    return pdf
