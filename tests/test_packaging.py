"""The apps as a plugin: import names that cannot clash with a host site,
and apps that do not lean on the reference site."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_FOLDERS = sorted(
    path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name != "site"
)


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def python_files(*folders):
    for folder in folders:
        yield from (ROOT / folder).rglob("*.py")


def test_the_app_folders_are_found():
    assert {"klynge_pages", "search", "klynge_security", "oparl"} <= set(APP_FOLDERS)


@pytest.mark.parametrize("folder", [*APP_FOLDERS, "site", "tests", "bench", "scripts"])
def test_nothing_imports_the_search_app_as_search(folder):
    """`search` is the app every `wagtail start` project has; the public
    search is `klynge_search` (the folder `search/` keeps its name)."""
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in python_files(folder)
        for module in imported_modules(path)
        if module == "search" or module.startswith("search.")
    ]
    assert offenders == []


def test_the_scripts_python_does_not_import_the_search_app_as_search():
    """Python run from the shell scripts (`manage.py shell -c`) is held to
    the same rule: in a clean checkout the folder `search/` would be found
    as a module of that name, outside INSTALLED_APPS."""
    pattern = re.compile(
        r"^\s*(from\s+search(\.\w+)*\s+import|import\s+search\b)", re.M
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "scripts").rglob("*.sh")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("folder", APP_FOLDERS)
def test_the_apps_do_not_import_the_reference_site(folder):
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in python_files(folder)
        for module in imported_modules(path)
        if module.split(".")[0] == "klyngeportal_site"
    ]
    assert offenders == []


def test_the_changelog_describes_the_version_in_pyproject():
    """The version lives in pyproject.toml alone; the changelog's first
    entry is that version."""
    import re
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (\S+)", changelog, re.M)
    assert first and first.group(1) == version
