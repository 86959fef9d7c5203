# SPDX-License-Identifier: Apache-2.0
"""The allocation LP against optima found by hand or by enumerating every assignment."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from ruimte.analysis.allocation.model import build_model, solve
from ruimte.analysis.allocation.pareto import non_dominated, pareto_front
from ruimte.analysis.allocation.problem import AllocationInputError, Problem


def _items(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"item_id": i, "function": f, "min_ha": lo, "max_ha": hi, "kind": "claim", "ref": i}
            for i, f, lo, hi in rows
        ]
    )


def _problem(cost: np.ndarray, items: pd.DataFrame, **kw: object) -> Problem:
    n, m = cost.shape
    fns = kw.pop("functions", ("solar_field", "housing")[:m])
    return Problem(
        area_ha=kw.pop("area_ha", np.ones(n)),  # type: ignore[arg-type]
        functions=fns,  # type: ignore[arg-type]
        available=kw.pop("available", np.ones((n, m), bool)),  # type: ignore[arg-type]
        criteria={"c": cost},
        items=items,
        item_mask=kw.pop("item_mask", np.ones((len(items), n), bool)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_optimum_equals_enumeration_of_every_assignment(seed: int) -> None:
    # 6 one-hectare units; 2 ha solar and 3 ha housing, mutually exclusive. The
    # constraint matrix is a bipartite incidence matrix (totally unimodular),
    # so the LP optimum is a whole assignment and enumeration finds it too.
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 20, size=(6, 2)).astype(float)
    problem = _problem(cost, _items([("a", "solar_field", 2, 2), ("b", "housing", 3, 3)]))
    best = min(
        sum(cost[u, c - 1] for u, c in enumerate(choice) if c)
        for choice in itertools.product((0, 1, 2), repeat=6)
        if choice.count(1) == 2 and choice.count(2) == 3
    )
    result = solve(build_model(problem), {"c": 1.0})
    assert result.status == "optimal"
    assert result.criteria["c"] == pytest.approx(best)
    assert result.items["placed_ha"].tolist() == pytest.approx([2, 3])


def test_claim_too_large_for_its_region_is_reported_not_raised() -> None:
    problem = _problem(np.ones((3, 1)), _items([("C016", "solar_field", 5, 5)]))
    result = solve(build_model(problem), {"c": 1.0})
    assert result.status == "infeasible"
    assert result.items["placed_ha"].iloc[0] == pytest.approx(3.0)
    assert result.items["shortfall_ha"].iloc[0] == pytest.approx(2.0)
    assert "C016" in result.unmet[0] and "2 ha could not be placed" in result.unmet[0]


def test_shared_use_makes_an_infeasible_problem_feasible() -> None:
    # two 10 ha units, 15 ha solar and 15 ha wind: 30 ha do not fit in 20 ha,
    # unless the two may share land (then the land counts once).
    cost = np.array([[1.0, 2.0], [3.0, 1.0]])
    items = _items([("s", "solar_field", 15, 15), ("w", "wind_turbine", 15, 15)])
    kw = {"area_ha": np.array([10.0, 10.0]), "functions": ("solar_field", "wind_turbine")}
    apart = solve(build_model(_problem(cost, items, **kw)), {"c": 1.0})
    assert apart.status == "infeasible"
    assert sum(apart.items["shortfall_ha"]) == pytest.approx(10.0)
    shared = frozenset({frozenset({"solar_field", "wind_turbine"})})
    together = solve(build_model(_problem(cost, items, shared=shared, **kw)), {"c": 1.0})
    assert together.status == "optimal"
    # solar: 10 ha on unit 0 (cost 1) + 5 on unit 1 (3); wind: 10 on unit 1 (1) + 5 on unit 0 (2)
    assert together.criteria["c"] == pytest.approx(10 * 1 + 5 * 3 + 10 * 1 + 5 * 2)


def _target_problem(need: float, locked_out: bool = False) -> Problem:
    # a top-up item of solar, 2 GWh/yr per ha; three 10 ha units costing 1, 2, 3 per ha
    cost = np.array([[1.0], [2.0], [3.0]])
    items = _items([("top", "solar_field", 0, np.inf)])
    available = np.ones((3, 1), bool)
    if locked_out:
        available[0, 0] = False
    return _problem(
        cost,
        items,
        area_ha=np.full(3, 10.0),
        functions=("solar_field",),
        available=available,
        targets=pd.DataFrame(
            {"target_id": ["T10"], "need": [need], "unit": ["GWh/yr"], "region_code": ["ES99"]}
        ),
        target_mask=np.ones((1, 3), bool),
        target_yield=np.array([[2.0]]),
    )


def test_target_is_met_on_the_cheapest_land_and_marked_binding() -> None:
    result = solve(build_model(_target_problem(30.0)), {"c": 1.0})
    # 15 ha needed: 10 ha at 1 and 5 ha at 2
    assert result.ok and result.criteria["c"] == pytest.approx(20.0)
    assert result.targets["met"].all() and result.targets["binding"].all()
    locked = solve(build_model(_target_problem(30.0, locked_out=True)), {"c": 1.0})
    assert locked.criteria["c"] == pytest.approx(10 * 2 + 5 * 3)
    assert 0 not in set(locked.placements["unit"])


def test_unreachable_target_names_the_target_and_its_shortfall() -> None:
    result = solve(build_model(_target_problem(100.0)), {"c": 1.0})
    assert result.status == "infeasible"
    row = result.targets.iloc[0]
    assert row["achieved"] == pytest.approx(60.0) and row["shortfall"] == pytest.approx(40.0)
    assert result.unmet[0].startswith("target T10 (100 GWh/yr in ES99")
    assert "40 GWh/yr short" in result.unmet[0]


def test_locked_in_land_is_honoured_and_oversized_locks_are_refused() -> None:
    problem = _target_problem(10.0)
    locked = Problem(
        **{
            **problem.__dict__,
            "locked_in": pd.DataFrame([{"unit": 2, "function": "solar_field", "ha": 4.0}]),
        }
    )
    result = solve(build_model(locked), {"c": 1.0})
    # 4 ha forced onto unit 2 (cost 3, 8 GWh); the last 2 GWh take 1 ha of unit 0 (cost 1)
    assert result.criteria["c"] == pytest.approx(4 * 3 + 1 * 1)
    too_big = Problem(
        **{
            **problem.__dict__,
            "locked_in": pd.DataFrame([{"unit": 2, "function": "solar_field", "ha": 11.0}]),
        }
    )
    with pytest.raises(AllocationInputError, match="unit 2: 11 ha of solar_field exceeds"):
        build_model(too_big)


def test_unknown_weight_criterion_is_named() -> None:
    model = build_model(_target_problem(10.0))
    with pytest.raises(AllocationInputError, match="unknown criterion 'cc'. Did you mean 'c'"):
        solve(model, {"cc": 1.0})


def test_pareto_front_keeps_only_non_dominated_allocations() -> None:
    # criterion a favours unit 0, b favours unit 1: the extremes and nothing dominated
    problem = Problem(
        area_ha=np.array([10.0, 10.0]),
        functions=("solar_field",),
        available=np.ones((2, 1), bool),
        criteria={"a": np.array([[0.0], [1.0]]), "b": np.array([[1.0], [0.0]])},
        items=_items([("s", "solar_field", 10, 10)]),
        item_mask=np.ones((1, 2), bool),
    )
    front, allocations = pareto_front(build_model(problem), "a", "b", steps=5)
    points = front.loc[front["pareto"], ["a", "b"]].to_numpy()
    assert sorted(map(tuple, points)) == [(0.0, 10.0), (10.0, 0.0)]
    assert len(allocations) == 5
    assert non_dominated(np.array([[1, 1], [1, 1], [0, 2]])).tolist() == [True, False, True]


def test_sifting_reaches_the_full_lp_optimum() -> None:
    # 3,000 one-hectare units, three functions, two competing claims per function:
    # the restricted-then-priced LP must match the full LP solved in one go
    from ruimte.analysis.allocation.highs import INF, run_lp
    from ruimte.analysis.allocation.sifting import initial_columns, solve_sifting

    rng = np.random.default_rng(11)
    n = 3000
    fns = ("housing", "solar_field", "wind_turbine")
    items = _items([(f"{f}{r}", f, 150.0 + 40 * r, 150.0 + 40 * r) for f in fns for r in range(2)])
    region = rng.integers(0, 2, n)
    problem = Problem(
        area_ha=np.ones(n),
        functions=fns,
        available=rng.random((n, 3)) > 0.2,
        criteria={"c": rng.random((n, 3))},
        items=items,
        item_mask=np.array([region == int(i[-1]) for i in items["item_id"]]),
        shared=frozenset({frozenset({"solar_field", "wind_turbine"})}),
    )
    model = build_model(problem)
    cost = model.costs({"c": 1.0})
    status, full, _, _ = run_lp(
        model.matrix, cost, np.full(len(cost), INF), model.row_lower, model.row_upper
    )
    assert status == "optimal"
    # a tight start (restricted LP infeasible: more land added) and a start from each
    # item's dearest land (feasible but far from optimal: pricing must bring the rest in)
    dearest = initial_columns(model, -cost, 1.5)
    for kwargs in ({"start_factor": 1.0}, {"start_factor": 4.0}, {"initial": dearest}):
        sifted = solve_sifting(model, cost, **kwargs)  # type: ignore[arg-type]
        assert sifted is not None
        assert cost @ sifted[0] == pytest.approx(cost @ full, rel=1e-9)
        assert (model.matrix @ sifted[0] <= model.row_upper + 1e-7).all()
        assert (model.matrix @ sifted[0] >= model.row_lower - 1e-7).all()
