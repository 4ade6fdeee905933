"""The HTML of every public page type is valid, by the Nu HTML Checker
(the `vnu-jar` npm package on the JDK), run once for all pages."""

import json
import shutil
import subprocess

import pytest

from .conftest import ROOT, _missing
from .content import build_public_site

pytestmark = pytest.mark.django_db

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_messages(paths):
    java = shutil.which("java")
    if not java:
        _missing("java is not on the PATH (the Nu HTML Checker needs a JDK)")
    if not VNU_JAR.is_file():
        _missing(f"{VNU_JAR.relative_to(ROOT)} is missing (run `make assets`)")
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(completed.stdout)["messages"]


def test_every_public_page_type_is_valid_html(client, settings, tmp_path):
    settings.KLYNGE_ELASTICSEARCH_URL = ""  # the database engine: no index to build
    files = {}
    for name, url in build_public_site().items():
        response = client.get(url)
        assert response.status_code == 200, f"{name} ({url}): {response.status_code}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[path.as_uri()] = (name, url)

    messages = vnu_messages(sorted(tmp_path.glob("*.html")))

    errors = [
        f"{files[m['url']][0]} ({files[m['url']][1]}), line {m.get('lastLine', '?')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)


def test_the_checker_reports_errors_with_their_line(tmp_path):
    """The check above can fail: a known-bad file is reported."""
    bad = tmp_path / "fejl.html"
    bad.write_text(
        '<!DOCTYPE html>\n<html lang="da"><head><title>Fejl</title></head>\n'
        "<body><p><div>forkert</div></p></body></html>\n",
        encoding="utf-8",
    )
    errors = [m for m in vnu_messages([bad]) if m["type"] == "error"]
    assert errors, "the Nu HTML Checker found nothing wrong"
    assert errors[0]["lastLine"] == 3
