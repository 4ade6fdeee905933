"""Settings shared by every environment.

Production-safe by default: DEBUG is off and secrets come only from the
environment. `dev`, `test` and `production` build on this module.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

import klynge_pages

# site/settings/base.py -> the repository root.
PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "klyngeportal_site",
    "klynge_pages",
    "klynge_search",
    "klynge_exports",
    "klynge_editorial",
    "oparl",
    "django_tasks",
    "django_tasks_db",
    "klynge_security",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Not for its template tags: Wagtail's admin formats times with
    # humanize's `naturaltime` ("nu", "for 3 minutter siden"), whose Danish
    # Django loads only from an installed app.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that it sees the response last: only what every other part
    # left alone may be marked for the caching proxy.
    "klyngeportal_site.caching.SharedCacheMiddleware",
    "klynge_security.middleware.AreaCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "klynge_security.middleware.AdminAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "klyngeportal_site.urls"
WSGI_APPLICATION = "klyngeportal_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "klyngeportal_site.context_processors.accessibility_statement",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://user:password@127.0.0.1:5432/klyngeportal.
# Unset: the embedded default, a SQLite file in the project.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, not at its
    # first write: what it reads stays true until it commits, as under
    # PostgreSQL's row locks (MeetingPage.save relies on it).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]

# Failed logins are rate-limited by django-axes: after AXES_FAILURE_LIMIT
# failures for one username from one address, that pair is locked out for
# AXES_COOLOFF_TIME (a Danish page, HTTP 429). Keyed on the pair, so that a
# stranger cannot lock an editor out and one office behind a shared address
# does not lock out its colleagues.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "klynge_security.lockout.lockout_response"
# The client's address (klynge_security/clients.py), for the lockout and the
# rate limits: REMOTE_ADDR, unless the site runs behind that many trusted
# proxies (then the address the outermost of them saw, from X-Forwarded-For).
# Trusting the header without a proxy would let a client choose its own
# address.
KLYNGE_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "klynge_security.clients.client_address"

# Danish everywhere: public pages, the admin, dates and times.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk"))]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# The package's catalogues (klynge_pages/locale/): Danish for Wagtail's admin,
# whose own Danish catalogues are far from complete. Django prefers
# LOCALE_PATHS over the apps' catalogues, and the admin's JavaScript
# catalogue reads only LOCALE_PATHS and Wagtail's own. Compiled by `make
# messages`; see docs/danish-glossary.md.
LOCALE_PATHS = [klynge_pages.LOCALE_DIR]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Det Fælles Designsystem, installed from npm (`npm ci`) and served from here:
# never from a CDN.
STATICFILES_DIRS = [("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist")]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}

# Page editors can exceed Django's default of 1,000 fields per form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail (workflow notifications, reminders).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "klyngeportal@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Wagtail
WAGTAIL_SITE_NAME = "Klyngeportal"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls to third parties (see the CSP)
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no user e-mail hashes sent to Gravatar

# Uploads (klynge_security/uploads.py; docs/security.md). Documents are
# checked by content, not only by name, and always served through Django,
# so that the rules on who may download them hold (klynge_security/
# documents.py), and as attachments, never shown inline by the browser.
WAGTAILDOCS_EXTENSIONS = ["docx", "odt", "pdf", "pptx", "xlsx", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "klynge_security.uploads.DocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# Images: raster formats only (no SVG, which can carry script), at most
# 10 MB, 40 megapixels and KLYNGE_MAX_IMAGE_FRAMES frames.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "klynge_security.uploads.ImageForm"
KLYNGE_MAX_IMAGE_FRAMES = 10

# Importing minutes (klynge_pages.importing, docs/importing.md): DOCX and PDF
# are read by the search app's extractor, in a limited child process.
KLYNGE_IMPORT_TEXT_EXTRACTOR = "klynge_pages.extraction.extract_text"
KLYNGE_IMPORT_MAX_FILE_MB = 10

# Content-Security-Policy (django-csp; klynge_security.middleware). Public
# pages: everything from this site, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin renders inline scripts (inline panels, date pickers) and
# inline styles, and frames its own previews: 'unsafe-inline' and 'self'
# framing there, still nothing from other origins.
KLYNGE_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# Minutes go live only through their approval workflow; its completion
# publishes them (see klynge_pages/workflow_actions.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "klynge_pages.workflow_actions.publish_approved"

# Wagtail's own search (the admin's) uses the database backend everywhere:
# its Elasticsearch backend needs the `analysis-common` module that the nodes
# we test against do not have. The public search lives in `klynge_search`.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# The apps' own settings: KLYNGE_…, each with a default (docs/settings.md).
# This site takes them from environment variables of shorter names.

# The public search (the `klynge_search` app). Unset: it falls back to
# Wagtail's database search backend, so the site runs with no servers at all.
KLYNGE_ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
KLYNGE_SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "klyngeportal")
# How long the public search waits for Elasticsearch before it answers from
# the database instead (seconds).
KLYNGE_SEARCH_TIMEOUT = float(os.environ.get("SEARCH_TIMEOUT", "1.5"))
# Requests a minute per client (klynge_security/ratelimit.py); 0: no limit.
# Autocomplete asks as the citizen types, so it gets more.
KLYNGE_SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "60"))
KLYNGE_SUGGEST_RATE_LIMIT = int(os.environ.get("SUGGEST_RATE_LIMIT", "240"))

# Exports (klynge_exports): PDFs and ZIPs per client and minute, calendars and
# feeds per client and minute; how long a rendered PDF is reused; the largest
# "Hent alle bilag" archive.
KLYNGE_EXPORT_RATE_LIMIT = int(os.environ.get("EXPORT_RATE_LIMIT", "30"))
KLYNGE_FEED_RATE_LIMIT = int(os.environ.get("FEED_RATE_LIMIT", "120"))
KLYNGE_EXPORT_PDF_CACHE_SECONDS = 600
KLYNGE_EXPORT_ZIP_MAX_BYTES = 200 * 1024 * 1024

# Background work (django-tasks). The search index replay (search/outbox.py)
# and the proxy's repeated purge go to the "worker" backend: right after the
# publishing transaction commits, unless TASKS_BACKEND=database, which queues
# them for `manage.py db_worker --backend worker`. Wagtail's own tasks (the
# reference index, which decides who may download a document, and the
# admin's search index) always run right away, so those rules never lag
# behind a publish.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "worker": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    },
}
KLYNGE_TASK_BACKEND = "worker"


# The caching proxy in front of a production site (site/caching.py,
# site/frontend_cache.py, docs/operations.md): how long it may keep a public
# page for anonymous visitors (0: pages are not marked for shared caches), and
# after how many seconds the task worker purges a change a second time.
# Purging needs WAGTAILFRONTENDCACHE (see production.py).
PROXY_CACHE_SECONDS = 0
PURGE_REPEAT_SECONDS = 5


# Open data: the OParl 1.1 API (the `oparl` app). Ids are absolute URLs, so
# a production site names its one canonical address; unset, they follow the
# request's host.
KLYNGE_OPARL_BASE_URL = os.environ.get("OPARL_BASE_URL", "")
KLYNGE_OPARL_BODY_NAME = "Sundhedsaftalen i Region Nordjylland"
KLYNGE_OPARL_BODY_SHORT_NAME = "Sundhedsaftalen"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "elastic_transport": {"level": "WARNING"},
        # One line per background task; the page log entries say what happened.
        "django_tasks": {"level": "WARNING"},
        # Its start-up banner; failed logins and lockouts still log.
        "axes.apps": {"level": "WARNING"},
        # WeasyPrint's rendering steps; its warnings (a refused URL) still log.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
