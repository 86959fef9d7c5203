# SPDX-License-Identifier: Apache-2.0
"""Points in square blocks: which of them lie in a box, with NumPy only.

The exact band tests of :mod:`.exact` ask, for every feature, which band
centres lie within its bounding box grown by the buffer. An STRtree of the
centres answers that too, but building shapely points and a tree for tens of
thousands of centres per window costs more than the whole distance test;
blocks sorted once answer with a few ``np.repeat``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Buckets"]


class Buckets:
    """Points sorted into square blocks of ``block`` metres.

    Parameters
    ----------
    xy : numpy.ndarray
        ``(n, 2)`` coordinates.
    block : float
        Block edge; boxes about twice as wide cost the fewest candidates.

    Examples
    --------
    >>> b = Buckets(np.array([[0.0, 0.0], [5.0, 5.0], [50.0, 50.0]]), 10.0)
    >>> box, point = b.candidates(np.array([[-1.0, -1.0]]), np.array([[6.0, 6.0]]))
    >>> sorted(point.tolist())
    [0, 1]
    """

    def __init__(self, xy: np.ndarray, block: float) -> None:
        self.block = float(block)
        self.n = len(xy)
        if self.n == 0:
            return
        self.origin = xy.min(axis=0)
        cells = np.floor((xy - self.origin) / self.block).astype(np.int64)
        self.nx, self.ny = (int(v) + 1 for v in cells.max(axis=0))
        key = cells[:, 1] * self.nx + cells[:, 0]
        self.order = np.argsort(key, kind="stable")
        self.counts = np.bincount(key, minlength=self.nx * self.ny)
        self.start = np.concatenate([[0], np.cumsum(self.counts)[:-1]])

    def candidates(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs ``(box, point)`` of the points in the blocks that boxes ``lo .. hi`` meet.

        Every point inside a box is among them (and some outside: filter by
        distance). Cost grows with the pairs returned.

        Parameters
        ----------
        lo, hi : numpy.ndarray
            ``(m, 2)`` lower-left and upper-right corners.

        Returns
        -------
        box, point : numpy.ndarray of int64
        """
        empty = np.empty(0, dtype=np.int64)
        if self.n == 0 or len(lo) == 0:
            return empty, empty
        top = np.array([self.nx - 1, self.ny - 1])
        first = np.floor((lo - self.origin) / self.block).astype(np.int64)
        last = np.floor((hi - self.origin) / self.block).astype(np.int64)
        meets = ((last >= 0) & (first <= top)).all(axis=1)
        first, last = np.clip(first, 0, top), np.clip(last, 0, top)
        span = np.where(meets[:, None], last - first + 1, 0)
        blocks = span[:, 0] * span[:, 1]
        box = np.repeat(np.arange(len(lo)), blocks)
        k = np.arange(len(box)) - np.repeat(np.cumsum(blocks) - blocks, blocks)
        key = (first[box, 1] + k // span[box, 0]) * self.nx + first[box, 0] + k % span[box, 0]
        counts = self.counts[key]
        box = np.repeat(box, counts)
        offset = np.arange(len(box)) - np.repeat(np.cumsum(counts) - counts, counts)
        return box, self.order[np.repeat(self.start[key], counts) + offset]
