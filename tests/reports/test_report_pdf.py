# SPDX-License-Identifier: Apache-2.0
"""The PDF report as a reader gets it: every page has content, its numbers are the CLI's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from tests.reports.conftest import cli_json

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="pdftoppm/pdftotext not found: install poppler-utils (apt-get install poppler-utils)",
)


def four_digits(value: float) -> str:
    """Format as the CLI does a quantity: 4 significant digits below 1,000, else whole numbers."""
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def pdf_text(pdf: Path) -> str:
    """Return the PDF's text in reading layout (one table row per line)."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_poppler
def test_no_page_is_blank(demo_pdf: Path, tmp_path: Path) -> None:
    """Render each page at 40 dpi: each has ink beyond its page number (no empty pages)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "40", "-png", str(demo_pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 12, f"only {len(pages)} pages"
    for page in pages:
        gray = np.asarray(Image.open(page).convert("L"))
        body = gray[: int(gray.shape[0] * 0.9)]  # leave out the footer with the page number
        ink = (body < 200).mean()
        assert ink > 0.004, f"{page.name} is (nearly) blank: {ink:.4%} ink"


@needs_poppler
def test_gap_numbers_equal_those_of_ruimte_targets_json(demo_pdf: Path, report_ws: Path) -> None:
    """Each target's row shows the target, planned and shortfall that `targets --json` prints."""
    text = pdf_text(demo_pdf)
    targets = cli_json("targets", str(report_ws), "--scenario", "basis", "--json")["targets"]
    assert len(targets) == 12
    lines = text.splitlines()
    for t in targets:
        row = [ln for ln in lines if re.search(rf"\b{t['region_code']}\s+{t['target_id']}\b", ln)]
        assert row, f"no row for target {t['target_id']}"
        cells = row[0].split()
        for key in ("target", "planned", "shortfall"):
            assert four_digits(t[key]) in cells, (t["target_id"], key, t[key], row[0])
        assert t["status"] in cells
    # the RES target by hand: 1.2 TWh/yr targeted, 0.189 planned, 1.011 short
    t10 = next(t for t in targets if t["target_id"] == "T10")
    assert t10["target"] == pytest.approx(1.2)
    assert t10["planned"] + t10["shortfall"] == pytest.approx(1.2)


@needs_poppler
def test_conflict_hectares_equal_those_of_ruimte_conflicts_json(
    demo_pdf: Path, report_ws: Path
) -> None:
    """The summary and the conflicts chapter show `conflicts --json`'s hectares, to 0.01 ha."""
    text = pdf_text(demo_pdf)
    runs = cli_json("conflicts", str(report_ws), "--scenario", "basis", "--json", "-q")
    s = runs["scenarios"]["basis"]
    conflict, shared = f"{s['conflicts']['ha']:,.2f}", f"{s['shared_use']['ha']:,.2f}"
    assert conflict == "222.58" and shared == "106.22"  # the demo's numbers, as stated in README
    assert text.count(conflict) >= 2, "conflict hectares not on the summary and in the chapter"
    assert text.count(shared) >= 2
    assert f"{s['conflicts']['count']} pieces" in text


@needs_poppler
def test_the_report_has_every_chapter_and_the_provenance(demo_pdf: Path) -> None:
    """The chapters the issue asks for, and the appendix with sources, licences and sha256."""
    text = pdf_text(demo_pdf)
    for heading in (
        "Summary",
        "Maps per layer",
        "Subsurface",
        "Networks",
        "Occupation",
        "Eligibility and potential",
        "Conflicts and shared use",
        "Grid impact per substation",
        "Targets and gaps per governance level",
        "Allocation",
        "Participation",
        "Compared with ambitie",
        "Appendix: provenance",
    ):
        assert heading in text, heading
    assert "CC0-1.0" in text  # the demo datasets' licence
    assert "windplan_groen" in text or "Windplan Groen" in text  # a rule's cited source
    assert "Zandmeer 150/20 kV" in text  # a substation over capacity in the grid chapter
