"""Settings per environment, checked in fresh interpreters so that each
module is imported as a server would import it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env=None):
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS"}
    }
    clean_env.update(env or {})
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(REPO_ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=clean_env,
        cwd=REPO_ROOT,
        timeout=120,
    )


def test_project_package_does_not_shadow_pythons_site_module():
    import site

    import klyngeportal_site

    assert hasattr(site, "getsitepackages")
    assert Path(klyngeportal_site.__file__).parent == REPO_ROOT / "site"


def test_danish_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "da"
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert settings.USE_TZ


def test_production_refuses_to_start_without_secret_key():
    result = run_manage(
        "check", env={"DJANGO_SETTINGS_MODULE": "klyngeportal_site.settings.production"}
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_production_passes_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "klyngeportal_site.settings.production",
            "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-the-check",
            "ALLOWED_HOSTS": "klynger.example.dk",
            # A cache the app server processes share (klyngeportal.W001).
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_wsgi_application_loads_with_production_settings():
    code = (
        "from klyngeportal_site.wsgi import application; "
        "print(type(application).__name__)"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "DJANGO_SETTINGS_MODULE"
    }
    env.update({"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "klynger.example.dk"})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "WSGIHandler"
