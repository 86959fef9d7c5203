# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the report tests: the demo's report, made once by the real command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ruimte.workspace import Workspace


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ruimte ARGS`` in a real process; return it (text, not checked)."""
    return subprocess.run(
        [sys.executable, "-m", "ruimte", *args], capture_output=True, text=True, timeout=600
    )


def cli_json(*args: str) -> object:
    """Run the command and return its JSON output; fail with its stderr when it fails."""
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def report_ws(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Analyse the demo as `ruimte demo` does, for the report tests that only read it.

    Eligibility, potential, overlay, grid impact and allocation are stored.
    """
    from ruimte.cli.demo_cmd import run_analyses
    from ruimte.workspace import Workspace

    copy = tmp_path_factory.mktemp("report") / "demo-workspace"
    shutil.copytree(demo_path, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    run_analyses(Workspace.open(copy))
    return copy


@pytest.fixture
def analysed_ws(report_ws: Path, tmp_path: Path) -> Workspace:
    """Return a private copy of the analysed demo that a test may write to."""
    copy = tmp_path / "analysed"
    shutil.copytree(report_ws, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    return Workspace.open(copy)


@pytest.fixture(scope="session")
def demo_pdf(report_ws: Path) -> Path:
    """Make the English PDF report of the demo's basis scenario against ambitie."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        pytest.skip(f"WeasyPrint cannot load Pango ({exc}): apt-get install libpango-1.0-0")
    out = report_ws.parent / "basis.pdf"
    done = run_cli(
        "report",
        str(report_ws),
        "--scenario",
        "basis",
        "--compare",
        "ambitie",
        "--lang",
        "en",
        "--out",
        str(out),
        "-q",
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def demo_html(report_ws: Path) -> Path:
    """Make the Dutch HTML report of the demo's basis scenario for RES Middenwaard (ES99)."""
    out = report_ws.parent / "basis-es99.html"
    done = run_cli(
        "report",
        str(report_ws),
        "--scenario",
        "basis",
        "--region",
        "ES99",
        "--lang",
        "nl",
        "--out",
        str(out),
        "-q",
    )
    assert done.returncode == 0, done.stderr
    return out
