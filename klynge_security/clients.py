"""The client's address, for the login lockout (django-axes) and the
per-client rate limits (ratelimit.py).

Behind reverse proxies, REMOTE_ADDR is the nearest proxy's address, and every
citizen would share one rate limit. Each trusted proxy appends the address it
received the request from to X-Forwarded-For, so with
KLYNGE_TRUSTED_PROXY_COUNT proxies in front the client's address is that many
places from the right. Everything further left was written by the client and
is not trusted. Without trusted proxies (the default) the header is ignored:
otherwise a client could choose its own address.
"""

from klynge_pages.conf import klynge_settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = klynge_settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        # Not through all the proxies (a request to the app server itself):
        # the address that connected is the best there is.
        return remote
    return forwarded[-proxies]
