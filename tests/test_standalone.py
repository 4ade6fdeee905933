"""`klynge_pages` stands alone: a Wagtail site with none of the optional
apps (search, exports, editorial, OParl, security) migrates, passes the
system checks, and serves clusters, meetings and minutes in its own layout
(KLYNGE_BASE_TEMPLATE), with no link to an app that is not there."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    database = tmp_path_factory.mktemp("standalone") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.hosts.pages_only",
        "STANDALONE_DATABASE": str(database),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.hosts.pages_only_run"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_page_is_served_in_the_hosts_layout(pages):
    assert set(pages) == {"index", "cluster", "meeting", "minutes"}
    for page in pages.values():
        assert page["status"] == 200
        assert "værtens layout" in page["html"]
        assert 'class="host-layout' in page["html"]


def test_the_content_is_there(pages):
    assert "Klynge Vest" in pages["index"]["html"]
    assert "Udskrivning fra hospital" in pages["meeting"]["html"]
    assert "Klyngen godkendte planen." in pages["minutes"]["html"]


def test_no_links_to_apps_that_are_not_installed(pages):
    for page in pages.values():
        html = page["html"]
        for absent in ("/eksport/", "/kalender/", "/feeds/", "/soeg/", "Hent og gem"):
            assert absent not in html
