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

from ruimte.analysis.eligibility.features import POLYGON_IDS, Features
from ruimte.analysis.eligibility.grid import Grid, Window
from ruimte.analysis.eligibility.marks import (
    SEGMENT_CELLS,
    Nearby,
    dilate,
    mark_features,
    near_marks,
)

__all__ = [
    "halo_cells",
    "centres_within",
    "centres_inside",
    "features_within",
    "polygons_inside",
]


def halo_cells(buffer_m: float, resolution: float) -> int:
    """Cells a window must grow by so that features up to ``buffer_m`` away are seen."""
    return int(math.ceil((buffer_m + resolution) / resolution)) + 1


def _centres(grid: Grid, window: Window, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    xs, ys = grid.centres(window)
    return np.column_stack([xs[cols], ys[rows]])


def _inside_exact(polygons: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Centres in (or on) one of the polygons, by GEOS against an STRtree of the centres."""
    hit = np.zeros(len(centres), dtype=bool)
    if len(centres) and len(polygons):
        tree = shapely.STRtree(shapely.points(centres))
        hit[tree.query(polygons, predicate="intersects")[1]] = True
    return hit


def _near_points(points: np.ndarray, centres: np.ndarray, distance: float) -> np.ndarray:
    """Centres within ``distance`` of one of the points (nearest neighbour on a k-d tree)."""
    if len(points) == 0 or len(centres) == 0:
        return np.zeros(len(centres), dtype=bool)
    dist, _ = cKDTree(points).query(centres, distance_upper_bound=distance * (1 + 1e-9) + 1e-9)
    return dist <= distance


def _near_segments(
    segs: np.ndarray, centres: np.ndarray, distance: float, nearby: Nearby | None = None
) -> np.ndarray:
    """Centres within ``distance`` of one of the segments, by point-segment distance.

    The segments are cut into pieces of at most ``distance / 2``; a k-d tree of
    piece midpoints finds every segment that can be that close (the midpoint of
    one of its pieces lies within ``1.25 distance``) and the exact distance to
    the whole segment decides. A centre inside a polygon wider than
    ``2 (b - h)`` is caught by the inside test before it gets here; inside a
    narrower polygon its distance to the boundary is below ``b`` anyway.
    ``nearby`` (of the centres) drops the pieces too far from every centre.
    """
    hit = np.zeros(len(centres), dtype=bool)
    if len(segs) == 0 or len(centres) == 0:
        return hit
    a, step = segs[:, :2], segs[:, 2:] - segs[:, :2]
    length = np.hypot(step[:, 0], step[:, 1])
    pieces = np.maximum(np.ceil(length / (distance / 2)), 1).astype(np.int64)
    parent = np.repeat(np.arange(len(segs)), pieces)
    first = np.cumsum(pieces) - pieces
    mid = (np.arange(len(parent)) - first[parent] + 0.5) / pieces[parent]
    reach = distance + float(np.max(length / pieces)) / 2 + 1e-6
    mids = a[parent] + step[parent] * mid[:, None]
    if nearby is not None:
        keep = nearby(mids, reach)
        mids, parent = mids[keep], parent[keep]
    if len(parent) == 0:
        return hit
    tree = cKDTree(mids)
    length2 = np.where(length > 0, length * length, 1.0)
    todo = np.arange(len(centres))
    k = 8
    while todo.size:
        # the k nearest midpoints within reach; a centre with all k slots
        # filled may have more candidates and is asked again with 4k
        _, j = tree.query(centres[todo], k=k, distance_upper_bound=reach)
        full = j[:, -1] < len(parent)
        rows, slots = np.nonzero(j < len(parent))
        i, seg = todo[rows], parent[j[rows, slots]]
        rel = centres[i] - a[seg]
        t = np.clip(np.einsum("ij,ij->i", rel, step[seg]) / length2[seg], 0, 1)
        gap = rel - t[:, None] * step[seg]
        hit[i[np.einsum("ij,ij->i", gap, gap) <= distance * distance]] = True
        todo = todo[full & ~hit[todo]]
        k *= 4
    return hit


def polygons_inside(
    polygons: np.ndarray,
    rings: np.ndarray,
    grid: Grid,
    window: Window,
    todo: np.ndarray | None = None,
) -> np.ndarray:
    """Cells of ``window`` whose centre lies in (or on) one of the polygons.

    Parameters
    ----------
    polygons : numpy.ndarray of shapely Polygons
    rings : numpy.ndarray
        ``(k, 4)`` segments of at least the polygons' rings (as
        :attr:`Features.rings`; more segments cost time, not exactness).
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
    if len(polygons) == 0:
        return np.zeros(shape, dtype=bool)
    xs, ys = grid.centres(window)
    if shapely.covers(polygons, shapely.box(xs[0], ys[-1], xs[-1], ys[0])).any():
        return np.ones(shape, dtype=bool)  # e.g. a chunk well inside the analysis area
    near = dilate(mark_features(np.empty((0, 2)), rings, grid, window))
    inside = np.zeros(shape, dtype=bool)
    rows, cols = np.nonzero(near if todo is None else near & todo)
    inside[rows, cols] = _inside_exact(polygons, _centres(grid, window, rows, cols))
    labels, count = ndimage.label(~near)
    if count:
        flat = labels.ravel()
        where = np.flatnonzero(flat)[::-1]
        first = np.empty(count + 1, dtype=np.int64)
        first[flat[where]] = where  # written last to first: each label keeps its first cell
        rep_rows, rep_cols = np.divmod(first[1:], shape[1])
        verdict = np.zeros(count + 1, dtype=bool)
        verdict[1:] = _inside_exact(polygons, _centres(grid, window, rep_rows, rep_cols))
        inside |= verdict[labels]
    return inside


def features_within(
    features: Features,
    buffer_m: float,
    grid: Grid,
    window: Window,
    todo: np.ndarray | None = None,
) -> np.ndarray:
    """Cells of ``window`` whose centre lies within ``buffer_m`` of any feature.

    ``features`` must hold every feature that could be that close (see
    :meth:`Features.within`). With ``buffer_m == 0`` only polygons count
    (lines and points cover no area). Parameters and result as
    :func:`centres_within`.
    """
    r0, r1, c0, c1 = window
    if buffer_m <= 0:
        return polygons_inside(features.polygons, features.rings, grid, window, todo)
    res = grid.resolution
    halo = halo_cells(buffer_m, res)
    segs = np.concatenate([features.lines, features.rings])
    marks = mark_features(features.points, segs, grid, grid.expand(window, halo))
    h = res / math.sqrt(2.0)
    eps = 1e-6 * max(1.0, buffer_m)
    inner = (buffer_m - h - eps) / res
    # the vertices of densified segments lie up to s/2 from the nearest line point
    slack = res * SEGMENT_CELLS / 2 if len(segs) else 0.0
    outer = (buffer_m + h + slack + eps) / res
    if marks.any():
        sure, near = near_marks(marks, halo, inner, outer)
    else:  # nothing near, unless the window lies inside a polygon whose boundary is far
        sure, near = np.zeros((2, r1 - r0, c1 - c0), dtype=bool)
    # A centre inside a polygon but farther than that from its boundary needs a
    # polygon at least 2 (b - h) across; only such polygons get the inside test.
    polys = features.polygons
    if len(polys):
        xmin, ymin, xmax, ymax = shapely.bounds(polys).T
        wide = np.minimum(xmax - xmin, ymax - ymin) >= 2 * (buffer_m - h - eps)
        if wide.any():
            pending = None if todo is None else todo & ~sure
            sure |= polygons_inside(polys[wide], features.rings, grid, window, pending)
    band = near & ~sure
    if todo is not None:
        band &= todo
    rows, cols = np.nonzero(band)
    centres = _centres(grid, window, rows, cols)
    nearby = Nearby(grid, window, rows, cols)
    points = features.points[nearby(features.points, buffer_m)]
    hit = _near_points(points, centres, buffer_m)
    rest = ~hit
    hit[rest] = _near_segments(segs, centres[rest], buffer_m, nearby)
    sure[rows, cols] = hit
    return sure


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
    geoms = np.asarray(geoms, dtype=object)
    polys = geoms[np.isin(shapely.get_type_id(geoms), POLYGON_IDS)] if len(geoms) else geoms
    features = Features.of(polys)
    return polygons_inside(features.polygons, features.rings, grid, window, todo)


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
    return features_within(Features.of(geoms), buffer_m, grid, window, todo)
