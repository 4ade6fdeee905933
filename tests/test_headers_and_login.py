"""Security headers, the Content-Security-Policy per area, the login rate
limit (django-axes) and password validation."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from .factories import make_cluster, make_meeting, make_minutes
from .test_settings import run_manage

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"


def directives(response):
    return {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.fixture
def published_pages():
    cluster = make_cluster(title="Klynge Midt")
    meeting = make_meeting(cluster, items=2)
    minutes = make_minutes(meeting)
    return [cluster.get_parent(), cluster, meeting, minutes]


def test_public_pages_allow_no_inline_script_or_style(client, published_pages):
    for page in published_pages:
        policy = directives(client.get(page.url))

        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


# A script element without src, other than JSON data (which never runs).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", re.IGNORECASE
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("logged_in", [False, True])
def test_public_pages_carry_no_inline_script_style_or_handlers(
    client, published_pages, admin_user, logged_in
):
    """What the public policy forbids is not there to be blocked, also not
    with Wagtail's user bar for a logged-in editor."""
    if logged_in:
        client.force_login(admin_user)
    for page in published_pages:
        html = client.get(page.url).content.decode()

        assert not INLINE_SCRIPT.search(html), page.url
        assert "<style" not in html, page.url
        assert " style=" not in html, page.url
        assert not INLINE_HANDLER.search(html), page.url


def test_the_admin_gets_the_policy_wagtail_needs(admin_client):
    policy = directives(admin_client.get(reverse("wagtailadmin_home")))

    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    # Wagtail frames its own previews.
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]


def test_the_admin_login_page_is_not_framed_by_other_sites(client):
    response = client.get(LOGIN_URL)

    assert directives(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_set_the_headers_and_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SAMESITE, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, "
        "s.SECURE_CONTENT_TYPE_NOSNIFF, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests'])"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={
            "DJANGO_SETTINGS_MODULE": "klyngeportal_site.settings.production",
            "SECRET_KEY": "p" * 50,
            "ALLOWED_HOSTS": "klynger.example.dk",
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "31536000",
        "True",
        "True",
        "Lax",
        "True",
        "Lax",
        "DENY",
        "same-origin",
        "True",
        "True",
    ]


# --- Login rate limit -----------------------------------------------------------


@pytest.fixture
def editor():
    return get_user_model().objects.create_user(
        username="redaktoer", password="en-lang-adgangskode-2026"
    )


def log_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_failed_logins_lock_out_with_a_danish_message(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "redaktoer", "forkert").status_code == 200

    response = log_in(client, "redaktoer", "forkert")

    assert response.status_code == 429
    html = response.content.decode()
    assert "For mange mislykkede loginforsøg" in html
    assert "de næste 15 minutter" in html
    assert '<html lang="da">' in html
    # Locked out: even the right password does not get in now.
    response = log_in(client, "redaktoer", "en-lang-adgangskode-2026")
    assert response.status_code == 429
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_a_lockout_is_for_that_username_only(client, editor, settings):
    get_user_model().objects.create_user(
        username="kollega", password="kollegaens-adgangskode-2026"
    )
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "redaktoer", "forkert")

    response = log_in(client, "kollega", "kollegaens-adgangskode-2026")

    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, editor, settings):
    for _round in range(3):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            log_in(client, "redaktoer", "forkert")
        assert (
            log_in(client, "redaktoer", "en-lang-adgangskode-2026").status_code == 302
        )
        client.logout()


# --- Passwords --------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["kort", "12345678901234", "password1234", "redaktoer2026"]
)
def test_weak_passwords_are_refused(password):
    user = get_user_model()(username="redaktoer2026")

    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Klynge-Midt-mødes-i-Aalborg", get_user_model()(username="x"))
