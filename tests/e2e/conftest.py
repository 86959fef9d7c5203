# SPDX-License-Identifier: Apache-2.0
"""End-to-end fixtures: the demo studio in a thread, Debian's Chromium driven by Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by
.ci/run); without it the tests skip with that reason. The base map is off, so
no request leaves the machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Launch Debian's Chromium headless; skip when it or Playwright is missing."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    from ruimte.web.app import STATIC

    if not (STATIC / "vendor" / "maplibre-gl.js").is_file():
        pytest.skip("MapLibre GL JS is not in the package: install npm and reinstall ruimte")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def studio_path(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copy the demo workspace and add the demo accounts."""
    from ruimte.web.accounts import add_demo_accounts
    from ruimte.workspace import Workspace

    copy = tmp_path_factory.mktemp("e2e") / "demo-workspace"
    shutil.copytree(demo_path, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    ws = Workspace.open(copy)
    if ws.users().empty:
        add_demo_accounts(ws)
    return copy


@pytest.fixture(scope="session")
def studio_url(studio_path: Path) -> Iterator[str]:
    """Serve :func:`studio_path` on a free port; the base map is off (offline)."""
    from ruimte.web.server import ServerThread
    from ruimte.web.settings import Settings

    with ServerThread(Settings(workspace=studio_path, basemap_url=None)) as server:
        yield server.url


@pytest.fixture(scope="module")
def page(browser: object, studio_url: str) -> Iterator[object]:
    """One browser tab on the studio for the module (loading the map is the slow part).

    English labels; the map is ready. Tests log in and out as they need.
    """
    context = browser.new_context(viewport={"width": 1200, "height": 760})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script("localStorage.setItem('ruimte-lang', 'en')")
    page.goto(studio_url)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
