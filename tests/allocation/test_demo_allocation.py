# SPDX-License-Identifier: Apache-2.0
"""Allocation on the demo region: claims placed whole in their municipality, targets met."""

from __future__ import annotations

import numpy as np
import pytest

from ruimte.analysis.allocation.candidates import grid_candidates
from ruimte.analysis.allocation.headline import headline
from ruimte.analysis.allocation.run import run_allocation
from ruimte.workspace import Workspace

SETS = {
    "grid_operator": {"grid_reinforcement": 4.0, "suitability": 1.0},
    "residents": {"dwelling_nuisance": 4.0, "landscape_nature": 2.0, "suitability": 1.0},
}


def test_grid_candidates_keep_every_hectare() -> None:
    rng = np.random.default_rng(7)
    landuse = rng.choice([0, 1, 2, 18], size=(40, 40))
    from affine import Affine

    cands = grid_candidates(landuse, Affine(25, 0, 0, 0, -25, 1000), {1: "a", 2: "b", 18: "c"}, 250)
    assert cands.shape == (4, 4)
    # every pixel of a known class lands in exactly one unit: 625 m2 = 0.0625 ha each
    assert cands.area_ha.sum() == pytest.approx((landuse > 0).sum() * 0.0625)
    assert cands.area_ha[cands.unit_existing == "c"].sum() == pytest.approx(
        (landuse == 18).sum() * 0.0625
    )


def test_demo_claims_are_placed_and_targets_met(demo_ws: Workspace) -> None:
    run = run_allocation(demo_ws, "basis", weight_sets=SETS, cell_m=1000)
    best = run.compromise
    assert best.status == "optimal" and best.targets["met"].all()
    items = best.items.set_index("item_id")
    assert items.loc["C016", "placed_ha"] == pytest.approx(80.0)  # 80 ha solar in Zandmeer
    assert items.loc["C017", "placed_ha"] == pytest.approx(1500 / 30)  # 1,500 homes at 30/ha
    placed = run.placements_frame()
    assert set(placed.loc[placed["item_id"] == "C016", "region_code"]) == {"GM9903"}
    assert set(placed.loc[placed["item_id"] == "C017", "region_code"]) == {"GM9902"}
    # nothing goes on land that cannot take it: solar never on existing housing or water
    units = best.placements["unit"].to_numpy()
    existing = run.candidates.unit_existing[units]
    solar = (best.placements["function"] == "solar_field").to_numpy()
    assert not np.isin(existing[solar], ["housing", "surface_water", "road", "forest"]).any()
    # land counts once per unit: placed hectares never exceed a unit's area
    per_unit = best.placements.groupby(["unit", "function"])["ha"].sum().groupby("unit").max()
    assert (per_unit.to_numpy() <= run.problem.area_ha[per_unit.index] + 1e-6).all()
    # the energy targets: ES99 1.2 TWh/yr minus what located claims deliver, found in full
    t10 = best.targets.set_index("target_id").loc["T10"]
    assert t10["achieved"] >= t10["need"] - 1e-9
    # each group's optimum is no cheaper than the compromise under the compromise weights
    assert (run.distances["extra_cost_share"] >= -1e-9).all()
    # stored in the workspace, with its inputs
    record = demo_ws.result("allocation_basis")
    assert record.kind == "allocation" and "claims:basis" in record.inputs
    assert len(demo_ws.read_result("allocation_basis", "placements")) == len(placed)


def test_without_top_ups_the_energy_target_is_named_as_unmet(demo_ws: Workspace) -> None:
    run = run_allocation(
        demo_ws,
        "basis",
        weight_sets={"g": {"suitability": 1.0}},
        cell_m=1000,
        top_up=False,
        save=False,
    )
    best = run.compromise
    assert best.status == "infeasible"
    t10 = best.targets.set_index("target_id").loc["T10"]
    # only the 80 ha of C016 can be placed: 80 / 1.2 * 875 MWh = 0.0583 TWh/yr
    assert t10["achieved"] == pytest.approx(80 / 1.2 * 875 / 1e6)
    assert any(u.startswith("target T10 (") and "short" in u for u in best.unmet)


def test_headline_lines(demo_ws: Workspace) -> None:
    h = headline(demo_ws, cell_m=1000)
    assert 2 <= len(h["lines"]) <= 5
    assert h["claims_placed"]["C016"] == {"GM9903": 80.0}
    assert (
        h["weight_sets"]["compromise"]["targets_met"] == h["weight_sets"]["compromise"]["targets"]
    )


def test_locked_out_land_is_never_used(demo_ws: Workspace) -> None:
    zandmeer = demo_ws.regions()
    zandmeer = zandmeer[zandmeer["code"] == "GM9903"][["geometry"]]
    demo_ws.add_dataset("no_go", zandmeer.assign(function="nature_reserve"), source="test")
    run = run_allocation(demo_ws, "basis", weight_sets={"g": {"suitability": 1.0}}, cell_m=1000,
                         save=False, lock_out=["no_go"])  # fmt: skip
    best = run.compromise
    # C016 must go in Zandmeer, and all of Zandmeer is closed: reported, nothing placed there
    assert best.status == "infeasible"
    assert best.items.set_index("item_id").loc["C016", "placed_ha"] == 0.0
    assert any(u.startswith("claim C016 (80 ha solar_field in GM9903)") for u in best.unmet)
    assert "GM9903" not in set(run.placements_frame()["region_code"])
