"""What the security app cannot run without (Django's system checks)."""

from django.apps import apps
from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def axes_check(app_configs, **kwargs):
    """The rate limits (search, exports, feeds) find the client's address the
    way django-axes does (its proxy settings), and the login is limited by
    django-axes itself."""
    if apps.is_installed("axes"):
        return []
    return [
        Error(
            "klynge_security needs django-axes: the app 'axes' is not in "
            "INSTALLED_APPS.",
            hint='Add "axes" to INSTALLED_APPS, '
            '"axes.backends.AxesStandaloneBackend" first in '
            'AUTHENTICATION_BACKENDS and "axes.middleware.AxesMiddleware" last '
            "in MIDDLEWARE (see README, Installing the apps).",
            id="klynge_security.E001",
        )
    ]
