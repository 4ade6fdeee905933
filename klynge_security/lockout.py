"""The page django-axes shows when failed logins lock a user out."""

from django.conf import settings
from django.shortcuts import render

from klynge_pages.conf import public_template_context


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Rendered now: AxesMiddleware replaces the view's response after the
    # point where Django renders template responses.
    return render(
        request,
        "klynge_security/lockout.html",
        public_template_context(
            minutes=minutes, failure_limit=settings.AXES_FAILURE_LIMIT
        ),
        status=429,
    )
