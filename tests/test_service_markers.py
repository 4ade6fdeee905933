"""Tests that need a real server never pass by skipping in CI."""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ES_TEST = "tests/test_elasticsearch.py::test_server_is_elasticsearch_8"


def run_pytest(env_changes):
    env = {**os.environ, **env_changes}
    return subprocess.run(  # noqa: S603 - our own test suite
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", ES_TEST],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
    )


def test_elasticsearch_test_fails_in_ci_when_the_server_is_missing():
    # Port 9 (discard) on loopback: nothing answers there.
    result = run_pytest({"CI": "true", "ELASTICSEARCH_URL": "http://127.0.0.1:9"})

    # pytest reports a failure in setup as an error; either way, red.
    assert result.returncode == 1, result.stdout
    assert "1 error" in result.stdout
    assert "a missing service is a failure" in result.stdout


def test_elasticsearch_test_skips_outside_ci_when_the_server_is_missing():
    result = run_pytest({"CI": "", "ELASTICSEARCH_URL": ""})

    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
