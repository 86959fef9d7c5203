# SPDX-License-Identifier: Apache-2.0
"""The eligible area from the kernel's cover: one figure for every view.

The kernel (:func:`~ruimte.analysis.eligibility.kernel.covered_window`)
counts per cell its eligible sub-points, ``0 .. FULL`` (:mod:`.subcells`).
Every eligible area ruimte reports — the headline, the regions, the
polygons — is a sum of that cover, so the views agree:
:func:`eligible_area_m2` for the whole, :func:`settle_cover` after small
areas were dropped. Memory: one byte per cell.
"""

from __future__ import annotations

import numpy as np

from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.marks import dilate
from ruimte.analysis.eligibility.subcells import FULL

__all__ = ["FULL", "settle_cover", "eligible_area_m2"]

_ELIGIBLE = 1  # as in .kernel


def settle_cover(
    cover: np.ndarray, codes: np.ndarray, dropped: np.ndarray | None = None
) -> np.ndarray:
    """Keep only the cover that belongs to eligible land (after small areas were dropped).

    A cell's cover counts when the cell is eligible, or when it is not but
    lies next to an eligible cell (its eligible sub-points are part of that
    area's edge); cells of dropped areas (``dropped``) and cells next to no
    eligible cell count for nothing. Changes ``cover`` in place and returns it.

    Examples
    --------
    >>> codes = np.array([[1, 0, 0, 0]], dtype=np.uint8)
    >>> settle_cover(np.array([[16, 5, 7, 0]], dtype=np.uint8), codes).tolist()
    [[16, 5, 0, 0]]
    """
    eligible = codes == _ELIGIBLE
    keep = dilate(eligible)
    if dropped is not None:
        keep &= ~dropped
    cover[~keep] = 0
    return cover


def eligible_area_m2(cover: np.ndarray, grid: Grid) -> float:
    """Eligible area of a cover, in m²: ``cover.sum() / FULL`` cells.

    Examples
    --------
    >>> g = Grid(0.0, 10.0, 10.0, 1, 2)
    >>> eligible_area_m2(np.array([[FULL, FULL // 2]], dtype=np.uint8), g)
    150.0
    """
    return float(np.sum(cover, dtype=np.int64)) / FULL * grid.cell_area_m2
