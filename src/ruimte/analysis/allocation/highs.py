# SPDX-License-Identifier: Apache-2.0
"""Pass a CSC-matrix LP to HiGHS and run it, quietly."""

from __future__ import annotations

from collections.abc import Mapping

import highspy
import numpy as np
import scipy.sparse as sp

from ruimte.analysis.solver import quiet_highs

INF = highspy.kHighsInf


def run_lp(
    matrix: sp.csc_matrix,
    cost: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    *,
    options: Mapping[str, bool | int | float | str] | None = None,
) -> tuple[str, np.ndarray, np.ndarray, float]:
    """Minimise ``cost @ x`` with ``row_lower <= matrix @ x <= row_upper``, ``0 <= x <= col_upper``.

    Returns
    -------
    status : str
        ``"optimal"``, ``"infeasible"`` or HiGHS's own wording of another outcome.
    x, row_duals : numpy.ndarray
        Empty unless optimal; reduced costs are ``cost - matrix.T @ row_duals``.
    objective : float
    """
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = np.ascontiguousarray(cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(matrix.shape[1])
    lp.col_upper_ = np.ascontiguousarray(col_upper, dtype=np.float64)
    lp.row_lower_ = np.ascontiguousarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.ascontiguousarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(np.float64)
    h = quiet_highs()
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        sol = h.getSolution()
        return "optimal", np.asarray(sol.col_value), np.asarray(sol.row_dual), h.getObjectiveValue()
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return "infeasible", np.zeros(0), np.zeros(0), float("nan")
    return h.modelStatusToString(status), np.zeros(0), np.zeros(0), float("nan")
