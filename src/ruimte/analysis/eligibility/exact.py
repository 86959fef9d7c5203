# SPDX-License-Identifier: Apache-2.0
"""Exact per-cell-centre tests: inside polygons, within a distance of features.

A cell's fate is decided by its centre, with the exact answer for that point,
but only the few cells near a buffer edge or polygon boundary are computed
exactly.

*Marks.* The features (polygons by their boundary) are densified to vertices
at most ``s = r/2`` apart and every cell holding a vertex is marked
(:mod:`.marks`). Let ``d`` be the distance from a centre to the nearest marked
centre. Each mark lies within ``h = r/√2`` of a vertex on a feature, and the
feature point nearest to a centre lies within ``s/2`` of a vertex, so the true
distance lies in ``[d - h - s/2, d + h]``: centres with ``d < b - h`` are
certainly within the buffer ``b``, those with ``d > b + h + s/2`` certainly
outside (:func:`~ruimte.analysis.eligibility.marks.near_marks` finds both sets
without computing ``d`` itself), and only the band in between is computed
exactly: point-to-point and point-to-segment distances, candidates found on
k-d trees.

*Inside.* A polygon boundary crossing the segment between two edge-adjacent
centres passes within ``r/2 + s/2 + h < 1.5 r`` of a marked centre, so it
never separates two cells outside the 3 × 3 dilation of the marks. Each
4-connected piece of the remaining cells is therefore wholly inside or wholly
outside: one GEOS test per piece decides it, and the dilated cells are tested
one by one.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from scipy import ndimage
from scipy.spatial import cKDTree

from ruimte.analysis.eligibility.grid import Grid, Window
from ruimte.analysis.eligibility.marks import POLYGON_IDS, SEGMENT_CELLS, mark_cells, near_marks

__all__ = ["halo_cells", "centres_within", "centres_inside"]


def halo_cells(buffer_m: float, resolution: float) -> int:
    """Cells a window must grow by so that features up to ``buffer_m`` away are seen."""
    return int(math.ceil((buffer_m + resolution) / resolution)) + 1


def _dilate(marks: np.ndarray) -> np.ndarray:
    """3 × 3 dilation by shifted ORs (faster than ``binary_dilation`` here)."""
    rows = marks.copy()
    rows[1:] |= marks[:-1]
    rows[:-1] |= marks[1:]
    out = rows.copy()
    out[:, 1:] |= rows[:, :-1]
    out[:, :-1] |= rows[:, 1:]
    return out


def _exact(
    geoms: np.ndarray,
    grid: Grid,
    window: Window,
    rows: np.ndarray,
    cols: np.ndarray,
    distance: float,
) -> np.ndarray:
    """Exact test of the given cells against ``geoms``; returns a bool per cell.

    ``distance == 0``: inside (or on) a polygon, by GEOS with the polygons
    prepared against an STRtree of the centres. Otherwise points go to a k-d
    tree (nearest neighbour within the distance) and lines and polygon
    boundaries to :func:`_near_segments`.
    """
    hit = np.zeros(rows.size, dtype=bool)
    if rows.size == 0 or len(geoms) == 0:
        return hit
    xs, ys = grid.centres(window)
    centres = np.column_stack([xs[cols], ys[rows]])
    if distance <= 0:
        tree = shapely.STRtree(shapely.points(centres))
        hit[tree.query(geoms, predicate="intersects")[1]] = True
        return hit
    types = shapely.get_type_id(geoms)
    pointlike = np.isin(types, (0, 4))
    if pointlike.any():
        tree = cKDTree(shapely.get_coordinates(geoms[pointlike]))
        dist, _ = tree.query(centres, distance_upper_bound=distance * (1 + 1e-9) + 1e-9)
        hit |= dist <= distance
    linear = ~pointlike & (types != 7)
    if linear.any():
        hit |= _near_segments(geoms[linear], centres, distance)
    if (types == 7).any():  # geometry collections: let GEOS decide
        tree = shapely.STRtree(geoms[types == 7])
        hit[tree.query(shapely.points(centres), predicate="dwithin", distance=distance)[0]] = True
    return hit


def _near_segments(geoms: np.ndarray, centres: np.ndarray, distance: float) -> np.ndarray:
    """Centres within ``distance`` of a line or polygon boundary, by point-segment distance.

    The lines are cut into segments of at most ``distance / 2``; a k-d tree of
    segment midpoints finds every segment that can be that close (its midpoint
    lies within ``1.25 distance``) and the exact point-to-segment distance
    decides. A centre inside a polygon wider than ``2 (b - h)`` is caught by
    :func:`centres_inside` before it gets here; inside a narrower polygon its
    distance to the boundary is below ``b`` anyway.
    """
    polygonal = np.isin(shapely.get_type_id(geoms), POLYGON_IDS)
    lines = np.concatenate([shapely.boundary(geoms[polygonal]), geoms[~polygonal]])
    parts = shapely.get_parts(shapely.segmentize(lines, distance / 2))
    coords, index = shapely.get_coordinates(parts, return_index=True)
    same = index[1:] == index[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    hit = np.zeros(len(centres), dtype=bool)
    if len(a) == 0:
        return hit
    reach = distance + float(np.max(np.hypot(*(b - a).T))) / 2 + 1e-6
    tree = cKDTree((a + b) / 2)
    todo = np.arange(len(centres))
    k = 8
    while todo.size:
        # the k nearest midpoints within reach; a centre with all k slots
        # filled may have more candidates and is asked again with 4k
        _, j = tree.query(centres[todo], k=k, distance_upper_bound=reach)
        full = j[:, -1] < len(a)
        rows, slots = np.nonzero(j < len(a))
        i, jj = todo[rows], j[rows, slots]
        seg = b[jj] - a[jj]
        rel = centres[i] - a[jj]
        length2 = np.einsum("ij,ij->i", seg, seg)
        t = np.clip(np.einsum("ij,ij->i", rel, seg) / np.where(length2 > 0, length2, 1.0), 0, 1)
        gap = rel - t[:, None] * seg
        hit[i[np.einsum("ij,ij->i", gap, gap) <= distance * distance]] = True
        todo = todo[full & ~hit[todo]]
        k *= 4
    return hit


def centres_inside(
    geoms: np.ndarray, grid: Grid, window: Window, todo: np.ndarray | None = None
) -> np.ndarray:
    """Cells of ``window`` whose centre lies in (or on) one of the polygons in ``geoms``.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        Other geometry types than polygons are ignored.
    grid : Grid
    window : Window
    todo : numpy.ndarray of bool, optional
        Only these cells need a decision; others may come back either way.

    Returns
    -------
    numpy.ndarray of bool
        Shape of the window.
    """
    r0, r1, c0, c1 = window
    shape = (r1 - r0, c1 - c0)
    polys = geoms[np.isin(shapely.get_type_id(geoms), POLYGON_IDS)] if len(geoms) else geoms
    if len(polys) == 0:
        return np.zeros(shape, dtype=bool)
    near = _dilate(mark_cells(polys, grid, window))
    inside = np.zeros(shape, dtype=bool)
    rows, cols = np.nonzero(near if todo is None else near & todo)
    inside[rows, cols] = _exact(polys, grid, window, rows, cols, 0.0)
    labels, count = ndimage.label(~near)
    if count:
        flat = labels.ravel()
        where = np.flatnonzero(flat)[::-1]
        first = np.empty(count + 1, dtype=np.int64)
        first[flat[where]] = where  # written last to first: each label keeps its first cell
        rep_rows, rep_cols = np.divmod(first[1:], shape[1])
        verdict = np.zeros(count + 1, dtype=bool)
        verdict[1:] = _exact(polys, grid, window, rep_rows, rep_cols, 0.0)
        inside |= verdict[labels]
    return inside


def centres_within(
    geoms: np.ndarray,
    buffer_m: float,
    grid: Grid,
    window: Window,
    todo: np.ndarray | None = None,
) -> np.ndarray:
    """Cells of ``window`` whose centre lies within ``buffer_m`` of any geometry.

    ``geoms`` must hold every feature that could be that close (the caller
    queries an STRtree with the window grown by ``buffer_m``). With
    ``buffer_m == 0`` only polygons count (lines and points cover no area).

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
    buffer_m : float
        Euclidean distance in CRS units (metres).
    grid : Grid
    window : Window
        The cells to decide.
    todo : numpy.ndarray of bool, optional
        Only these cells need a decision; others may come back either way.

    Returns
    -------
    numpy.ndarray of bool
        Shape of the window; True where the centre is within the distance.

    Examples
    --------
    >>> g = Grid(0.0, 100.0, 10.0, 10, 10)
    >>> m = centres_within(np.array([shapely.Point(50, 50)]), 20.0, g, (0, 10, 0, 10))
    >>> int(m.sum())  # centres at (45|55, 45|55) ± 10: 12 within 20 m
    12
    """
    r0, r1, c0, c1 = window
    if len(geoms) == 0:
        return np.zeros((r1 - r0, c1 - c0), dtype=bool)
    if buffer_m <= 0:
        return centres_inside(geoms, grid, window, todo)
    res = grid.resolution
    halo = halo_cells(buffer_m, res)
    marks = mark_cells(geoms, grid, grid.expand(window, halo))
    if not marks.any():
        return np.zeros((r1 - r0, c1 - c0), dtype=bool)
    h = res / math.sqrt(2.0)
    eps = 1e-6 * max(1.0, buffer_m)
    inner = (buffer_m - h - eps) / res
    outer = (buffer_m + h + res * SEGMENT_CELLS / 2 + eps) / res
    sure, near = near_marks(marks, halo, inner, outer)
    # A centre inside a polygon but farther than that from its boundary needs a
    # polygon at least 2 (b - h) across; only such polygons get the inside test.
    polys = geoms[np.isin(shapely.get_type_id(geoms), POLYGON_IDS)]
    xmin, ymin, xmax, ymax = shapely.bounds(polys).reshape(-1, 4).T
    wide = np.minimum(xmax - xmin, ymax - ymin) >= 2 * (buffer_m - h - eps)
    if wide.any():
        sure |= centres_inside(polys[wide], grid, window, None if todo is None else todo & ~sure)
    band = near & ~sure
    if todo is not None:
        band &= todo
    rows, cols = np.nonzero(band)
    sure[rows, cols] = _exact(geoms, grid, window, rows, cols, buffer_m)
    return sure
