# SPDX-License-Identifier: Apache-2.0
"""Features as marked cells, and which cell centres lie near a marked cell.

:func:`mark_features` marks every cell that holds a point or a vertex of the
segments (lines, polygon rings) densified to vertices at most
``SEGMENT_CELLS`` cells apart. :func:`near_marks` answers, for two radii at
once, which centres lie within that radius of a marked cell's centre: the
thresholded Euclidean
distance transform that :mod:`.exact` needs, computed separably (the gap to
the nearest mark in each column, then the minimum over the columns within
reach) in small integers with NumPy, which releases the GIL, so the chunks of
a threaded run proceed in parallel.
"""

from __future__ import annotations

import math

import numpy as np

from ruimte.analysis.eligibility.grid import Grid, Window

__all__ = [
    "SEGMENT_CELLS",
    "Nearby",
    "densify",
    "dilate",
    "mark_cells",
    "mark_features",
    "near_marks",
]

#: densify features to vertices at most this many cells apart
SEGMENT_CELLS = 0.5


def densify(segs: np.ndarray, spacing: float) -> np.ndarray:
    """Points along segments, at most ``spacing`` apart, both ends included.

    Every point of a segment lies within ``spacing / 2`` of a returned point.

    Parameters
    ----------
    segs : numpy.ndarray
        ``(m, 4)`` segments ``x0, y0, x1, y1``.
    spacing : float

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` coordinates.

    Examples
    --------
    >>> densify(np.array([[0.0, 0.0, 10.0, 0.0]]), 4.0)[:, 0].round(2).tolist()
    [0.0, 3.33, 6.67, 10.0]
    """
    a, b = segs[:, :2], segs[:, 2:]
    step = b - a
    pieces = np.maximum(np.ceil(np.hypot(step[:, 0], step[:, 1]) / spacing), 1).astype(np.int64)
    which = np.repeat(np.arange(len(segs)), pieces)
    first = np.cumsum(pieces) - pieces
    frac = (np.arange(int(pieces.sum())) - first[which]) / pieces[which]
    return np.concatenate([a[which] + step[which] * frac[:, None], b])


def mark_cells(xy: np.ndarray, grid: Grid, window: Window) -> np.ndarray:
    """Cells of ``window`` holding one of the points ``xy`` (``(n, 2)`` coordinates)."""
    r0, r1, c0, c1 = window
    marks = np.zeros((r1 - r0, c1 - c0), dtype=bool)
    res = grid.resolution
    cols = np.floor((xy[:, 0] - grid.left) / res).astype(np.int64) - c0
    rows = np.floor((grid.top - xy[:, 1]) / res).astype(np.int64) - r0
    keep = (rows >= 0) & (rows < r1 - r0) & (cols >= 0) & (cols < c1 - c0)
    marks[rows[keep], cols[keep]] = True
    return marks


def mark_features(points: np.ndarray, segs: np.ndarray, grid: Grid, window: Window) -> np.ndarray:
    """Cells of ``window`` holding a point or a vertex of the segments densified to ``s``."""
    spacing = grid.resolution * SEGMENT_CELLS
    return mark_cells(np.concatenate([points, densify(segs, spacing)]), grid, window)


def _column_gaps(marks: np.ndarray, cap: int, dtype: type) -> np.ndarray:
    """Rows from each cell to the nearest mark in its column, at most ``cap``.

    Doubling: after the steps 1, 2, ..., 2^k every cell has seen the marks up
    to 2^(k+1) - 1 rows away in both directions (each gap is a sum of steps).
    """
    gaps = np.where(marks, dtype(0), dtype(cap))
    step = 1
    while step < cap:
        np.minimum(gaps[step:], gaps[:-step] + dtype(step), out=gaps[step:])
        np.minimum(gaps[:-step], gaps[step:] + dtype(step), out=gaps[:-step])
        step *= 2
    return np.minimum(gaps, dtype(cap), out=gaps)


