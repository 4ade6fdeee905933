"""Packages by discovery: every top-level folder that holds a Django app
(an `apps.py`) is a package, with all its subpackages, so a new module or
subpackage cannot be left out of the wheel.

Two folders carry an import name of their own: `site/` would shadow Python's
own `site` module, and `search/` is the name of the app that every
`wagtail start` project has. Everything else (metadata, package data,
licences) is in pyproject.toml.
"""

import shutil
import subprocess
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

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


class BuildWithCatalogues(build_py):
    """Compile the message catalogues (.po to .mo, GNU gettext's msgfmt)
    before the package data is collected, so that a wheel always has them.
    An editable install leaves this to `make messages`."""

    def finalize_options(self):
        super().finalize_options()
        if not getattr(self, "editable_mode", False):
            compile_catalogues()


def compile_catalogues():
    for po in sorted(ROOT.glob("*/locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            raise SystemExit(
                f"{mo.relative_to(ROOT)} is missing or older than its .po: "
                "building the package needs GNU gettext's msgfmt."
            )
        subprocess.run([msgfmt, "--check", "-o", str(mo), str(po)], check=True)  # noqa: S603


setup(
    package_dir=package_dir,
    packages=packages,
    cmdclass={"build_py": BuildWithCatalogues},
)
