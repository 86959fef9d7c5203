# SPDX-License-Identifier: Apache-2.0
"""Battery dispatch that minimises the peak at a grid connection: a linear program solved by HiGHS.

For hours ``t = 0..T-1`` with net demand ``n_t`` (demand minus generation, MW):

.. code-block:: text

    minimise    peak + eps * sum(c_t + d_t)
    subject to  s_t = s_{t-1} + eta * c_t - d_t / eta     (s_{-1} = s_{T-1}: cyclic)
                -peak <= n_t + c_t - d_t <= peak
                0 <= c_t, d_t <= P,   0 <= s_t <= E

with ``eta`` the square root of the round-trip efficiency; the small ``eps``
stops needless cycling. The peak is the larger of import and export.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from ruimte.analysis.solver import quiet_highs
from ruimte.errors import RuimteError


class DispatchError(RuimteError, ValueError):
    """Bad input to the dispatch (negative sizes, empty series)."""


@dataclass(frozen=True)
class Dispatch:
    """Outcome of :func:`min_peak_dispatch`.

    Attributes
    ----------
    status : str
        HiGHS model status (``"Optimal"`` when solved).
    peak_mw : float
        Peak at the connection with the battery.
    grid_mw : ndarray
        Net exchange per hour (import positive) with the battery.
    charge_mw, discharge_mw, soc_mwh : ndarray
    """

    status: str
    peak_mw: float
    grid_mw: np.ndarray
    charge_mw: np.ndarray
    discharge_mw: np.ndarray
    soc_mwh: np.ndarray


def min_peak_dispatch(
    net_mw: np.ndarray,
    power_mw: float,
    energy_mwh: float,
    *,
    round_trip_efficiency: float = 1.0,
    eps: float = 1e-6,
) -> Dispatch:
    """Dispatch a battery to minimise the peak of ``|net_mw + charge - discharge|``.

    Parameters
    ----------
    net_mw : ndarray
        Hourly net demand (demand minus generation) at the connection, MW.
    power_mw, energy_mwh : float
        Battery power and capacity.
    round_trip_efficiency : float
        In (0, 1].
    eps : float
        Penalty on throughput.

    Returns
    -------
    Dispatch

    Raises
    ------
    DispatchError
        If the series is empty or a size is negative.

    Examples
    --------
    >>> d = min_peak_dispatch(np.array([0.0, 4.0, 0.0, 4.0]), 10.0, 10.0)
    >>> round(d.peak_mw, 6)
    2.0
    """
    net = np.asarray(net_mw, dtype=float)
    t = len(net)
    if t == 0 or power_mw < 0 or energy_mwh < 0 or not 0 < round_trip_efficiency <= 1:
        raise DispatchError(
            f"battery dispatch: need hours > 0, power_mw >= 0, energy_mwh >= 0 and "
            f"0 < efficiency <= 1; got {t} hours, {power_mw} MW, {energy_mwh} MWh, "
            f"{round_trip_efficiency}."
        )
    eta = float(np.sqrt(round_trip_efficiency))
    # columns: c (0..t-1), d (t..2t-1), s (2t..3t-1), peak (3t)
    n = 3 * t + 1
    eye = sparse.identity(t, format="csr")
    shift = sparse.csr_matrix((np.ones(t), (np.arange(t), (np.arange(t) - 1) % t)), shape=(t, t))
    zero = sparse.csr_matrix((t, t))
    ones = sparse.csr_matrix(np.ones((t, 1)))
    soc = sparse.hstack([-eta * eye, eye / eta, eye - shift, sparse.csr_matrix((t, 1))])
    upper = sparse.hstack([eye, -eye, zero, -ones])  # n + c - d - peak <= 0
    lower = sparse.hstack([eye, -eye, zero, ones])  # n + c - d + peak >= 0
    a = sparse.vstack([soc, upper, lower]).tocsc()
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, 3 * t
    lp.col_cost_ = np.concatenate([np.full(2 * t, eps), np.zeros(t), [1.0]])
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.concatenate([np.full(2 * t, power_mw), np.full(t, energy_mwh), [inf]])
    lp.row_lower_ = np.concatenate([np.zeros(t), np.full(t, -inf), -net])
    lp.row_upper_ = np.concatenate([np.zeros(t), -net, np.full(t, inf)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h = quiet_highs()
    h.passModel(lp)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    x = np.asarray(h.getSolution().col_value)
    if len(x) != n:
        empty = np.zeros(t)
        return Dispatch(status, float(np.abs(net).max()), net, empty, empty, empty)
    c, d, s = x[:t], x[t : 2 * t], x[2 * t : 3 * t]
    grid = net + c - d
    return Dispatch(status, float(np.abs(grid).max()), grid, c, d, s)
