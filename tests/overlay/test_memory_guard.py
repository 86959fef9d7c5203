# SPDX-License-Identifier: Apache-2.0
"""A guard, not a kill: a run that would not fit in memory stops before it starts."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from click.testing import CliRunner
from shapely import box

from ruimte.analysis.overlay import guard
from ruimte.analysis.overlay.arrangement import Tiling
from ruimte.analysis.overlay.run import run_overlay
from ruimte.cli.main import main


def test_the_estimate_counts_vertices_and_crossings_per_tile() -> None:
    fp = np.array([box(0, 0, 2, 2), box(1, 0, 3, 2), box(10, 10, 11, 11)])
    overlap = np.array([box(1, 0, 2, 2)])
    one = guard.estimate(fp, overlap, Tiling.covering(np.array([1.0, 0.0, 2.0, 2.0]), 100.0))
    assert (one.tiles, one.vertices) == (1, 5 + 5 + 5 + guard.CROSSINGS_PER_PAIR)
    # tiles of 0.5 m: the strip's tiles each count the two squares, nothing else
    small = guard.estimate(fp, overlap, Tiling.covering(np.array([1.0, 0.0, 2.0, 2.0]), 0.5))
    assert small.tiles > 1 and small.largest_tile == 10 + guard.CROSSINGS_PER_PAIR


def test_too_little_memory_is_said_up_front(demo_ws, digest, monkeypatch) -> None:
    gpkg = demo_ws.path / "workspace.gpkg"
    before = digest(gpkg)
    monkeypatch.setattr(guard, "available_bytes", lambda: 50 * 2**20)  # 50 MiB
    with pytest.raises(guard.OverlayMemoryError, match=r"would need about .* GiB is available"):
        run_overlay(demo_ws, "ambitie")
    assert digest(gpkg) == before


def test_the_cli_names_the_numbers_and_what_to_do(demo_path, tmp_path, monkeypatch) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(demo_path, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    monkeypatch.setattr(guard, "available_bytes", lambda: 50 * 2**20)
    result = CliRunner().invoke(main, ["conflicts", str(copy), "-s", "ambitie", "-q"])
    assert result.exit_code == 2, result.output
    assert "arrangement vertices" in result.output
    assert "--region" in result.output or "--tile-m" in result.output
    bad = CliRunner().invoke(main, ["conflicts", str(copy), "-s", "basis", "--tile-m", "0"])
    assert bad.exit_code == 2 and "'--tile-m': '0' is not a finite number above 0" in bad.output
