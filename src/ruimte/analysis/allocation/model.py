# SPDX-License-Identifier: Apache-2.0
"""The allocation as a linear programme, built with numpy/scipy.sparse and solved by HiGHS.

Variables ``x[u, k] >= 0``: hectares of unit ``u`` given to item ``k``, only
where the item's function is available on the unit and the unit lies in the
item's region. Constraints:

- item rows: ``min_ha <= sum_u x[u, k] <= max_ha`` (a claim is placed whole);
- land rows: for each unit and each maximal set of functions that cannot
  share land, the sum of their hectares is at most the unit's area; functions
  that may share (the compatibility matrix's ``shared``) stack, so shared land
  counts once;
- target rows: ``sum yield[t, k] * x[u, k] >= need[t]`` over the target's units;
- locked-in rows: the hectares of a function on a unit are at least the locked amount.

Objective: the weighted sum of the criteria (cost per hectare). Hectares are
continuous (a claim may take part of a cell), so the LP is the model itself,
not a relaxation. An infeasible problem is solved again in elastic form (one
slack per item and target row, minimising the relative shortfall first and
the cost second); the result names the targets and claims that cannot be met.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ruimte.analysis.allocation.highs import INF, run_lp
from ruimte.analysis.allocation.problem import AllocationInputError, Problem
from ruimte.analysis.allocation.result import Allocation, make_result

logger = logging.getLogger(__name__)

#: a small cost per hectare placed, so that no land is taken without need (a top-up
#: whose criteria are all zero would otherwise take any amount of free land)
LAND_TAKE_PER_HA = 1e-3
#: from this many columns on, solve by sifting (cheapest columns first, then pricing)
SIFTING_MIN_COLUMNS = 100_000


@dataclass(frozen=True)
class Model:
    """A built LP: the constraint matrix, its bounds and the column layout.

    Attributes
    ----------
    problem : Problem
    col_unit, col_item, col_function : numpy.ndarray
        For each column: its unit, item and function index.
    matrix : scipy.sparse.csc_matrix
        Constraint matrix, rows: items, then targets, then land and locked-in rows.
    row_lower, row_upper : numpy.ndarray
    n_item_rows, n_target_rows : int
    """

    problem: Problem
    col_unit: np.ndarray
    col_item: np.ndarray
    col_function: np.ndarray
    matrix: sp.csc_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    n_item_rows: int
    n_target_rows: int

    def criterion_columns(self, name: str) -> np.ndarray:
        """Return the per-hectare value of criterion ``name`` for every column."""
        return np.asarray(self.problem.criteria[name])[self.col_unit, self.col_function]

    def costs(self, weights: Mapping[str, float]) -> np.ndarray:
        """Return the column costs for ``weights`` (criterion -> weight).

        Raises
        ------
        AllocationInputError
            If a weight names a criterion the problem does not have.
        """
        cost = np.full(len(self.col_unit), LAND_TAKE_PER_HA)
        for name, weight in weights.items():
            if name not in self.problem.criteria:
                from ruimte.errors import did_you_mean

                raise AllocationInputError(
                    f"weight for unknown criterion {name!r}. "
                    f"{did_you_mean(name, self.problem.criteria)}"
                )
            if weight:
                cost += float(weight) * self.criterion_columns(name)
        return cost


def build_model(problem: Problem) -> Model:
    """Build the LP of ``problem`` with vectorised numpy (no per-variable Python loop).

    Raises
    ------
    AllocationInputError
        If the problem is malformed, or locked-in land exceeds a unit's area.
    """
    problem.validate()
    items = problem.items.reset_index(drop=True)
    fn_index = {f: i for i, f in enumerate(problem.functions)}
    item_fn = items["function"].map(fn_index).to_numpy(dtype=np.int64)
    n_items = len(items)

    # columns: (unit, item) where the item's region holds the unit and the function fits
    allowed = problem.item_mask & problem.available[:, item_fn].T
    col_item, col_unit = np.nonzero(allowed)  # row-major: grouped by item
    col_fn = item_fn[col_item]
    n_cols = len(col_unit)
    cols = np.arange(n_cols)
    rows, coefs, lower, upper = [col_item], [np.ones(n_cols)], [], []
    lower.append(items["min_ha"].to_numpy(float))
    upper.append(np.where(np.isinf(items["max_ha"]), INF, items["max_ha"].to_numpy(float)))
    row_cols = [cols]
    next_row = n_items

    # target rows
    n_targets = len(problem.targets)
    if n_targets:
        assert problem.target_mask is not None and problem.target_yield is not None
        t_idx, c_idx = np.nonzero(problem.target_mask[:, col_unit])
        coef = problem.target_yield[t_idx, col_item[c_idx]]
        keep = coef > 0
        rows.append(next_row + t_idx[keep])
        row_cols.append(c_idx[keep])
        coefs.append(coef[keep])
        lower.append(problem.targets["need"].to_numpy(float))
        upper.append(np.full(n_targets, INF))
        next_row += n_targets

    # land rows: one per (clique, unit) that has a column; shared functions stack
    for clique in problem.cliques():
        in_clique = np.isin(col_fn, clique)
        units = col_unit[in_clique]
        used, row_of = np.unique(units, return_inverse=True)
        rows.append(next_row + row_of)
        row_cols.append(cols[in_clique])
        coefs.append(np.ones(len(units)))
        lower.append(np.full(len(used), -INF))
        upper.append(problem.area_ha[used].astype(float))
        next_row += len(used)

    # locked-in rows
    for rec in problem.locked_in.itertuples(index=False):
        unit, fn, ha = int(rec.unit), fn_index.get(rec.function), float(rec.ha)
        if fn is None:
            raise AllocationInputError(
                f"locked-in land on unit {unit} names function {rec.function!r}, "
                f"which no item places. Add a claim of that function or drop the lock."
            )
        if ha > problem.area_ha[unit] + 1e-9:
            raise AllocationInputError(
                f"locked-in land on unit {unit}: {ha:g} ha of {rec.function} exceeds the "
                f"unit's {problem.area_ha[unit]:g} ha. Reduce the locked-in area."
            )
        hit = np.flatnonzero((col_unit == unit) & (col_fn == fn))
        rows.append(np.full(len(hit), next_row))
        row_cols.append(hit)
        coefs.append(np.ones(len(hit)))
        lower.append(np.array([ha]))
        upper.append(np.array([INF]))
        next_row += 1

    matrix = sp.csc_matrix(
        (np.concatenate(coefs), (np.concatenate(rows), np.concatenate(row_cols))),
        shape=(next_row, n_cols),
    )
    return Model(
        problem=problem,
        col_unit=col_unit,
        col_item=col_item,
        col_function=col_fn,
        matrix=matrix,
        row_lower=np.concatenate(lower),
        row_upper=np.concatenate(upper),
        n_item_rows=n_items,
        n_target_rows=n_targets,
    )


def solve(
    model: Model,
    weights: Mapping[str, float],
    *,
    options: Mapping[str, bool | int | float | str] | None = None,
) -> Allocation:
    """Solve the allocation for one weight set; infeasibility is a result, not an exception.

    Parameters
    ----------
    model : Model
        From :func:`build_model`.
    weights : mapping of str to float
        Criterion -> weight.
    options : mapping, optional
        HiGHS options (e.g. ``{"solver": "ipm", "time_limit": 60.0}``).

    Returns
    -------
    Allocation
        ``status`` is ``"optimal"`` or ``"infeasible"`` (then ``unmet`` names the
        targets and claims that cannot be met and the allocation is the one
        that comes closest), or a HiGHS status such as ``"Time limit reached"``.
    """
    cost = model.costs(weights)
    n_cols = len(cost)
    if n_cols >= SIFTING_MIN_COLUMNS:
        from ruimte.analysis.allocation.sifting import solve_sifting

        sifted = solve_sifting(model, cost, options=options)
        if sifted is not None:
            return make_result(model, sifted[0], sifted[1], status="optimal", cost=cost)
    status, x, duals, objective = run_lp(
        model.matrix, cost, np.full(n_cols, INF), model.row_lower, model.row_upper, options=options
    )
    if status == "optimal":
        return make_result(model, x, duals, status="optimal", cost=cost)
    if status != "infeasible":
        return make_result(model, np.zeros(n_cols), None, status=status)
    # elastic form: one slack per item and target row, shortfall relative to the need
    n_soft = model.n_item_rows + model.n_target_rows
    need = np.maximum(np.abs(model.row_lower[:n_soft]), 1e-9)
    slack = sp.csc_matrix(
        (np.ones(n_soft), (np.arange(n_soft), np.arange(n_soft))),
        shape=(model.matrix.shape[0], n_soft),
    )
    elastic = sp.hstack([model.matrix, slack], format="csc")
    phase1 = np.concatenate([np.zeros(n_cols), 1.0 / need])
    status1, x1, _, _ = run_lp(
        elastic,
        phase1,
        np.full(n_cols + n_soft, INF),
        model.row_lower,
        model.row_upper,
        options=options,
    )
    if status1 != "optimal":
        return make_result(model, np.zeros(n_cols), None, status=f"infeasible ({status1})")
    slack_upper = x1[n_cols:] * (1 + 1e-7) + 1e-9
    phase2 = np.concatenate([cost, np.zeros(n_soft)])
    _, x2, _, _ = run_lp(
        elastic,
        phase2,
        np.concatenate([np.full(n_cols, INF), slack_upper]),
        model.row_lower,
        model.row_upper,
        options=options,
    )
    x_final = x2 if len(x2) else x1
    return make_result(
        model, x_final[:n_cols], None, status="infeasible", slack=x_final[n_cols:], cost=cost
    )
