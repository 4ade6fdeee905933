"""Handing checked documents to the web server (SENDFILE_BACKEND).

Wagtail's document view (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`) runs
the `before_serve_document` check (wagtail_hooks.py) and then asks this
backend for the response. Instead of streaming the file through Python, the
response names it in `X-Accel-Redirect` under KLYNGE_SENDFILE_URL, a location
nginx serves only internally (`internal;`) from MEDIA_ROOT. A client asking
for that location itself gets a 404, and MEDIA_ROOT has no public location
at all: a file is reachable only through the view, that is, only after the
check. See docs/operations.md.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse

from klynge_pages.conf import klynge_settings


class AcceleratedResponse(HttpResponse):
    """An empty response whose body nginx supplies.

    Wagtail's `sendfile()` sets Content-Length to the file's size after the
    backend returns; on a response with no body that would make the app
    server and nginx disagree about where the response ends. Django's
    CommonMiddleware sets the true length (0) instead.
    """

    def __setitem__(self, header, value):
        if header.lower() == "content-length":
            return
        super().__setitem__(header, value)


def sendfile(request, filename, **kwargs):
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        relative = Path(filename).resolve().relative_to(root)
    except ValueError:
        # Only files under MEDIA_ROOT are behind the internal location.
        raise Http404 from None
    response = AcceleratedResponse(content_type=kwargs.get("mimetype"))
    location = klynge_settings.SENDFILE_URL.rstrip("/") + "/"
    response["X-Accel-Redirect"] = location + quote(relative.as_posix())
    return response
