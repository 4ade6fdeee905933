"""The settings of the Klyngeportal apps: one prefix, one place, defaults.

Every app setting is a Django setting named `KLYNGE_<NAME>`; the apps read it
as `klynge_settings.<NAME>`, which falls back to the default below when the
site does not set it. Values are read on every access, so
`override_settings` and the test settings apply at once. The table of
settings, with their meaning, is in docs/settings.md.

The other apps (search, exports, security, editorial, OParl) all build on
`klynge_pages`, so their settings live here too: one contract for a site.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "KLYNGE_"

DEFAULTS = {
    # --- klynge_pages ------------------------------------------------------
    # The template that every public page extends (the host site's layout,
    # with the blocks `title`, `extra_css`, `body_class`, `content` and
    # `extra_js`, as `wagtail start` makes it).
    "BASE_TEMPLATE": "base.html",
    # Create and rename the two groups of each cluster automatically.
    "CLUSTER_GROUPS": True,
    # Importing minutes: the function that reads DOCX/PDF text
    # ("klynge_pages.extraction.extract_text"); "" reads Markdown and text
    # only.
    "IMPORT_TEXT_EXTRACTOR": "",
    "IMPORT_MAX_FILE_MB": 10,
    # Files dropped onto an agenda item at once (attachment_upload.py).
    "ATTACHMENT_UPLOAD_MAX_FILES": 20,
    # --- klynge_search -----------------------------------------------------
    # The public search's Elasticsearch server; "" answers from the database.
    "ELASTICSEARCH_URL": "",
    "SEARCH_INDEX_PREFIX": "klyngeportal",
    # Seconds the public search waits for Elasticsearch before it answers
    # from the database instead.
    "SEARCH_TIMEOUT": 1.5,
    # Requests a minute per client before a Danish 429 (0: no limit).
    "SEARCH_RATE_LIMIT": 60,
    "SUGGEST_RATE_LIMIT": 240,
    # Text extraction from attachments (klynge_klynge_pages/extraction.py).
    "EXTRACTION_TIMEOUT": 20,  # seconds, wall clock, per file
    "EXTRACTION_MEMORY_MB": 512,  # address space of the child process
    "EXTRACTION_MAX_PAGES": 500,  # PDF pages; more and the file fails
    "EXTRACTION_MAX_MEMBER_MB": 50,  # uncompressed size of a DOCX/ODT part
    "EXTRACTION_MAX_CHARS": 1_000_000,  # text kept per file
    "EXTRACTION_MAX_FILE_MB": 100,  # size of the file itself
    # Copies of each shard on other nodes; None: 0 (a single node). 1 on a
    # cluster of three nodes, so that one may fail.
    "SEARCH_INDEX_REPLICAS": None,
    # The django-tasks backend (an alias of TASKS) that replays the search's
    # outbox; the site's own tasks stay on "default".
    "TASK_BACKEND": "default",
    # --- klynge_exports ----------------------------------------------------
    "EXPORT_RATE_LIMIT": 30,
    "FEED_RATE_LIMIT": 120,
    "EXPORT_PDF_CACHE_SECONDS": 600,
    "EXPORT_ZIP_MAX_BYTES": 200 * 1024 * 1024,
    # --- klynge_security ---------------------------------------------------
    "MAX_IMAGE_FRAMES": 10,
    # Reverse proxies in front of the site whose X-Forwarded-For gives the
    # client's address (rate limits, login lockout); 0: REMOTE_ADDR.
    "TRUSTED_PROXY_COUNT": 0,
    # The web server's internal location of MEDIA_ROOT: checked documents
    # are handed over with X-Accel-Redirect under it; "": served by Django.
    "SENDFILE_URL": "",
    # The Content-Security-Policy of the admin (django-csp's format); None:
    # the site's CONTENT_SECURITY_POLICY everywhere.
    "ADMIN_CONTENT_SECURITY_POLICY": None,
    # --- oparl -------------------------------------------------------------
    # The canonical address in the API's ids; "" follows the request's host.
    "OPARL_BASE_URL": "",
    "OPARL_SYSTEM_NAME": "",  # "": WAGTAIL_SITE_NAME
    "OPARL_BODY_NAME": "",  # "": the cluster index page's title
    "OPARL_BODY_SHORT_NAME": "",
    "OPARL_LICENSE": "",
    "OPARL_CONTACT_EMAIL": "",
    "OPARL_CONTACT_NAME": "",
    "OPARL_FIRST_TERM": 2018,  # the first year of an electoral term
    "OPARL_TERM_YEARS": 4,
}

# Settings of earlier versions, read by nothing now: a system check says
# which name replaced them, so that a site does not lose a value silently.
RENAMED = {
    "ELASTICSEARCH_URL": "KLYNGE_ELASTICSEARCH_URL",
    "SEARCH_INDEX_PREFIX": "KLYNGE_SEARCH_INDEX_PREFIX",
    "SEARCH_TIMEOUT": "KLYNGE_SEARCH_TIMEOUT",
    "SEARCH_RATE_LIMIT": "KLYNGE_SEARCH_RATE_LIMIT",
    "SUGGEST_RATE_LIMIT": "KLYNGE_SUGGEST_RATE_LIMIT",
    "EXPORT_RATE_LIMIT": "KLYNGE_EXPORT_RATE_LIMIT",
    "FEED_RATE_LIMIT": "KLYNGE_FEED_RATE_LIMIT",
    "EXPORT_PDF_CACHE_SECONDS": "KLYNGE_EXPORT_PDF_CACHE_SECONDS",
    "EXPORT_ZIP_MAX_BYTES": "KLYNGE_EXPORT_ZIP_MAX_BYTES",
    "OPARL_BASE_URL": "KLYNGE_OPARL_BASE_URL",
    "OPARL_SYSTEM_NAME": "KLYNGE_OPARL_SYSTEM_NAME",
    "OPARL_BODY_NAME": "KLYNGE_OPARL_BODY_NAME",
    "OPARL_BODY_SHORT_NAME": "KLYNGE_OPARL_BODY_SHORT_NAME",
    "OPARL_LICENSE": "KLYNGE_OPARL_LICENSE",
    "OPARL_CONTACT_EMAIL": "KLYNGE_OPARL_CONTACT_EMAIL",
    "OPARL_CONTACT_NAME": "KLYNGE_OPARL_CONTACT_NAME",
    "OPARL_FIRST_TERM": "KLYNGE_OPARL_FIRST_TERM",
    "OPARL_TERM_YEARS": "KLYNGE_OPARL_TERM_YEARS",
}


class KlyngeSettings:
    """`klynge_settings.SEARCH_TIMEOUT` is `settings.KLYNGE_SEARCH_TIMEOUT`,
    or its default. Outside a configured Django (the text extractor's child
    process, `python -m klynge_pages.extraction`) the defaults apply."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"{PREFIX}{name} is not a Klyngeportal setting")
        try:
            value = getattr(settings, PREFIX + name, None)
        except ImproperlyConfigured:
            value = None
        return DEFAULTS[name] if value is None else value

    def __dir__(self):
        return list(DEFAULTS)


klynge_settings = KlyngeSettings()


def public_template_context(**context):
    """The context of a public template: the apps' public templates extend
    `klynge_base_template`, the site's layout (KLYNGE_BASE_TEMPLATE)."""
    return {"klynge_base_template": klynge_settings.BASE_TEMPLATE, **context}
