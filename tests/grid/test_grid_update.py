# SPDX-License-Identifier: Apache-2.0
"""A grid result goes stale when a claim changes, and `update` recomputes it."""

from __future__ import annotations

from ruimte.analysis.grid.run import run_grid
from ruimte.scenarios.update import update


def test_editing_a_turbine_makes_the_grid_result_stale_and_update_recomputes_it(demo_ws):
    impact, key = run_grid(demo_ws, "basis")
    before = demo_ws.result(key).summary
    assert demo_ws.stale_results() == {}
    turbine = demo_ws.claims("basis").set_index("claim_id").loc["C006"]
    demo_ws.update_claim(
        "C006", {"quantity": float(turbine["quantity"]) * 10}, expected_version=1, user="t"
    )
    assert demo_ws.stale_results() == {key: ["claims:basis"]}
    (outcome,) = update(demo_ws)
    assert (outcome.key, outcome.status) == (key, "updated")
    assert demo_ws.stale_results() == {}
    after = demo_ws.result(key).summary
    assert after != before  # 50.4 MW more wind changed the feed-in picture
