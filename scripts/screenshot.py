# SPDX-License-Identifier: Apache-2.0
"""Take docs/studio.png: the studio on the demo region, in headless Chromium.

Usage::

    .venv/bin/python scripts/screenshot.py [WORKSPACE] [--out docs/studio.png]

Without WORKSPACE the demo region is built in a temporary folder. The demo
accounts are added when the workspace has none, and the overlay of scenario
``basis`` is run (when the overlay kernel is installed) so its findings show.
Needs Debian's /usr/bin/chromium; no browser is downloaded, no request leaves
the machine.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from ruimte.web.accounts import DEMO_PASSWORD, add_demo_accounts
from ruimte.web.overlay_jobs import overlay_runner
from ruimte.web.server import ServerThread
from ruimte.web.settings import Settings
from ruimte.workspace import Workspace

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: where the picture looks: Lindeweer-Noord, where housing, solar and nature meet
VIEW = {"center": [5.9185, 52.4075], "zoom": 13.1}


def prepare(path: Path | None, scratch: Path) -> Path:
    """Return a workspace to show: ``path``, or a freshly built demo region."""
    if path is None:
        from ruimte.demo.build import build_demo

        path = build_demo(scratch / "demo-workspace").path
    ws = Workspace.open(path)
    if ws.users().empty:
        add_demo_accounts(ws)
    runner = overlay_runner()
    if runner is not None and "conflicts_basis" not in set(ws.results()["key"]):
        runner(ws, "basis")
    return path


def shoot(path: Path, out: Path) -> None:
    """Serve ``path``, log in as a planner, open a claim and save the screenshot."""
    settings = Settings(workspace=path, basemap_url=None, overlay_refresh=False)
    with ServerThread(settings) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
        page.add_init_script("localStorage.setItem('ruimte-lang', 'en')")
        page.goto(server.url)
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        page.click("#login-button")
        page.fill("#login-form input[name=username]", "lindeweer")
        page.fill("#login-form input[name=password]", DEMO_PASSWORD)
        page.click("#login-submit")
        page.wait_for_selector("#who:has-text('lindeweer')")
        page.evaluate("(view) => window.studio.map.jumpTo(view)", VIEW)
        claims = page.evaluate("() => window.studio.state.claims.features")
        housing = next(f for f in claims if f["properties"]["claim_id"] == "C001")
        ring = housing["geometry"]["coordinates"][0]
        lon = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        box = page.locator("#map").bounding_box()
        assert box is not None, "the map is not on the page"
        pixel = page.evaluate("(p) => window.studio.map.project(p)", [lon, lat])
        page.mouse.click(box["x"] + pixel["x"], box["y"] + pixel["y"])
        page.wait_for_selector("#claim-form")
        for _ in range(600):  # until every tile in view is drawn
            if page.evaluate("() => window.studio.map.areTilesLoaded()"):
                break
            page.wait_for_timeout(200)
        page.wait_for_timeout(1500)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()


def main() -> None:
    """Parse the arguments and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/studio.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        shoot(prepare(args.workspace, Path(scratch)), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
