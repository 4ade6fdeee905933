"""Packages by discovery: every top-level folder that holds a Django app
(an `apps.py`) is a package, with all its subpackages, so a new module or
subpackage cannot be left out of the wheel.

Two folders carry an import name of their own: `site/` would shadow Python's
own `site` module, and `search/` is the name of the app that every
`wagtail start` project has. Everything else (metadata, package data,
licences) is in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).resolve().parent
IMPORT_NAMES = {"site": "klyngeportal_site", "search": "klynge_search"}


def app_folders():
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if (path.parent / "__init__.py").is_file()
    )


package_dir = {}
packages = []
for folder in app_folders():
    name = IMPORT_NAMES.get(folder, folder)
    package_dir[name] = folder
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(where=str(ROOT / folder))]

setup(package_dir=package_dir, packages=packages)
