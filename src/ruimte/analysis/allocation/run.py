# SPDX-License-Identifier: Apache-2.0
"""The workspace edge of allocation: read land use, claims and targets; solve; store.

:func:`build_problem` reads the workspace and builds the pure
:class:`~ruimte.analysis.allocation.problem.Problem`; :func:`run_allocation`
solves it for every weight set and their compromise and stores the result
(``allocation_<scenario>``) in one transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.analysis.allocation.candidates import Candidates, distances_to_classes, grid_candidates
from ruimte.analysis.allocation.criteria import (
    availability,
    criteria_values,
    distance_functions,
)
from ruimte.analysis.allocation.inputs import (
    burn_claims,
    cell_leaves,
    eligible_shares,
    landuse,
    locked_cells,
    substations,
)
from ruimte.analysis.allocation.model import build_model, solve
from ruimte.analysis.allocation.problem import Problem
from ruimte.analysis.allocation.result import Allocation
from ruimte.analysis.allocation.setup import (
    claim_items,
    region_masks,
    target_rows,
    yield_matrix,
)
from ruimte.analysis.allocation.weights import (
    COMPROMISE,
    WeightSets,
    compromise,
    default_weight_sets,
    distances_from_compromise,
    frame_to_sets,
)
from ruimte.governance.hierarchy import workspace_hierarchy
from ruimte.names import key_part
from ruimte.scenarios.tree import assumptions as scenario_assumptions
from ruimte.scenarios.tree import scenario_targets

if TYPE_CHECKING:
    from ruimte.workspace import Workspace

logger = logging.getLogger(__name__)


@dataclass
class AllocationRun:
    """Allocations of one scenario for every weight set, their compromise and distances."""

    scenario: str
    problem: Problem
    candidates: Candidates
    unit_leaf: np.ndarray
    allocations: dict[str, Allocation]
    weight_sets: WeightSets
    distances: pd.DataFrame
    targets: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def compromise(self) -> Allocation:
        """The allocation under the compromise weights."""
        return self.allocations[COMPROMISE]

    def placements_frame(self, weight_set: str = COMPROMISE, crs: Any = None) -> gpd.GeoDataFrame:
        """Return one polygon per (cell, item) of an allocation, with function and hectares."""
        alloc = self.allocations[weight_set]
        p = alloc.placements.copy()
        p["cell"] = self.candidates.unit_cell[p["unit"].to_numpy()]
        grouped = p.groupby(["cell", "item_id", "function"], as_index=False)["ha"].sum()
        half = abs(self.candidates.transform.a) / 2
        x = self.candidates.cell_x[grouped["cell"].to_numpy()]
        y = self.candidates.cell_y[grouped["cell"].to_numpy()]
        grouped["region_code"] = self.unit_leaf_of_cell[grouped["cell"].to_numpy()]
        return gpd.GeoDataFrame(
            grouped, geometry=shapely.box(x - half, y - half, x + half, y + half), crs=crs
        )

    @property
    def unit_leaf_of_cell(self) -> np.ndarray:
        """Leaf region of every coarse cell ("" outside every region)."""
        out = np.full(self.candidates.n_cells, "", dtype=object)
        out[self.candidates.unit_cell] = self.unit_leaf
        return out


def build_problem(
    ws: Workspace,
    scenario: str,
    *,
    cell_m: float = 250.0,
    top_up: bool = True,
    lock_out: Sequence[str] = (),
) -> tuple[Problem, Candidates, np.ndarray, pd.DataFrame, list[str]]:
    """Read the workspace and build the allocation problem of ``scenario``.

    ``lock_out`` names datasets whose features close the cells they touch
    to every new function (e.g. a Natura 2000 layer or a no-go zone).

    Returns
    -------
    problem, candidates, unit_leaf, targets, notes
        ``unit_leaf`` is the municipality of each unit; ``targets`` has each
        target's quantity, what located claims already deliver and the need;
        ``notes`` lists claims that could not be turned into land.

    Raises
    ------
    AllocationInputError, UnitMismatchError, ScenarioError
        Naming the raster, target or scenario to fix.
    """
    vocab = ws.vocabulary
    scenarios = ws.scenarios()
    assume = scenario_assumptions(scenarios, scenario)
    claims = ws.claims(scenario)
    hierarchy = workspace_hierarchy(ws.regions(), ws.region_parents())
    array, transform, classes = landuse(ws)
    array, classes = burn_claims(array, transform, classes, claims)
    candidates = grid_candidates(array, transform, classes, cell_m)
    leaves = sorted({leaf for c in hierarchy.level for leaf in hierarchy.leaves(c)})
    unit_leaf = cell_leaves(ws, candidates, leaves)[candidates.unit_cell]
    items, notes = claim_items(claims, vocab, assume)
    targets = scenario_targets(ws.targets(), scenarios, scenario)
    need, top_ups, contrib = target_rows(targets, claims, hierarchy, vocab, assume, top_up=top_up)
    items = pd.concat([items, top_ups], ignore_index=True) if len(top_ups) else items
    open_targets = need[need["need"] > 0].reset_index(drop=True)
    functions = tuple(sorted(set(items["function"])))
    distances = distances_to_classes(
        array, transform, classes, candidates, only=distance_functions(functions, vocab)
    )
    available, converts = availability(candidates, functions, vocab, distances)
    if lock_out:
        available[locked_cells(ws, candidates, list(lock_out))[candidates.unit_cell]] = False
    criteria = criteria_values(
        candidates,
        functions,
        vocab,
        distances,
        converts,
        substations=substations(ws),
        eligible_share=eligible_shares(ws, candidates, functions),
    )
    shared = frozenset(
        frozenset({a, b})
        for i, a in enumerate(functions)
        for b in functions[i + 1 :]
        if vocab.relation(a, b).relation == "shared"
    )
    problem = Problem(
        area_ha=candidates.area_ha,
        functions=functions,
        available=available,
        criteria=criteria,
        items=items.reset_index(drop=True),
        item_mask=region_masks(list(items["region_code"]), hierarchy, unit_leaf),
        targets=open_targets,
        target_mask=region_masks(list(open_targets["region_code"]), hierarchy, unit_leaf),
        target_yield=yield_matrix(open_targets, items, contrib, vocab, assume),
        shared=shared,
    )
    return problem, candidates, unit_leaf, need, notes


def workspace_weight_sets(ws: Workspace) -> WeightSets:
    """Return the workspace's own weight sets (``weights`` table), else the demo sets."""
    reader = getattr(ws, "weights", None)
    table = reader() if callable(reader) else pd.DataFrame()
    if len(table):
        return frame_to_sets(table, source=f"{ws.path} (weights table)")
    return default_weight_sets()