def dilate(marks: np.ndarray) -> np.ndarray:
    """3 × 3 dilation by shifted ORs (faster than ``binary_dilation`` here)."""
    rows = marks.copy()
    rows[1:] |= marks[:-1]
    rows[:-1] |= marks[1:]
    out = rows.copy()
    out[:, 1:] |= rows[:, :-1]
    out[:, :-1] |= rows[:, 1:]
    return out


class Nearby:
    """Which coordinates lie within some distance of any of a set of cell centres.

    Conservative (may keep a few farther ones): the cells are flagged on a
    coarse grid of blocks at least that distance across, and a coordinate is
    kept when its block or one of the eight around it is flagged.
    """

    def __init__(self, grid: Grid, window: Window, rows: np.ndarray, cols: np.ndarray) -> None:
        self.grid, self.window, self.rows, self.cols = grid, window, rows, cols

    def __call__(self, xy: np.ndarray, reach: float) -> np.ndarray:
        """Return a bool per coordinate: kept (maybe within ``reach``) or not."""
        r0, r1, c0, c1 = self.window
        res = self.grid.resolution
        block = max(1, math.ceil(reach / res))
        shape = ((r1 - r0) // block + 3, (c1 - c0) // block + 3)
        flags = np.zeros(shape, dtype=bool)
        flags[self.rows // block + 1, self.cols // block + 1] = True
        flags = dilate(flags)
        left, top = self.grid.left + c0 * res, self.grid.top - r0 * res
        bc = np.floor((xy[:, 0] - left) / (res * block)).astype(np.int64) + 1
        br = np.floor((top - xy[:, 1]) / (res * block)).astype(np.int64) + 1
        keep = (br >= 0) & (br < shape[0]) & (bc >= 0) & (bc < shape[1])
        keep[keep] = flags[br[keep], bc[keep]]
        return keep


def near_marks(
    marks: np.ndarray, halo: int, inner: float, outer: float
) -> tuple[np.ndarray, np.ndarray]:
    """Centres closer than ``inner`` and not farther than ``outer`` cells from a mark.

    Distances run between cell centres, in cells (multiply by the resolution
    for metres): the same as ``scipy.ndimage.distance_transform_edt(~marks)``
    compared with the two radii, but only for the window inside the halo.

    Parameters
    ----------
    marks : numpy.ndarray of bool
        The window grown by ``halo`` cells on every side.
    halo : int
        Must exceed ``outer``.
    inner, outer : float
        Radii in cells, ``inner <= outer``.

    Returns
    -------
    sure, near : numpy.ndarray of bool
        ``distance < inner`` and ``distance <= outer`` for the window's cells.

    Examples
    --------
    >>> m = np.zeros((7, 7), dtype=bool); m[3, 3] = True
    >>> sure, near = near_marks(m, 2, 1.0, 1.5)
    >>> sure.astype(int).tolist(), int(near.sum())
    ([[0, 0, 0], [0, 1, 0], [0, 0, 0]], 9)
    """
    if outer >= halo:
        raise ValueError(f"the halo ({halo} cells) must exceed the outer radius ({outer} cells)")
    reach = int(math.floor(outer))
    cap = reach + 1  # any gap beyond reach is as good as infinite
    dtype = np.int16 if 2 * cap * cap < np.iinfo(np.int16).max else np.int32
    gaps = _column_gaps(marks, cap, dtype)[halo : marks.shape[0] - halo]
    squared = gaps * gaps
    width = marks.shape[1] - 2 * halo
    best = squared[:, halo : halo + width].copy()
    shifted = np.empty_like(best)
    for dx in range(1, reach + 1):
        dx2 = dtype(dx * dx)
        for start in (halo - dx, halo + dx):
            np.add(squared[:, start : start + width], dx2, out=shifted)
            np.minimum(best, shifted, out=best)
    sure = best < inner * inner if inner > 0 else np.zeros(best.shape, dtype=bool)
    return sure, best <= outer * outer
