# SPDX-License-Identifier: Apache-2.0
"""Candidate land: grid cells split by existing land use, with distances to each use.

A coarse grid (e.g. 250 m) is laid over a fine land-use raster (e.g. the 25 m
LGN-like grid). Each coarse cell becomes one *unit* per land-use class in it,
with that class's area, so a unit has exactly one existing use and the
compatibility matrix decides per unit whether a new function may share the
land, must replace it, or cannot go there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from affine import Affine
from scipy import ndimage

from ruimte.analysis.allocation.problem import AllocationInputError


@dataclass(frozen=True)
class Candidates:
    """Land units on a coarse grid.

    Attributes
    ----------
    transform : affine.Affine
        Transform of the coarse grid.
    shape : tuple of int
        ``(rows, cols)`` of the coarse grid.
    cell_x, cell_y : numpy.ndarray
        Centre of every coarse cell, row-major, shape ``(rows * cols,)``.
    unit_cell : numpy.ndarray
        Coarse cell of each unit.
    unit_existing : numpy.ndarray
        Existing function of each unit (object array of str).
    area_ha : numpy.ndarray
        Area of each unit.
    """

    transform: Affine
    shape: tuple[int, int]
    cell_x: np.ndarray
    cell_y: np.ndarray
    unit_cell: np.ndarray
    unit_existing: np.ndarray
    area_ha: np.ndarray

    @property
    def n_cells(self) -> int:
        """Number of coarse cells."""
        return self.shape[0] * self.shape[1]


def _factor(transform: Affine, cell_m: float) -> tuple[float, int]:
    res = abs(transform.a)
    if abs(abs(transform.e) - res) > 1e-9:
        raise AllocationInputError("the land-use raster must have square pixels.")
    factor = int(round(cell_m / res))
    if factor < 1 or abs(factor * res - cell_m) > 1e-6:
        raise AllocationInputError(
            f"cell size {cell_m:g} m is not a whole multiple of the land-use raster's "
            f"{res:g} m pixels. Choose e.g. {res * max(1, round(cell_m / res)):g} m."
        )
    return res, factor


def grid_candidates(
    landuse: np.ndarray, transform: Affine, classes: Mapping[int, str], cell_m: float
) -> Candidates:
    """Aggregate a land-use raster to coarse cells, one unit per (cell, land-use class).

    Parameters
    ----------
    landuse : numpy.ndarray
        Integer class codes; codes not in ``classes`` (e.g. 0 for nodata) are not candidate land.
    transform : affine.Affine
        North-up transform of ``landuse``.
    classes : mapping of int to str
        Class code -> function id.
    cell_m : float
        Coarse cell size, a whole multiple of the raster's pixel size.

    Returns
    -------
    Candidates

    Examples
    --------
    >>> from affine import Affine
    >>> lu = np.array([[1, 1, 2, 2], [1, 2, 2, 2]])
    >>> classes = {1: "dairy_farming", 2: "housing"}
    >>> c = grid_candidates(lu, Affine(25, 0, 0, 0, -25, 50), classes, 50)
    >>> c.shape, list(c.unit_existing), c.area_ha.tolist()
    ((1, 2), ['dairy_farming', 'housing', 'housing'], [0.1875, 0.0625, 0.25])
    """
    res, factor = _factor(transform, cell_m)
    rows, cols = landuse.shape[0] // factor, landuse.shape[1] // factor
    if rows == 0 or cols == 0:
        raise AllocationInputError(f"cell size {cell_m:g} m is larger than the land-use raster.")
    codes = sorted(classes)
    lookup = np.full(int(max(codes, default=0)) + 1, -1, dtype=np.int64)
    lookup[codes] = np.arange(len(codes))
    crop = landuse[: rows * factor, : cols * factor].astype(np.int64)
    cls = np.where(
        (crop >= 0) & (crop < len(lookup)), lookup[np.clip(crop, 0, len(lookup) - 1)], -1
    )
    cell = (np.arange(rows * factor) // factor)[:, None] * cols + (
        np.arange(cols * factor) // factor
    )[None, :]
    ok = cls >= 0
    counts = np.bincount(
        cell[ok] * len(codes) + cls[ok], minlength=rows * cols * len(codes)
    ).reshape(rows * cols, len(codes))
    unit_cell, unit_cls = np.nonzero(counts)
    pixel_ha = res * res / 10_000.0
    coarse = transform @ Affine.scale(factor)
    cc, rr = np.meshgrid(np.arange(cols) + 0.5, np.arange(rows) + 0.5)
    xs = coarse.c + coarse.a * cc.ravel()
    ys = coarse.f + coarse.e * rr.ravel()
    names = np.asarray([classes[c] for c in codes], dtype=object)
    return Candidates(
        transform=coarse,
        shape=(rows, cols),
        cell_x=np.asarray(xs),
        cell_y=np.asarray(ys),
        unit_cell=unit_cell,
        unit_existing=names[unit_cls],
        area_ha=counts[unit_cell, unit_cls] * pixel_ha,
    )


def distances_to_classes(
    landuse: np.ndarray,
    transform: Affine,
    classes: Mapping[int, str],
    candidates: Candidates,
    only: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """Return, per existing function, the distance (m) from each coarse cell centre to it.

    Computed with a Euclidean distance transform on the fine raster and read at
    the cell centres; a function absent from the raster gets ``inf``. ``only``
    limits the work to the functions named.
    """
    res = abs(transform.a)
    col = np.floor((candidates.cell_x - transform.c) / transform.a).astype(int)
    row = np.floor((candidates.cell_y - transform.f) / transform.e).astype(int)
    row = np.clip(row, 0, landuse.shape[0] - 1)
    col = np.clip(col, 0, landuse.shape[1] - 1)
    by_function: dict[str, list[int]] = {}
    wanted = None if only is None else set(only)
    for code, fn in classes.items():
        if wanted is not None and fn not in wanted:
            continue
        by_function.setdefault(fn, []).append(code)
    out: dict[str, np.ndarray] = {}
    for fn, codes in by_function.items():
        present = np.isin(landuse, codes)
        if not present.any():
            out[fn] = np.full(candidates.n_cells, np.inf)
            continue
        dist = ndimage.distance_transform_edt(~present, sampling=res)
        out[fn] = np.asarray(dist)[row, col]
    return out
