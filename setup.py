# SPDX-License-Identifier: Apache-2.0
"""Build hook: ship the web studio's third-party JavaScript inside the package.

``pyproject.toml`` holds all metadata; this file only adds one step to
``build_py``: install the pinned npm packages listed in ``web/package.json``
(``npm ci`` against ``web/package-lock.json``) and copy MapLibre GL JS and Chart.js into
``src/ruimte/web/static/vendor/``, so the studio works offline without a CDN.
It runs for a normal wheel build and for ``pip install -e .`` (PEP 660: the
editable build runs ``build_py`` too). The vendor folder is git-ignored.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
VENDOR = ROOT / "src" / "ruimte" / "web" / "static" / "vendor"
#: npm package -> files copied from its folder into static/vendor/
ASSETS = {
    "maplibre-gl": ("dist/maplibre-gl.js", "dist/maplibre-gl.css", "LICENSE.txt"),
    "chart.js": ("dist/chart.umd.min.js", "LICENSE.md"),
}


def _locked_version(package: str) -> str | None:
    lock = WEB / "package-lock.json"
    if not lock.is_file():
        return None
    entry = json.loads(lock.read_text()).get("packages", {}).get(f"node_modules/{package}", {})
    return entry.get("version")


def _installed_version(package: str) -> str | None:
    manifest = WEB / "node_modules" / package / "package.json"
    return json.loads(manifest.read_text()).get("version") if manifest.is_file() else None


def _target(package: str, name: str) -> Path:
    if Path(name).stem == "LICENSE":
        return VENDOR / f"{package}-{name}"
    return VENDOR / Path(name).name


def _vendor_complete() -> bool:
    return all(_target(p, f).is_file() for p, files in ASSETS.items() for f in files)


def _needs_install(package: str) -> bool:
    installed, locked = _installed_version(package), _locked_version(package)
    return installed is None or (locked is not None and installed != locked)


def copy_studio_assets() -> None:
    """Install the pinned npm packages when needed and copy their files into static/vendor/."""
    if not (WEB / "package.json").is_file():
        if _vendor_complete():  # building from an sdist that already carries the assets
            return
        raise RuntimeError(
            f"{WEB / 'package.json'} is missing and {VENDOR} holds no MapLibre GL JS: "
            "build ruimte from a full source checkout."
        )
    if any(_needs_install(p) for p in ASSETS):
        npm = shutil.which("npm")
        if npm is None:
            if _vendor_complete():
                print("warning: npm not found; keeping the studio assets already in static/vendor")
            else:  # the toolkit works without the studio; its page says what is missing
                print(
                    "WARNING: npm not found, so the web studio has no MapLibre GL JS. "
                    "Install npm (Debian/Ubuntu: apt-get install npm) and run the install again."
                )
            return
        command = "ci" if (WEB / "package-lock.json").is_file() else "install"
        print(f"running npm {command} in {WEB}")
        subprocess.run(
            [npm, command, "--no-audit", "--no-fund", "--loglevel=error"], cwd=WEB, check=True
        )
    VENDOR.mkdir(parents=True, exist_ok=True)
    for package, files in ASSETS.items():
        for name in files:
            shutil.copyfile(WEB / "node_modules" / package / name, _target(package, name))


class BuildPyWithStudioAssets(build_py):
    """``build_py`` that first puts the studio's npm assets into the package."""

    def run(self) -> None:
        """Copy the assets, then build as usual (a no-op copy in editable mode)."""
        copy_studio_assets()
        super().run()


setup(cmdclass={"build_py": BuildPyWithStudioAssets})