def run_allocation(
    ws: Workspace,
    scenario: str,
    *,
    weight_sets: Mapping[str, Mapping[str, float]] | None = None,
    cell_m: float = 250.0,
    top_up: bool = True,
    save: bool = True,
    lock_out: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> AllocationRun:
    """Allocate the not-yet-located claims of ``scenario`` for each weight set and the compromise.

    Parameters
    ----------
    ws : Workspace
    scenario : str
    weight_sets : mapping, optional
        Weight set -> {criterion: weight}; default the workspace's or the demo's.
    cell_m : float
        Candidate grid cell size (a multiple of the land-use raster's pixel).
    top_up : bool
        Also find land for what targets still need beyond the claims.
    save : bool
        Store the result as ``allocation_<scenario>`` (when the workspace supports results).
    lock_out : sequence of str
        Datasets whose features close the cells they touch to new functions.
    progress : callable, optional
        Called with a short label after each step (building, then each solve).

    Returns
    -------
    AllocationRun
    """
    start = time.perf_counter()
    sets = {k: dict(v) for k, v in (weight_sets or workspace_weight_sets(ws)).items()}
    sets.pop(COMPROMISE, None)
    problem, candidates, unit_leaf, targets, notes = build_problem(
        ws, scenario, cell_m=cell_m, top_up=top_up, lock_out=lock_out
    )
    model = build_model(problem)
    say = progress or (lambda _label: None)
    say("model built")
    middle = compromise(sets)
    allocations = {}
    for name, weights in [*sets.items(), (COMPROMISE, middle)]:
        allocations[name] = solve(model, weights)
        say(f"solved {name}")
    distances = distances_from_compromise(allocations, middle)
    run = AllocationRun(
        scenario=scenario,
        problem=problem,
        candidates=candidates,
        unit_leaf=unit_leaf,
        allocations=allocations,
        weight_sets={**sets, COMPROMISE: middle},
        distances=distances,
        targets=targets,
        notes=notes,
        seconds=time.perf_counter() - start,
    )
    if save:
        _save(ws, run, cell_m=cell_m, top_up=top_up, lock_out=list(lock_out))
    return run


def _save(
    ws: Workspace, run: AllocationRun, *, cell_m: float, top_up: bool, lock_out: list[str]
) -> None:
    if not hasattr(ws, "save_result"):
        logger.warning("this workspace cannot store results yet; allocation not saved")
        return
    best = run.compromise
    ws.save_result(
        f"allocation_{key_part(run.scenario)}",
        "allocation",
        layers={"placements": run.placements_frame(crs=ws.crs)},
        tables={
            "targets": best.targets.astype({"met": int, "binding": int}),
            "items": best.items,
            "weight_sets": run.distances,
        },
        scenario=run.scenario,
        inputs=_inputs(ws, run.scenario, lock_out),
        parameters={
            "scenario": run.scenario,
            "cell_m": cell_m,
            "top_up": top_up,
            "lock_out": lock_out,
            "weight_sets": run.weight_sets,
        },
        summary=headline_summary(run),
        seconds=run.seconds,
    )


def _inputs(ws: Workspace, scenario: str, lock_out: list[str]) -> list[str]:
    names = [
        f"claims:{scenario}",
        "targets",
        "regions",
        f"scenario:{scenario}",
        "weights",
        "vocabulary",
    ]
    datasets = set(ws.datasets()["name"])
    names += [f"dataset:{d}" for d in ("landuse", "substations") if d in datasets]
    names += [f"dataset:{d}" for d in lock_out if d in datasets]
    stored = set(ws.results()["key"]) if hasattr(ws, "results") else set()
    names += [f"result:{k}" for k in sorted(stored) if k.startswith("eligibility_")]
    return names


def headline_summary(run: AllocationRun) -> dict[str, Any]:
    """Return JSON-able figures of a run: per weight set status, cost, hectares, targets met."""
    return {
        "scenario": run.scenario,
        "weight_sets": {name: a.summary() for name, a in run.allocations.items()},
        "distance_from_compromise": run.distances.round(4).to_dict(orient="records"),
        "notes": run.notes,
    }


def rerun(ws: Workspace, record: Any) -> AllocationRun:
    """Re-run a stored allocation with its stored parameters (for ``ruimte update``)."""
    params = dict(record.parameters or {})
    sets = params.get("weight_sets") or None
    if sets:
        sets = {k: v for k, v in sets.items() if k != COMPROMISE}
    return run_allocation(
        ws,
        params.get("scenario") or record.scenario,
        weight_sets=sets,
        cell_m=float(params.get("cell_m", 250.0)),
        top_up=bool(params.get("top_up", True)),
        lock_out=list(params.get("lock_out") or []),
    )
