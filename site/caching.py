"""Which responses a shared cache (the caching proxy in front of the app
servers) may keep, and for how long: docs/operations.md.

Only public pages, for anonymous visitors, may be cached. A response is
marked `Cache-Control: public, max-age=0, s-maxage=PROXY_CACHE_SECONDS`
when all of these hold:

- Wagtail served a page (the `before_serve_page` hook in wagtail_hooks.py
  marks the request); the admin, previews, the search, the API, documents
  and exports are never marked;
- the request is a GET or HEAD without a session cookie, from a visitor who
  is not logged in;
- the answer is a 200 that sets no cookie and says nothing about caching
  itself (Wagtail's password form for a private page says `no-cache`);
- the page has no view restriction, on itself or an ancestor.

Everything else goes out as before, and the proxy stores nothing that does
not say `public` with a lifetime. Publishing purges what a change affects
(frontend_cache.py); the lifetime bounds how stale a page can be on what no
purge covers (a meeting that moves from "next" to "past" as time goes by).

The feeds and calendars mark themselves (`public, max-age=900`, with an
ETag) in klynge_exports/views.py; they are purged the same way.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

SAFE_METHODS = {"GET", "HEAD"}


def mark_served_page(page, request, serve_args, serve_kwargs):
    """`before_serve_page` hook: remember which page this request serves."""
    request.klynge_served_page = page


class SharedCacheMiddleware:
    """Marks public pages for anonymous visitors as cacheable by the proxy
    (see the module's docstring). Does nothing when
    PROXY_CACHE_SECONDS is 0, the default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = getattr(settings, "PROXY_CACHE_SECONDS", 0)
        if seconds and self.cacheable(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
        return response

    def cacheable(self, request, response):
        page = getattr(request, "klynge_served_page", None)
        if (
            page is None
            or request.method not in SAFE_METHODS
            or response.status_code != 200
            or response.has_header("Cache-Control")
            or response.cookies
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        # A private page answers with Wagtail's password form or a redirect
        # to the login, never a 200 of its own, unless the visitor passed the
        # restriction (which needs a session, refused above). Checked all the
        # same: a private page in a public cache is the one mistake this
        # module must not make.
        return not page.get_view_restrictions().exists()
