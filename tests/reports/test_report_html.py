# SPDX-License-Identifier: Apache-2.0
"""The HTML report: self-contained, Dutch where asked, honest about what it does not know."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.reports.conftest import cli_json, run_cli

from ruimte.reports.content import gather_report
from ruimte.reports.render import render_html, write_report
from ruimte.workspace import Workspace

CHROMIUM = Path("/usr/bin/chromium")


def test_the_html_refers_to_nothing_outside_itself(demo_html: Path) -> None:
    """No src, href or url() that is not inline data or an anchor within the page."""
    html = demo_html.read_text(encoding="utf-8")
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)
    refs += re.findall(r"""url\(\s*["']?([^"')]*)""", html)
    assert refs, "no references found at all: the pattern is wrong"
    outside = [r for r in refs if not (r.startswith("data:") or r.startswith("#"))]
    assert outside == []
    assert html.count("data:image/png;base64,") >= 8  # maps and charts are inline


def test_the_dutch_report_uses_decimal_commas_and_dutch_words(demo_html: Path) -> None:
    """222.5785 ha becomes 222,58 ha; the RES target of 1.2 TWh/yr reads 1,2."""
    html = demo_html.read_text(encoding="utf-8")
    assert "222,58 ha" in html
    assert "Doelen en tekorten per bestuurslaag" in html
    assert "Samenvatting" in html and "Bijlage: herkomst" in html
    assert ">1,2<" in html  # T10's target cell


#: run in its own process: the studio's end-to-end tests keep a Playwright session open
BROWSE = """
import json, sys
from playwright.sync_api import sync_playwright
url = sys.argv[1]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[2],
                                args=["--headless", "--no-sandbox", "--disable-gpu"])
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_load_state("load")
    out = {
        "requests": requests,
        "images": page.evaluate("document.images.length"),
        "loaded": page.evaluate(
            "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"),
        "title": page.title(),
    }
    browser.close()
print(json.dumps(out))
"""


def test_the_html_loads_in_chromium_with_no_network_request(demo_html: Path) -> None:
    """Open the file in headless Chromium: every request is the file itself or inline data."""
    import json
    import subprocess
    import sys

    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    done = subprocess.run(
        [sys.executable, "-c", BROWSE, demo_html.as_uri(), str(CHROMIUM)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    outside = [
        u for u in seen["requests"] if not (u.startswith("data:") or u == demo_html.as_uri())
    ]
    assert outside == []
    assert seen["images"] >= 8 and seen["loaded"] == seen["images"]
    assert "RES Middenwaard" in seen["title"]


def test_unknown_results_are_said_not_shown_as_zero(analysed_ws: Workspace) -> None:
    """Without a stored grid impact and wind eligibility, the report says so (no 0 of 0)."""
    analysed_ws.remove_result("grid_basis")
    analysed_ws.remove_result("eligibility_wind")
    content = gather_report(analysed_ws, "basis")
    h = content.headline()
    assert h["eligible_km2_wind"] is None and "substations" not in h
    stored = analysed_ws.result("eligibility_solar").summary
    assert h["eligible_km2_solar"] == pytest.approx(stored["eligible_km2"], abs=1e-6)
    # the demo's solar cells cover 752.558125 km²; the sub-points refine that by < 0.1 %
    assert stored["eligible_cells_km2"] == pytest.approx(752.558125)
    assert h["eligible_km2_solar"] == pytest.approx(752.558125, rel=1e-3)
    assert any("no grid impact stored for basis" in n for n in content.notes)
    assert any("no wind eligibility stored" in n for n in content.notes)
    html = render_html(content, "en", analysed_ws.vocabulary)
    assert "Eligible for wind</td><td>not computed" in html
    assert "Substations over capacity</td><td>not computed" in html
    # the technical potential is not the headline alone: the realistic one stands beside it
    # (demo: 0.1 x 10,449 GWh wind + 1,422.6 MWp x 875 h solar = 2.290 TWh/yr, provisional)
    assert h["realistic_twh"] == pytest.approx(2.2897, abs=1e-3)
    assert h["realistic_twh"] < h["possible_twh"] / 20
    assert "Realistic potential (provisional)</td><td>2.29" in html
    assert "every eligible cell built; not what can be built" in html


def test_stale_results_are_marked(analysed_ws: Workspace) -> None:
    """After a claim changes, the grid and allocation results of basis are marked stale."""
    claims = analysed_ws.claims("basis")
    first = claims.iloc[0]
    analysed_ws.update_claim(
        first["claim_id"],
        {"quantity": float(first["quantity"]) * 2},
        expected_version=int(first["version"]),
    )
    content = gather_report(analysed_ws, "basis")
    stale = [n for n in content.notes if "is stale" in n]
    assert any("grid_basis" in n for n in stale), content.notes
    assert any("allocation_basis" in n for n in stale)
    table = content.results.set_index("key")["stale"]
    assert table["grid_basis"] != "" and table["eligibility_wind"] == ""


def test_participation_shows_comments_and_ratings(analysed_ws: Workspace) -> None:
    """A comment and two ratings added to basis appear, with the mean score of the option."""
    import pandas as pd

    analysed_ws.add_comments(
        pd.DataFrame(
            [
                {
                    "comment_id": "K1",
                    "scenario": "basis",
                    "claim_id": "C013",
                    "stakeholder_id": "S01",
                    "text": "Te dicht bij Veldrode",
                    "reply_to": None,
                }
            ]
        )
    )
    analysed_ws.add_ratings(
        pd.DataFrame(
            [
                {
                    "rating_id": "R1",
                    "scenario": "basis",
                    "option": "C013",
                    "stakeholder_id": "S01",
                    "score": 2,
                },
                {
                    "rating_id": "R2",
                    "scenario": "basis",
                    "option": "C013",
                    "stakeholder_id": "S02",
                    "score": 5,
                },
            ]
        )
    )
    content = gather_report(analysed_ws, "basis")
    assert content.participation["comments"] == 1
    html = render_html(content, "en", analysed_ws.vocabulary)
    assert "Te dicht bij Veldrode" in html
    assert "<td>C013</td><td>2</td><td>3.5</td>" in html  # 2 ratings, mean (2 + 5) / 2


def test_a_failed_write_leaves_the_earlier_report(
    analysed_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is written whole or not at all: a crash mid-way keeps the old file."""
    import ruimte.reports.render as render

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.pdf"
    out.write_bytes(b"the earlier report")
    content = gather_report(analysed_ws, "basis")

    def boom(_html: str) -> bytes:
        raise RuntimeError("killed while laying out")

    monkeypatch.setattr(render, "pdf_bytes", boom)
    with pytest.raises(RuntimeError):
        write_report(content, out, "en", analysed_ws.vocabulary)
    assert out.read_bytes() == b"the earlier report"
    assert sorted(p.name for p in folder.iterdir()) == ["r.pdf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "{d}/r.docx"], "--out"),
        (["--out", "{d}/r.pdf", "--region", "XX99"], "--region 'XX99'"),
        (["--out", "{d}/r.pdf", "--scenario", "nope"], "nope"),
        (["--out", "{d}/r.pdf", "--lang", "de"], "--lang"),
    ],
)
def test_bad_options_get_one_clear_line(
    report_ws: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    """Exit status 2, the option named, no traceback and no file."""
    done = run_cli("report", str(report_ws), *[a.format(d=tmp_path) for a in args])
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_json_headline_agrees_with_the_dashboard_and_the_gap_report(
    report_ws: Path, tmp_path: Path
) -> None:
    """`report --json` for ES99: TWh planned is the dashboard's, the target the gap report's."""
    from fastapi.testclient import TestClient

    from ruimte.web.app import create_app
    from ruimte.web.settings import Settings

    out = cli_json(
        "report",
        str(report_ws),
        "--region",
        "ES99",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "r.html"),
        "--json",
    )
    h = out["headline"]
    targets = cli_json("targets", str(report_ws), "--json")["targets"]
    t10 = next(t for t in targets if t["target_id"] == "T10")
    assert h["twh_target"] == pytest.approx(t10["target"])
    assert h["twh_planned"] == pytest.approx(t10["planned"], abs=1e-4)
    app = create_app(Settings(workspace=report_ws, secret_key="t", overlay_refresh=False))
    dashboard = (
        TestClient(app)
        .get("/api/dashboard", params={"scenario": "basis", "level": "res_region"})
        .json()
    )
    es99 = next(r for r in dashboard["regions"] if r["code"] == "ES99")
    assert h["twh_planned"] == es99["twh_planned"]
    assert h["conflict_ha"] == pytest.approx(222.5785)
