# SPDX-License-Identifier: Apache-2.0
"""The allocation headline of ``ruimte demo``: where the not-yet-located claims go."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ruimte.analysis.allocation.run import run_allocation
from ruimte.analysis.allocation.weights import COMPROMISE

if TYPE_CHECKING:
    from ruimte.workspace import Workspace

#: coarse cells keep the demo quick; `ruimte allocate --cell 250` gives the finer picture
HEADLINE_CELL_M = 500.0


def headline(
    ws: Workspace, scenario: str = "basis", *, cell_m: float = HEADLINE_CELL_M
) -> dict[str, Any]:
    """Allocate the demo's not-yet-located claims for every stakeholder weight set.

    Returns
    -------
    dict
        Per weight set: status, cost, hectares per function, targets met;
        the claims placed (municipality and hectares, compromise weights); the
        distance of each group's optimum from the compromise; and ``lines``.
    """
    run = run_allocation(ws, scenario, cell_m=cell_m)
    best = run.compromise
    claims = best.items[best.items["kind"] == "claim"]
    placed = run.placements_frame()
    where = {}
    for item in claims["item_id"]:
        rows = placed[placed["item_id"] == item]
        by_region = rows.groupby("region_code")["ha"].sum().round(1)
        where[item] = {str(k): float(v) for k, v in by_region.items()}
    per_set = {name: a.summary() for name, a in run.allocations.items()}
    far = run.distances.sort_values("land_moved_share").iloc[-1]
    top_ups = best.items[best.items["kind"] == "top_up"].groupby("function")["placed_ha"].sum()
    lines = [
        f"Allocation ({scenario}): {len(claims)} not-yet-located claims placed "
        + ", ".join(
            f"{i} → {', '.join(f'{r} {h:g} ha' for r, h in w.items())}" for i, w in where.items()
        ),
        f"Targets met under the compromise weights: {per_set[COMPROMISE]['targets_met']} of "
        f"{per_set[COMPROMISE]['targets']}; extra land found for targets: "
        + ", ".join(f"{fn} {ha:,.0f} ha" for fn, ha in top_ups.items() if ha > 0.5),
        f"Weighted cost: compromise {best.cost:,.1f}; furthest group: {far['weight_set']} "
        f"({far['land_moved_share']:.0%} of the land placed differently, "
        f"{far['extra_cost_share']:+.1%} cost under the compromise weights)",
    ]
    lines += [f"Not met: {u}" for u in best.unmet[:2]]
    return {
        "scenario": scenario,
        "cell_m": cell_m,
        "claims_placed": where,
        "weight_sets": per_set,
        "distance_from_compromise": run.distances.round(4).to_dict(orient="records"),
        "notes": run.notes,
        "lines": lines,
    }
