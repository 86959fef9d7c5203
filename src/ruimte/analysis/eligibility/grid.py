# SPDX-License-Identifier: Apache-2.0
"""The analysis grid: square cells aligned to multiples of the resolution."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from affine import Affine

__all__ = ["Grid", "Window"]

#: (row_start, row_stop, col_start, col_stop), half-open
Window = tuple[int, int, int, int]


@dataclass(frozen=True)
class Grid:
    """A north-up grid of square cells.

    Attributes
    ----------
    left, top : float
        Coordinates of the north-west corner.
    resolution : float
        Cell size in metres.
    rows, cols : int
        Grid shape.

    Examples
    --------
    >>> g = Grid.covering((0.0, 0.0, 100.0, 60.0), 25.0)
    >>> g.shape, g.left, g.top
    ((3, 4), 0.0, 75.0)
    """

    left: float
    top: float
    resolution: float
    rows: int
    cols: int

    @classmethod
    def covering(cls, bounds: tuple[float, float, float, float], resolution: float) -> Grid:
        """Return the smallest grid aligned to multiples of ``resolution`` covering ``bounds``."""
        xmin, ymin, xmax, ymax = bounds
        left = math.floor(xmin / resolution) * resolution
        bottom = math.floor(ymin / resolution) * resolution
        right = math.ceil(xmax / resolution) * resolution
        top = math.ceil(ymax / resolution) * resolution
        cols = max(1, round((right - left) / resolution))
        rows = max(1, round((top - bottom) / resolution))
        return cls(left, top, resolution, rows, cols)

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        return (self.rows, self.cols)

    @property
    def transform(self) -> Affine:
        """Pixel to map coordinates."""
        from affine import Affine  # here: affine (with attrs) costs ~20 ms to import

        return Affine(self.resolution, 0.0, self.left, 0.0, -self.resolution, self.top)

    @property
    def cell_area_m2(self) -> float:
        """Area of one cell."""
        return self.resolution * self.resolution

    def window_transform(self, window: Window) -> Affine:
        """Transform of a window's top-left cell."""
        r0, _, c0, _ = window
        from affine import Affine

        return self.transform * Affine.translation(c0, r0)

    def window_bounds(self, window: Window) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of a window (cells may lie outside the grid)."""
        r0, r1, c0, c1 = window
        res = self.resolution
        return (
            self.left + c0 * res,
            self.top - r1 * res,
            self.left + c1 * res,
            self.top - r0 * res,
        )

    def centres(self, window: Window) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre x (per column) and y (per row) coordinates of a window."""
        r0, r1, c0, c1 = window
        res = self.resolution
        xs = self.left + (np.arange(c0, c1) + 0.5) * res
        ys = self.top - (np.arange(r0, r1) + 0.5) * res
        return xs, ys

    def expand(self, window: Window, cells: int) -> Window:
        """Return a window grown by ``cells`` on every side (not clipped to the grid)."""
        r0, r1, c0, c1 = window
        return (r0 - cells, r1 + cells, c0 - cells, c1 + cells)

    def chunks(self, size: int) -> Iterator[Window]:
        """Windows of at most ``size`` × ``size`` cells, row-major."""
        for r0 in range(0, self.rows, size):
            for c0 in range(0, self.cols, size):
                yield (r0, min(r0 + size, self.rows), c0, min(c0 + size, self.cols))
