"""Uploaded files on the development server.

Documents are served only through Wagtail's checked view (/dokumenter/…,
see documents.py), never from MEDIA_ROOT: Django's `static()` helper would
serve every upload, drafts' and closed items' attachments included, to
anyone with DEBUG on. Images are not confidential (docs/security.md) and
need a URL of their own, so this serves the image folders and nothing else.
Production serves them the same way from the web server (docs/security.md,
"Uploaded files in production").
"""

from django.conf import settings
from django.http import Http404
from django.urls import re_path
from django.views.static import serve

# Wagtail's image originals and renditions: the only public part of MEDIA_ROOT.
PUBLIC_MEDIA_FOLDERS = ("original_images/", "images/")


def serve_public_media(request, path):
    if not path.startswith(PUBLIC_MEDIA_FOLDERS) or ".." in path.split("/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def media_urlpatterns():
    """URL patterns for the image folders under MEDIA_URL, for DEBUG only."""
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?P<path>.*)$", serve_public_media)]
