# SPDX-License-Identifier: Apache-2.0
"""Sub-points of a cell as 16 bits: which of them lie within a distance of a feature.

A cell is decided by its centre (the map); its *cover* counts its eligible
sub-points, ``SUB × SUB`` points on a regular lattice inside the cell (the
centres of its sub-cells), so that the eligible area is exact to a fraction
of a sub-cell where the edge of a buffer crosses the cell. A cell's sub-points
are one ``uint16``: bit ``SUB · i + j`` is the sub-point in sub-row ``i``
(from the top) and sub-column ``j`` (from the left).

Only cells whose centre lies within :data:`REACH` cells of a buffer's edge
can have sub-points on both sides of it; those are all in the exact band of
:mod:`.exact`, whose (feature, centre) pairs within ``b + REACH · r`` give the
sub-point distances here, with NumPy (point–point and point–segment).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "SUB",
    "FULL",
    "ALL",
    "REACH",
    "OFFSETS",
    "full_or_none",
    "segment_bits",
    "popcount",
]

#: sub-points per cell edge
SUB = 4
#: sub-points per cell
FULL = SUB * SUB
#: every sub-point
ALL = np.uint16((1 << FULL) - 1)
#: ``(FULL, 2)`` offsets of the sub-points from the cell centre, in cells (y up)
OFFSETS = np.array(
    [((j + 0.5) / SUB - 0.5, 0.5 - (i + 0.5) / SUB) for i in range(SUB) for j in range(SUB)]
)
#: farthest sub-point from the centre, in cells
REACH = float(np.hypot(*OFFSETS[0]))
_WEIGHTS = (1 << np.arange(FULL)).astype(np.uint16)
#: pairs handled at once (each costs ``FULL`` doubles per coordinate)
_PAIRS = 131_072


def full_or_none(mask: np.ndarray) -> np.ndarray:
    """``ALL`` where ``mask`` holds, else 0: a decision taken for the whole cell."""
    return np.where(mask, ALL, np.uint16(0))


def _bits(within: np.ndarray) -> np.ndarray:
    """``(n, FULL)`` bools as one ``uint16`` per row."""
    return (within.astype(np.uint16) * _WEIGHTS).sum(axis=1, dtype=np.uint16)


def segment_bits(
    segs: np.ndarray, centres: np.ndarray, distance: float, resolution: float
) -> np.ndarray:
    """Sub-points of the cell at ``centres[k]`` within ``distance`` of segment ``segs[k]``.

    A segment with equal ends is a point.

    Parameters
    ----------
    segs : numpy.ndarray
        ``(n, 4)`` segments ``x0, y0, x1, y1``.
    centres : numpy.ndarray
        ``(n, 2)`` cell centres.
    distance, resolution : float

    Returns
    -------
    numpy.ndarray of uint16

    Examples
    --------
    >>> b = segment_bits(np.array([[-9.0, 3.0, 9.0, 3.0]]), np.array([[0.0, 0.0]]), 2.0, 4.0)
    >>> f"{int(b[0]):016b}"  # only the top row (y = 1.5) lies within 2 of y = 3
    '0000000000001111'
    >>> b = segment_bits(np.array([[0.0, 0.0, 0.0, 0.0]]), np.array([[2.0, 0.0]]), 2.0, 4.0)
    >>> f"{int(b[0]):016b}"  # a point: bit 0 top left, all of column 0, two of column 1
    '0001001100110001'
    """
    out = np.empty(len(segs), dtype=np.uint16)
    off = OFFSETS * resolution
    d2 = distance * distance
    for s in range(0, len(segs), _PAIRS):
        g, c = segs[s : s + _PAIRS], centres[s : s + _PAIRS]
        ax, ay = g[:, 0], g[:, 1]
        ux, uy = g[:, 2] - ax, g[:, 3] - ay
        length2 = ux * ux + uy * uy
        inv = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
        px = (c[:, 0] - ax)[:, None] + off[None, :, 0]
        py = (c[:, 1] - ay)[:, None] + off[None, :, 1]
        t = np.clip((px * ux[:, None] + py * uy[:, None]) * inv[:, None], 0.0, 1.0)
        dx = px - t * ux[:, None]
        dy = py - t * uy[:, None]
        out[s : s + _PAIRS] = _bits(dx * dx + dy * dy <= d2)
    return out


def popcount(bits: np.ndarray) -> np.ndarray:
    """Count the set bits of each ``uint16`` (the eligible sub-points of a cell), as uint8.

    Examples
    --------
    >>> popcount(np.array([0, 1, 0xFFFF, 0b1011], dtype=np.uint16)).tolist()
    [0, 1, 16, 3]
    """
    bits = np.asarray(bits, dtype=np.uint16)
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.bitwise_count(bits).astype(np.uint8, copy=False)
    out = np.zeros(bits.shape, dtype=np.uint8)
    for k in range(FULL):
        out += ((bits >> k) & 1).astype(np.uint8)
    return out
