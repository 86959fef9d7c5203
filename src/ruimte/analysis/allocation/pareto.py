# SPDX-License-Identifier: Apache-2.0
"""Trade-off fronts: vary the weight between two criteria, keep the non-dominated allocations."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ruimte.analysis.allocation.model import Model, solve
from ruimte.analysis.allocation.problem import AllocationInputError
from ruimte.analysis.allocation.result import Allocation
from ruimte.errors import did_you_mean

#: a small weight on each criterion of the pair, so that ties go to the non-dominated point
TIE_BREAK = 1e-4


def non_dominated(points: np.ndarray) -> np.ndarray:
    """Return a bool mask of the points (rows, to minimise) that no other point dominates.

    Equal points keep only their first occurrence.

    Examples
    --------
    >>> non_dominated(np.array([[1, 5], [2, 2], [3, 3], [5, 1], [2, 2]])).tolist()
    [True, True, False, True, False]
    """
    pts = np.asarray(points, dtype=float)
    keep = np.ones(len(pts), dtype=bool)
    for i in range(len(pts)):
        others = np.delete(np.arange(len(pts)), i)
        le = np.all(pts[others] <= pts[i] + 1e-9, axis=1)
        lt = np.any(pts[others] < pts[i] - 1e-9, axis=1)
        same_earlier = np.all(np.abs(pts[others] - pts[i]) <= 1e-9, axis=1) & (others < i)
        if np.any(le & lt) or np.any(same_earlier):
            keep[i] = False
    return keep


def pareto_front(
    model: Model,
    criterion_a: str,
    criterion_b: str,
    *,
    steps: int = 11,
    other_weights: Mapping[str, float] | None = None,
    options: Mapping[str, bool | int | float | str] | None = None,
) -> tuple[pd.DataFrame, list[Allocation]]:
    """Solve with weight ``1 - s`` on ``criterion_a`` and ``s`` on ``criterion_b`` for s in [0, 1].

    Parameters
    ----------
    model : Model
    criterion_a, criterion_b : str
        The two criteria to trade off (e.g. grid reinforcement against landscape).
    steps : int
        Number of weight steps (at least 2).
    other_weights : mapping, optional
        Fixed weights on the remaining criteria (default none).
    options : mapping, optional
        HiGHS options.

    Returns
    -------
    front : DataFrame
        One row per step: ``weight_b``, ``status``, the two criteria totals,
        ``pareto`` (non-dominated among the steps).
    allocations : list of Allocation
        The allocation of each step, in the same order.

    Raises
    ------
    AllocationInputError
        If a criterion is unknown or ``steps`` is below 2.
    """
    for name in (criterion_a, criterion_b):
        if name not in model.problem.criteria:
            raise AllocationInputError(
                f"no criterion {name!r} to trade off. {did_you_mean(name, model.problem.criteria)}"
            )
    if steps < 2:
        raise AllocationInputError(f"steps must be at least 2, not {steps}.")
    rows, allocations = [], []
    for s in np.linspace(0.0, 1.0, steps):
        weights = dict(other_weights or {})
        weights[criterion_a] = (1.0 - s) + TIE_BREAK
        weights[criterion_b] = s + TIE_BREAK
        alloc = solve(model, weights, options=options)
        allocations.append(alloc)
        rows.append(
            {
                "weight_b": float(s),
                "status": alloc.status,
                criterion_a: alloc.criteria[criterion_a],
                criterion_b: alloc.criteria[criterion_b],
            }
        )
    front = pd.DataFrame(rows)
    feasible = (front["status"] == "optimal").to_numpy()
    mask = np.zeros(len(front), dtype=bool)
    if feasible.any():
        pts = front.loc[feasible, [criterion_a, criterion_b]].to_numpy()
        mask[np.flatnonzero(feasible)] = non_dominated(pts)
    front["pareto"] = mask
    return front, allocations
