# SPDX-License-Identifier: Apache-2.0
"""`ruimte update`: only stale results are recomputed; a missing re-runner is reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ruimte.analysis.allocation.run import run_allocation
from ruimte.scenarios.update import RERUNNERS, stale_results, update
from ruimte.workspace import Workspace


def test_update_reruns_only_stale_results_and_reports_missing_rerunners(
    demo_ws: Workspace,
) -> None:
    run_allocation(demo_ws, "basis", weight_sets={"g": {"suitability": 1.0}}, cell_m=1000)
    assert stale_results(demo_ws) == {}
    assert update(demo_ws) == []
    before = demo_ws.result("allocation_basis")
    # a higher housing target for Zandmeer: the allocation depends on the targets
    demo_ws.add_targets(
        pd.DataFrame(
            [
                {
                    "target_id": "T25",
                    "region_code": "GM9903",
                    "transition": "housing",
                    "function": "housing",
                    "quantity": 2500.0,
                    "unit": "homes",
                    "horizon_year": 2030,
                }
            ]
        )
    )
    assert stale_results(demo_ws) == {"allocation_basis": ["targets"]}
    planned = update(demo_ws, dry_run=True)
    assert [(o.key, o.status) for o in planned] == [("allocation_basis", "would_update")]
    done = update(demo_ws)
    assert [(o.key, o.status) for o in done] == [("allocation_basis", "updated")]
    after = demo_ws.result("allocation_basis")
    assert after.created_at >= before.created_at and stale_results(demo_ws) == {}
    assert after.parameters["weight_sets"]["g"] == {"suitability": 1.0}  # same parameters
    met = after.summary["weight_sets"]["compromise"]
    assert met["targets"] == before.summary["weight_sets"]["compromise"]["targets"] + 1
    # a kind whose re-runner module is missing is reported, and the result stays stale
    demo_ws.add_targets(
        pd.DataFrame(
            [
                {
                    "target_id": "T26",
                    "region_code": "GM9904",
                    "transition": "nature",
                    "function": "nature_reserve",
                    "quantity": 10.0,
                    "unit": "ha",
                    "horizon_year": 2035,
                }
            ]
        )
    )
    registry = {**RERUNNERS, "allocation": "ruimte.analysis.not_written_yet:rerun"}
    [outcome] = update(demo_ws, registry=registry)
    assert outcome.status == "no_rerunner"
    assert "ruimte.analysis.not_written_yet:rerun unavailable" in outcome.message
    assert stale_results(demo_ws) == {"allocation_basis": ["targets"]}


def test_a_failing_rerun_is_reported_and_changes_nothing(
    demo_ws: Workspace, digest: Callable[[Path], str]
) -> None:
    run_allocation(demo_ws, "basis", weight_sets={"g": {"suitability": 1.0}}, cell_m=1000)
    demo_ws.add_targets(
        pd.DataFrame(
            [
                {
                    "target_id": "T99",
                    "region_code": "GM9901",
                    "function": "housing",
                    "quantity": 12.0,
                    "unit": "MW",
                    "horizon_year": 2030,
                }
            ]
        )
    )
    before = digest(demo_ws.path / "workspace.gpkg")
    [outcome] = update(demo_ws)
    assert outcome.status == "failed"
    assert "target T99 (GM9901): unit 'MW' does not fit function 'housing'" in outcome.message
    assert digest(demo_ws.path / "workspace.gpkg") == before  # the stored result is untouched
    assert demo_ws.result("allocation_basis").parameters["cell_m"] == 1000
