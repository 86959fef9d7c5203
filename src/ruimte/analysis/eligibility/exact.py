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
exactly: point-to-point and point-to-segment distances by GEOS (``dwithin``
against an STRtree of the band's centres).

*Inside.* A polygon boundary crossing the segment between two edge-adjacent
centres passes within ``r/2 + s/2 + h < 1.5 r`` of a marked centre, so it
never separates two cells outside the 3 × 3 dilation of the marks. Each
4-connected piece of the remaining cells is therefore wholly inside or wholly
outside; so is each run of such cells along a row (a run is 4-connected), and
one GEOS test per run decides it. The dilated cells are tested one by one.
Only numpy and shapely are needed (no scipy: importing it would cost more than
computing a 20 km case).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely

from ruimte.analysis.eligibility.buckets import Buckets
from ruimte.analysis.eligibility.features import POLYGON_IDS, Features
from ruimte.analysis.eligibility.grid import Grid, Window
from ruimte.analysis.eligibility.marks import (
    SEGMENT_CELLS,
    Nearby,
    dilate,
    mark_features,
    near_marks,
)
from ruimte.analysis.eligibility.subcells import (
    ALL,
    REACH,
    full_or_none,
    segment_bits,
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


#: up to this many polygons, :func:`_inside_exact` asks each polygon for its centres
_FEW_POLYGONS = 256
_PREPARE_LOCK = threading.Lock()


def _inside_exact(polygons: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Centres in (or on) one of the polygons, by GEOS.

    A few polygons (at most ``_FEW_POLYGONS``, e.g. nature areas or the
    analysis area near a chunk) are each prepared and asked with
    ``intersects_xy`` for the centres in their bounding box (found by
    bisection on the centres sorted by x): no point geometries are built.
    More polygons query an STRtree of the centres.
    """
    hit = np.zeros(len(centres), dtype=bool)
    if len(centres) == 0 or len(polygons) == 0:
        return hit
    if len(polygons) > _FEW_POLYGONS:
        tree = shapely.STRtree(shapely.points(centres))
        hit[tree.query(polygons, predicate="intersects")[1]] = True
        return hit
    order = np.argsort(centres[:, 0], kind="stable")
    xs, ys = centres[order, 0], centres[order, 1]
    for polygon, (xmin, ymin, xmax, ymax) in zip(polygons, shapely.bounds(polygons), strict=True):
        lo, hi = np.searchsorted(xs, xmin, side="left"), np.searchsorted(xs, xmax, side="right")
        inbox = np.flatnonzero((ys[lo:hi] >= ymin) & (ys[lo:hi] <= ymax)) + lo
        if len(inbox):
            if not shapely.is_prepared(polygon):
                with _PREPARE_LOCK:  # windows on other threads may share this polygon
                    shapely.prepare(polygon)
            hit[order[inbox[shapely.intersects_xy(polygon, xs[inbox], ys[inbox])]]] = True
    return hit


#: at most this many (centre, geometry) pairs are held at once by :func:`_near`
_MAX_PAIRS = 4_000_000


def _squared_distances(segs: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Return the squared distance from each point ``xy[k]`` to segment ``segs[k]``.

    A segment with equal ends is a point.
    """
    ax, ay = segs[:, 0], segs[:, 1]
    ux, uy = segs[:, 2] - ax, segs[:, 3] - ay
    px, py = xy[:, 0] - ax, xy[:, 1] - ay
    length2 = ux * ux + uy * uy
    t = np.clip(
        np.divide(px * ux + py * uy, length2, out=np.zeros_like(length2), where=length2 > 0),
        0.0,
        1.0,
    )
    dx, dy = px - t * ux, py - t * uy
    return dx * dx + dy * dy


def _near(
    segs: np.ndarray,
    centres: np.ndarray,
    distance: float,
    resolution: float,
    sub: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    tree: Buckets | None = None,
) -> Any:
    """Centres (on a grid of ``resolution``) within ``distance`` of one of the segments.

    ``segs`` is ``(n, 4)``: ``x0, y0, x1, y1`` (a point is a segment with
    equal ends). The centres, sorted into blocks (:class:`.buckets.Buckets`),
    give the candidates in each segment's bounding box grown by ``distance``,
    and those are measured with NumPy; a candidate within a relative 1e-9 of
    ``distance`` is decided by GEOS ``dwithin``, so the answer is GEOS's
    exact one. Measured on the 20 km benchmark case's roads, an STRtree's
    ``dwithin`` query (a GEOS distance per candidate) is 5× slower, and
    building shapely points and a tree of the centres alone costs more than
    the blocks and the distances. Time and memory grow with the candidates;
    they are taken in slices of at most ``_MAX_PAIRS``, bounded by the grid
    cells in each grown box.

    With ``sub`` (called with the segment and centre indices of pairs, it
    returns their sub-point bits, :mod:`.subcells`) the boxes grow by the
    farthest sub-point too and the bits of every centre are returned as
    well: ``(hit, bits)``. ``tree``: the centres' blocks, already built.
    """
    hit = np.zeros(len(centres), dtype=bool)
    bits = np.zeros(len(centres), dtype=np.uint16) if sub is not None else None
    if len(segs) == 0 or len(centres) == 0:
        return hit if bits is None else (hit, bits)
    ask = distance if sub is None else distance + REACH * resolution * (1 + 1e-9)
    if tree is None:
        tree = Buckets(centres, max(ask / 2, resolution))
    lo = np.minimum(segs[:, :2], segs[:, 2:]) - ask
    hi = np.maximum(segs[:, :2], segs[:, 2:]) + ask
    cells = np.prod((hi - lo + tree.block) / resolution + 1, axis=1)
    cut = np.searchsorted(np.cumsum(cells), np.arange(_MAX_PAIRS, cells.sum(), _MAX_PAIRS))
    # slice ends, increasing (a plain loop: np.unique would import numpy.ma, ~9 ms)
    edges = [0]
    for end in np.clip(cut, 1, len(segs)).tolist() + [len(segs)]:
        if end > edges[-1]:
            edges.append(end)
    d2, tie = distance * distance, 1e-9 * max(distance * distance, 1.0)
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        which, centre = tree.candidates(lo[start:stop], hi[start:stop])
        which += start
        squared = _squared_distances(segs[which], centres[centre])
        close = squared <= d2
        unsure = np.flatnonzero(np.abs(squared - d2) <= tie)
        if len(unsure):
            g = segs[which[unsure]]
            close[unsure] = shapely.dwithin(
                shapely.linestrings(g.reshape(-1, 2, 2)),
                shapely.points(centres[centre[unsure]]),
                distance,
            )
        hit[centre[close]] = True
        if sub is not None:
            # a centre closer than distance - REACH has every sub-point within distance
            deep = distance - (ask - distance)
            whole = squared < deep * deep if deep > 0 else np.zeros(len(squared), dtype=bool)
            bits[centre[whole]] = ALL
            pairs = (squared <= ask * ask) & ~whole
            np.bitwise_or.at(bits, centre[pairs], sub(which[pairs], centre[pairs]))
    return hit if bits is None else (hit, bits)


def _near_points(
    points: np.ndarray,
    centres: np.ndarray,
    distance: float,
    resolution: float,
    sub: bool = False,
    tree: Buckets | None = None,
) -> Any:
    """Centres within ``distance`` of one of the points (segments with equal ends).

    See :func:`_near_segments`.
    """
    segs = np.hstack([points, points]) if len(points) else np.empty((0, 4))
    return _near_segments(segs, centres, distance, resolution, sub, tree)


def _near_segments(
    segs: np.ndarray,
    centres: np.ndarray,
    distance: float,
    resolution: float,
    sub: bool = False,
    tree: Buckets | None = None,
) -> Any:
    """Centres within ``distance`` of one of the segments (exact point-segment distance).

    A centre inside a polygon wider than ``2 (b - h)`` is caught by the inside
    test before it gets here; inside a narrower polygon its distance to the
    boundary is below ``b`` anyway. See :func:`_near`; with ``sub``, also the
    bits of their sub-points within ``distance``.
    """
    segs = np.asarray(segs, dtype=float).reshape(-1, 4)

    def bits(which: np.ndarray, centre: np.ndarray) -> np.ndarray:
        return segment_bits(segs[which], centres[centre], distance, resolution)

    return _near(segs, centres, distance, resolution, sub=bits if sub else None, tree=tree)


def _row_runs(free: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find the runs of True cells along each row and number every cell by its run.

    Returns ``rows, cols`` of the first cell of every run and an int array of
    the window's shape holding, at every True cell, the index of its run.
    """
    start = free.copy()
    start[:, 1:] &= ~free[:, :-1]
    rows, cols = np.nonzero(start)
    run = np.cumsum(start.ravel(), dtype=np.int64).reshape(free.shape) - 1
    return rows, cols, run


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
    free = ~near
    rep_rows, rep_cols, run = _row_runs(free)
    if len(rep_rows):
        verdict = _inside_exact(polygons, _centres(grid, window, rep_rows, rep_cols))
        inside |= free & verdict[np.maximum(run, 0)]
    return inside


def features_within(
    features: Features,
    buffer_m: float,
    grid: Grid,
    window: Window,
    todo: np.ndarray | None = None,
    sub: bool = False,
) -> Any:
    """Cells of ``window`` whose centre lies within ``buffer_m`` of any feature.

    ``features`` must hold every feature that could be that close (see
    :meth:`Features.within`). With ``buffer_m == 0`` only polygons count
    (lines and points cover no area). Parameters and result as
    :func:`centres_within`.

    With ``sub``, returns ``(within, bits)``: ``bits`` holds per cell its
    sub-points within ``buffer_m`` (:mod:`.subcells`), exact where the
    buffer's edge crosses the cell (those cells are all in the exact band)
    and the centre's answer for the whole cell elsewhere. For a buffer
    shorter than the farthest sub-point, and for polygons alone
    (``buffer_m == 0``), every cell gets its centre's answer.
    """
    exact_sub = sub and buffer_m >= REACH * grid.resolution
    if buffer_m <= 0 or not exact_sub:
        within = _features_within(features, buffer_m, grid, window, todo, False)
        return (within, full_or_none(within)) if sub else within
    return _features_within(features, buffer_m, grid, window, todo, True)


def _features_within(
    features: Features,
    buffer_m: float,
    grid: Grid,
    window: Window,
    todo: np.ndarray | None,
    sub: bool,
) -> Any:
    r0, r1, c0, c1 = window
    if buffer_m <= 0:
        return polygons_inside(features.polygons, features.rings, grid, window, todo)
    res = grid.resolution
    halo = halo_cells(buffer_m, res)
    segs = np.concatenate([features.lines, features.rings])
    marks = mark_features(features.points, segs, grid, grid.expand(window, halo))
    h = res / math.sqrt(2.0)
    eps = 1e-6 * max(1.0, buffer_m)
    # (sub) sub-points lie up to REACH cells from their centre, on either side
    extra = REACH * res if sub else 0.0
    inner = (buffer_m - h - eps - extra) / res
    # the vertices of densified segments lie up to s/2 from the nearest line point
    slack = res * SEGMENT_CELLS / 2 if len(segs) else 0.0
    outer = (buffer_m + h + slack + eps + extra) / res
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
    # sub-points lie up to REACH cells from their centre: keep the points that far too
    keep = Nearby(grid, window, rows, cols)(features.points, buffer_m + (res if sub else 0.0))
    if not sub:
        hit = _near_points(features.points[keep], centres, buffer_m, res)
        # the segments decide the centres not yet within
        rest = ~hit
        hit[rest] = _near_segments(segs, centres[rest], buffer_m, res)
        sure[rows, cols] = hit
        return sure
    # (sub) both ask one tree of the centres: most cells need the segments' bits too
    ask = buffer_m + REACH * res * (1 + 1e-9)
    tree = Buckets(centres, max(ask / 2, res))
    hit, bits = _near_points(features.points[keep], centres, buffer_m, res, True, tree)
    more_hit, more_bits = _near_segments(segs, centres, buffer_m, res, True, tree)
    hit |= more_hit
    bits |= more_bits
    sure[rows, cols] = hit
    cells = full_or_none(sure)
    cells[rows, cols] = bits
    return sure, cells


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
