# SPDX-License-Identifier: Apache-2.0
"""Progress by stage and tile; Ctrl+C stops the run and leaves the stored result as it was."""

from __future__ import annotations

import pytest

from ruimte.analysis.overlay.run import run_overlay


def test_stages_and_tiles_are_reported(demo_ws):
    seen: list[tuple[str, int, int]] = []
    run_overlay(demo_ws, "basis", save=False, progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert stages[0] == "overlapping pairs"
    assert {"one land use per dataset", "classifying pieces", "distances and synergies"} <= set(
        stages
    )
    tiles = [(d, t) for s, d, t in seen if s == "pieces of land (tiles)"]
    assert tiles and tiles[-1][0] == tiles[-1][1]  # every tile done
    assert [d for d, _ in tiles] == list(range(1, tiles[-1][1] + 1))


def test_interrupt_leaves_the_stored_result_as_it_was(demo_ws, digest):
    run_overlay(demo_ws, "basis")
    gpkg = demo_ws.path / "workspace.gpkg"
    before = digest(gpkg), demo_ws.result("conflicts_basis").summary

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "pieces of land (tiles)":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_overlay(demo_ws, "basis", progress=interrupt)
    assert (digest(gpkg), demo_ws.result("conflicts_basis").summary) == before
