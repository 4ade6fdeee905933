"""Per-client rate limits for public endpoints that cost the servers work
(the search, the PDF and ZIP exports, the calendars and feeds): a fixed
window counted in Django's cache, keyed on the client's address as
django-axes resolves it (TRUSTED_PROXY_COUNT behind a proxy).

Over the limit, the client gets HTTP 429 with a Danish page (or JSON for
`format=json`) and a Retry-After header; nothing else is slowed down.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from klynge_pages.conf import klynge_settings, public_template_context


def rate_limited(name, setting, message=None, json=False):
    """Decorate a view: at most `KLYNGE_<setting>` requests a minute per
    client (0 switches it off). `message` is the Danish text of the 429
    answer; `json` answers in JSON always (for views that only speak JSON),
    otherwise a request with `format=json` gets JSON and others a page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = getattr(klynge_settings, setting)
            if limit and _over_limit(name, request, limit):
                return _too_many(request, message, json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


WINDOW = 60


def _over_limit(name, request, limit):
    window = int(time.time() // WINDOW)
    # Imported here, not at the top: axes.helpers loads django-axes' models,
    # which need the app installed, and importing this module (through the
    # search's URLs) must not crash before the system check
    # klynge_security.E001 can say so.
    from axes.helpers import get_client_ip_address  # noqa: PLC0415 - see above

    client = get_client_ip_address(request) or "unknown"
    key = f"klynge-ratelimit:{name}:{client}:{window}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        count = 1
    return count > limit


def _too_many(request, message=None, json=False):
    message = str(
        message
        or _(
            "Du har sendt mange forespørgsler på kort tid. Vent et minut, "
            "og prøv så igen."
        )
    )
    if json or request.GET.get("format") == "json":
        response = JsonResponse({"error": message}, status=429)
    else:
        response = render(
            request,
            "klynge_security/too_many_requests.html",
            public_template_context(message=message),
            status=429,
        )
    response["Retry-After"] = str(WINDOW)
    return response
