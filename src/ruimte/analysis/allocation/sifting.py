# SPDX-License-Identifier: Apache-2.0
"""Sifting: solve a large allocation LP on its cheapest columns, then price in the rest.

Most of a large region's land never enters an optimal allocation: each claim
ends up on some of its cheapest cells. Sifting (a column-generation scheme)
solves the LP restricted to each item's cheapest candidate land, reads the
row duals ``y`` and computes every left-out column's reduced cost
``c - A^T y`` in one sparse product. Columns with a negative reduced cost are
added and the restricted LP solved again; when none is left the restricted
optimum is optimal for the whole LP (every left-out column sits at its lower
bound 0 with a non-negative reduced cost). A restricted LP that is infeasible
gets more columns; if the whole column set is reached, the caller falls back
to the full model.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ruimte.analysis.allocation.model import Model

logger = logging.getLogger(__name__)

#: hectares of candidate land per item in the first round, as a multiple of what it needs
START_FACTOR = 4.0
#: at most this many rounds of pricing before giving up (the caller solves the full LP)
MAX_ROUNDS = 30
#: columns added per item and round, at most
ADD_PER_ITEM = 20_000


def _hectares_needed(model: Model) -> np.ndarray:
    """Return per item the hectares to start from: its claim, or its targets' need per yield."""
    problem = model.problem
    need = problem.items["min_ha"].to_numpy(float).copy()
    if len(problem.targets) and problem.target_yield is not None:
        t_need = problem.targets["need"].to_numpy(float)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            per_item = np.where(problem.target_yield > 0, t_need / problem.target_yield, 0.0)
        need = np.maximum(need, per_item.max(axis=0))
    return need


def initial_columns(model: Model, cost: np.ndarray, factor: float) -> np.ndarray:
    """Return, per item, its cheapest columns covering ``factor`` times the land it needs."""
    area = model.problem.area_ha[model.col_unit]
    need = _hectares_needed(model) * factor
    chosen = []
    # columns are grouped by item (built row-major from the item mask)
    bounds = np.searchsorted(model.col_item, np.arange(len(need) + 1))
    for k in range(len(need)):
        lo, hi = bounds[k], bounds[k + 1]
        if hi <= lo:
            continue
        order = lo + np.argsort(cost[lo:hi], kind="stable")
        covered = np.cumsum(area[order])
        n = int(np.searchsorted(covered, need[k])) + 1
        chosen.append(order[: max(1, min(n, hi - lo))])
    return np.unique(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)


def solve_sifting(
    model: Model,
    cost: np.ndarray,
    *,
    options: Mapping[str, bool | int | float | str] | None = None,
    start_factor: float = START_FACTOR,
    initial: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the optimal ``(x, row_duals)`` of the full LP, or None to fall back.

    ``initial`` replaces the first round's columns (each item's cheapest land).

    None means the restricted LPs stayed infeasible, a solve ended otherwise
    than optimal, or pricing did not converge within ``MAX_ROUNDS``.
    """
    from ruimte.analysis.allocation.highs import INF, run_lp

    n_cols = len(cost)
    factor = start_factor
    active = initial_columns(model, cost, factor) if initial is None else np.unique(initial)
    matrix_t = model.matrix.T.tocsr()
    for round_no in range(MAX_ROUNDS):
        # the rows the active columns touch, plus every item and target row; a land row
        # without active columns is slack, so its dual is 0
        sub = model.matrix[:, active]
        rows = np.zeros(model.matrix.shape[0], dtype=bool)
        rows[: model.n_item_rows + model.n_target_rows] = True
        rows[sub.indices] = True
        sub = sub.tocsr()[rows].tocsc()
        status, x_sub, sub_duals, _ = run_lp(
            sub,
            cost[active],
            np.full(len(active), INF),
            model.row_lower[rows],
            model.row_upper[rows],
            options=options,
        )
        if status == "infeasible":
            if len(active) == n_cols:
                return None
            factor *= 4.0
            active = np.union1d(active, initial_columns(model, cost, factor))
            logger.info("sifting: restricted LP infeasible; %d columns now", len(active))
            continue
        if status != "optimal":
            return None
        duals = np.zeros(model.matrix.shape[0])
        duals[rows] = sub_duals
        reduced = cost - matrix_t @ duals
        reduced[active] = 0.0
        negative = np.flatnonzero(reduced < -1e-9)
        logger.info(
            "sifting round %d: %d of %d columns, %d priced in",
            round_no,
            len(active),
            n_cols,
            len(negative),
        )
        if len(negative) == 0:
            x = np.zeros(n_cols)
            x[active] = x_sub
            return x, duals
        # the most negative columns first, at most ADD_PER_ITEM per item
        order = negative[np.argsort(reduced[negative], kind="stable")]
        items = model.col_item[order]
        rank = np.zeros(len(order), dtype=np.int64)
        for k in np.unique(items):
            where = np.flatnonzero(items == k)
            rank[where] = np.arange(len(where))
        active = np.union1d(active, order[rank < ADD_PER_ITEM])
    return None
