# SPDX-License-Identifier: Apache-2.0
"""Overlapping pairs of footprints and the planar partition of their overlaps.

Two steps, both with STRtrees and vectorised shapely 2:

1. :func:`overlapping_pairs` finds every pair of footprints whose overlap has
   an area (touching footprints share no area and give no pair).
2. :func:`partition` cuts the overlaps into distinct pieces of land: where
   three or more footprints overlap, the pairwise overlaps overlap each other,
   and counting each pair's hectares would count the same land several times.
   The pieces are the faces of the planar arrangement of all footprint
   boundaries (:mod:`~ruimte.analysis.overlay.arrangement`), tile by tile, each
   with the footprints covering it; faces that a tile edge cut apart are merged
   again, so the pieces do not depend on the tile size. The cost grows with
   the number of pieces, not with the combinations of stacked footprints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ruimte.analysis.overlay.arrangement import (
    Faces,
    Progress,
    Tiling,
    arrangement_faces,
    default_tile_size,
)
from ruimte.analysis.overlay.arrays import (
    first_of_each,
    gather_ranges,
    polygonal,
    relevant_pairs,
    shared_runs,
    threaded,
)
from ruimte.analysis.overlay.enumeration import enumerated_pieces, others_meeting
from ruimte.analysis.overlay.guard import (
    MemoryEstimate,
    check_memory,
    estimate,
    with_enumerated,
)

#: faces this close to an edge of their tile may continue in the next tile (metres)
_EDGE_TOL_M = 1e-6

__all__ = [
    "Overlaps",
    "Pieces",
    "overlapping_pairs",
    "partition",
    "polygonal",
    "relevant_pairs",
]


@dataclass(frozen=True)
class Overlaps:
    """Pairs of features whose footprints overlap, and their overlap.

    Attributes
    ----------
    i, j : ndarray of int
        Feature positions, ``i < j``.
    geometry : ndarray of shapely geometries
        The polygonal overlap of each pair.
    area_m2 : ndarray of float
        Its area.
    """

    i: np.ndarray
    j: np.ndarray
    geometry: np.ndarray
    area_m2: np.ndarray

    def __len__(self) -> int:
        return len(self.i)


@dataclass(frozen=True)
class Pieces:
    """Distinct pieces of land covered by two or more footprints.

    Attributes
    ----------
    geometry : ndarray of shapely geometries
        One polygon per piece; pieces do not overlap each other.
    area_m2 : ndarray of float
        Their areas.
    piece, pair : ndarray of int
        Incidence: overlap ``pair[k]`` (an index into :class:`Overlaps`) covers ``piece[k]``.
    """

    geometry: np.ndarray
    area_m2: np.ndarray
    piece: np.ndarray
    pair: np.ndarray

    def __len__(self) -> int:
        return len(self.geometry)


def overlapping_pairs(
    footprints: np.ndarray, relevant: np.ndarray, min_overlap_m2: float
) -> Overlaps:
    """Find the pairs of footprints that overlap with an area of at least ``min_overlap_m2``.

    Parameters
    ----------
    footprints : ndarray of shapely geometries
        Polygonal footprints (empty ones never overlap).
    relevant : ndarray of bool
        Only pairs with at least one relevant feature (a claim) are kept.
    min_overlap_m2 : float
        Smaller overlaps (touching features, rounding slivers) are dropped.

    Returns
    -------
    Overlaps

    Examples
    --------
    >>> from shapely import box
    >>> fp = np.array([box(0, 0, 2, 2), box(1, 0, 3, 2), box(2, 0, 4, 2)])
    >>> o = overlapping_pairs(fp, np.ones(3, bool), 0.0)
    >>> o.i.tolist(), o.j.tolist(), o.area_m2.tolist()  # (0, 2) only touch
    ([0, 1], [1, 2], [2.0, 2.0])
    """
    footprints = np.asarray(footprints, dtype=object)
    a, b = relevant_pairs(footprints, relevant)
    overlap = polygonal(threaded(shapely.intersection, footprints[a], footprints[b]))
    area = shapely.area(overlap)
    keep = area >= max(min_overlap_m2, np.finfo(float).tiny)
    order = np.lexsort((b[keep], a[keep]))
    kept = np.flatnonzero(keep)[order]
    return Overlaps(a[kept], b[kept], overlap[kept], area[kept])


def partition(
    footprints: np.ndarray,
    overlaps: Overlaps,
    relevant: np.ndarray,
    min_overlap_m2: float = 0.0,
    *,
    tile_m: float | None = None,
    progress: Progress | None = None,
    max_others: int | None = None,
    mean_sets: float | None = None,
    enumerating: Progress | None = None,
) -> Pieces:
    """Cut overlapping overlaps into distinct pieces of land.

    The boundaries of the footprints that meet an overlap are noded and
    polygonized tile by tile (:func:`~ruimte.analysis.overlay.arrangement.arrangement_faces`);
    each face knows the footprints covering it, hence the overlapping pairs
    (with a relevant member) it belongs to. Faces with no such pair are no
    piece. A piece of land cut by tile edges is merged back into one piece
    (its faces in neighbouring tiles share an edge and the same footprints), so
    the pieces do not depend on the tiles.

    Parameters
    ----------
    footprints : ndarray of shapely geometries
        The features' polygonal footprints (as given to :func:`overlapping_pairs`).
    overlaps : Overlaps
        From :func:`overlapping_pairs`.
    relevant : ndarray of bool
        The relevant features (claims), as given to :func:`overlapping_pairs`.
    min_overlap_m2 : float
        Pieces of this area or smaller (slivers) are dropped.
    tile_m : float, optional
        The side of a tile in metres; default about 20,000 footprint vertices per tile.
    progress : callable, optional
        Called as ``progress(done, total)`` after each tile.
    max_others : int, optional
        The hybrid (``enumerate_max_others`` in ``overlay.yaml``): a connected
        group of footprints in which no overlap meets more than this many other
        footprints is cut by enumerating its cover sets
        (:mod:`~ruimte.analysis.overlay.enumeration`, at most ``2^max_others``
        sets per overlap, no tiles); the rest by the arrangement. ``None``: the
        arrangement for all (the same pieces, cut another way).
    mean_sets : float, optional
        With ``max_others`` (``enumerate_mean_sets`` in ``overlay.yaml``): a group is
        enumerated only if its overlaps bound on average at most this many cover sets
        (``2^others`` each); densely stacked groups go to the arrangement.
    enumerating : callable, optional
        Called as ``progress(done, total)`` after each slice of the enumeration.

    Returns
    -------
    Pieces
        The pieces' areas add up to the area covered by any overlap.

    Raises
    ------
    OverlayMemoryError
        Before any cutting (enumeration or arrangement), if the estimated memory
        exceeds the memory available.

    Examples
    --------
    Three strips that share a middle square: three pairwise overlaps, three pieces.

    >>> from shapely import box
    >>> fp = np.array([box(0, 0, 3, 1), box(1, 0, 4, 1), box(2, 0, 5, 1)])
    >>> every = np.ones(3, bool)
    >>> p = partition(fp, overlapping_pairs(fp, every, 0.0), every)
    >>> sorted(p.area_m2.round(6).tolist()), float(p.area_m2.sum())
    ([1.0, 1.0, 1.0], 3.0)

    The same with tiles of 0.7 m: the pieces cut by tile edges are merged again.

    >>> q = partition(fp, overlapping_pairs(fp, every, 0.0), every, tile_m=0.7)
    >>> sorted(q.area_m2.round(6).tolist()), [g.geom_type for g in q.geometry]
    ([1.0, 1.0, 1.0], ['Polygon', 'Polygon', 'Polygon'])
    """
    footprints = np.asarray(footprints, dtype=object)
    empty = np.array([], dtype=np.intp)
    if len(overlaps) == 0:
        return Pieces(np.array([], dtype=object), np.array([]), empty, empty)
    if max_others is None:
        shallow = np.zeros(len(overlaps), dtype=bool)
        others = (empty, empty)
    else:
        others = others_meeting(footprints, overlaps)
        shallow = shallow_overlaps(overlaps, others, len(footprints), max_others, mean_sets)
    deep = np.flatnonzero(~shallow)
    sub = _subset(overlaps, deep)
    # the guard looks at both ways of cutting before either starts
    if len(deep):
        tiling = tiling_for(footprints, sub, tile_m)
        found = estimate(footprints, sub.geometry, tiling)
    else:
        tiling, found = None, MemoryEstimate(0, 0, 0, 0)
    if shallow.any():
        n_others = int(np.count_nonzero(shallow[others[0]]))
        found = with_enumerated(found, overlaps.geometry[shallow], n_others)
    check_memory(found, tiling.size if tiling else float(tile_m or 0.0))
    if not shallow.any():
        return _arranged(footprints, overlaps, relevant, min_overlap_m2, tiling, progress)
    geometry, piece, pair = enumerated_pieces(
        footprints,
        overlaps,
        np.flatnonzero(shallow),
        others,
        relevant,
        min_overlap_m2,
        progress=enumerating,
    )
    del others
    if tiling is not None:
        rest = _arranged(footprints, sub, relevant, min_overlap_m2, tiling, progress)
        piece = np.concatenate([piece, rest.piece + len(geometry)])
        geometry = np.concatenate([geometry, rest.geometry])
        pair = np.concatenate([pair, deep[rest.pair]])
    elif progress:
        progress(1, 1)
    order = np.lexsort((pair, piece))
    return Pieces(geometry, shapely.area(geometry), piece[order], pair[order])


def _subset(overlaps: Overlaps, chosen: np.ndarray) -> Overlaps:
    """Return the overlaps ``chosen`` (ascending indices), in order."""
    if len(chosen) == len(overlaps):
        return overlaps
    return Overlaps(
        overlaps.i[chosen], overlaps.j[chosen], overlaps.geometry[chosen], overlaps.area_m2[chosen]
    )


def shallow_overlaps(
    overlaps: Overlaps,
    others: tuple[np.ndarray, np.ndarray],
    n: int,
    max_others: int,
    mean_sets: float | None = None,
) -> np.ndarray:
    """Return per overlap whether its connected group of footprints stacks shallowly.

    Footprints are connected by their overlaps and by meeting an overlap; a
    group is shallow when none of its overlaps meets more than ``max_others``
    other footprints and, given ``mean_sets``, its overlaps bound on average at
    most ``mean_sets`` cover sets (``2^m`` for an overlap met by ``m`` others).
    The cap bounds the enumeration's work per overlap; the mean sends groups
    stacked densely throughout to the arrangement, and keeps a wide, sparse
    group enumerated when a few of its overlaps meet more others.

    Examples
    --------
    >>> from shapely import box
    >>> fp = np.array([box(0, 0, 2, 1), box(1, 0, 3, 1), box(1.5, 0, 4, 1), box(9, 0, 11, 1),
    ...                box(10, 0, 12, 1)])
    >>> o = overlapping_pairs(fp, np.ones(5, bool), 0.0)
    >>> o.i.tolist(), shallow_overlaps(o, others_meeting(fp, o), 5, 0).tolist()
    ([0, 0, 1, 3], [False, False, False, True])

    The first group's overlaps meet one other footprint each: two sets on average.

    >>> shallow_overlaps(o, others_meeting(fp, o), 5, 1, mean_sets=2).tolist()
    [True, True, True, True]
    >>> shallow_overlaps(o, others_meeting(fp, o), 5, 1, mean_sets=1.5).tolist()
    [False, False, False, True]
    """
    s, t = others
    x = np.concatenate([overlaps.i, overlaps.i[s]])
    y = np.concatenate([overlaps.j, t])
    graph = coo_matrix((np.ones(len(x), dtype=np.int8), (x, y)), shape=(n, n))
    label = connected_components(graph, directed=False)[1]
    group = label[overlaps.i]
    meeting = np.bincount(s, minlength=len(overlaps))
    deep_group = np.zeros(n, dtype=bool)
    deep_group[group[meeting > max_others]] = True
    if mean_sets is not None:
        sets = np.bincount(group, weights=np.exp2(np.minimum(meeting, 1000)), minlength=n)
        deep_group |= sets > mean_sets * np.bincount(group, minlength=n)
    return ~deep_group[group]


def _arranged(
    footprints: np.ndarray,
    overlaps: Overlaps,
    relevant: np.ndarray,
    min_overlap_m2: float,
    tiling: Tiling,
    progress: Progress | None,
) -> Pieces:
    """:func:`partition` by the planar arrangement only, on ``tiling`` (the guard has passed)."""
    faces = arrangement_faces(footprints, overlaps.geometry, tiling, progress)
    face, pair = covering_pairs(faces.start, faces.feature, overlaps, relevant, len(footprints))
    useful = np.zeros(len(faces), dtype=bool)
    useful[face] = True
    label = _merge_across_tiles(faces, tiling, useful, len(footprints))
    # one piece per group of faces, in the order of its first face (tile order)
    chosen = np.flatnonzero(useful)
    group = label[chosen]
    first = chosen[first_of_each(group)]  # each group's first face
    first = np.sort(first)
    geometry = faces.geometry[first].copy()
    by_group = chosen[np.argsort(group, kind="stable")]
    for members in shared_runs(by_group, np.bincount(group)):
        # a piece cut apart by tile edges: one again
        geometry[np.searchsorted(first, members[0])] = shapely.union_all(faces.geometry[members])
    geometry = polygonal(geometry)
    area = shapely.area(geometry)
    big = area > min_overlap_m2
    number = np.full(len(faces), -1, dtype=np.int32)
    number[first[big]] = np.arange(int(big.sum()))
    piece = number[face]
    keep = piece >= 0
    piece, pair = piece[keep], pair[keep]
    order = np.lexsort((pair, piece))
    return Pieces(geometry[big], area[big], piece[order], pair[order])


def tiling_for(footprints: np.ndarray, overlaps: Overlaps, tile_m: float | None) -> Tiling:
    """Return the tiles over the overlaps: of ``tile_m``, or the default size."""
    bounds = shapely.total_bounds(overlaps.geometry)
    if tile_m is None:
        members = np.union1d(overlaps.i, overlaps.j)
        tile_m = default_tile_size(footprints[members], bounds)
    return Tiling.covering(bounds, tile_m)


def covering_pairs(
    start: np.ndarray, feature: np.ndarray, overlaps: Overlaps, relevant: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(face, pair)``: both footprints of overlap ``pair`` cover ``face``.

    Parameters
    ----------
    start, feature : ndarray of int
        Face ``f`` is covered by the footprints ``feature[start[f]:start[f + 1]]``.
    overlaps : Overlaps
        The overlapping pairs (at least one relevant footprint each).
    relevant : ndarray of bool
        Per footprint.
    n : int
        The number of footprints.
    """
    if not len(overlaps):
        empty = np.array([], dtype=np.int32)
        return empty, empty
    keys = overlaps.i.astype(np.int64) * n + overlaps.j  # sorted
    count = np.diff(start)
    owner = np.repeat(np.arange(len(count)), count)
    n_relevant = np.bincount(owner[relevant[feature]], minlength=len(count))
    # the candidate pairs of a face: its relevant footprints x all its footprints;
    # deep stacks give many, so they are looked up in blocks of bounded size
    cost = np.cumsum(n_relevant * count)
    cuts = np.searchsorted(
        cost, np.arange(_PAIRS_PER_BLOCK, cost[-1] if len(cost) else 0, _PAIRS_PER_BLOCK)
    )
    faces_out, pairs_out = [], []
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(count)], strict=True):
        f, p = _covering_block(start, feature, lo, hi, relevant, keys, n)
        faces_out.append(f)
        pairs_out.append(p)
    return np.concatenate(faces_out), np.concatenate(pairs_out)


#: candidate pairs looked up at once (bounds the memory of deep stacks)
_PAIRS_PER_BLOCK = 1 << 20


def _covering_block(
    start: np.ndarray,
    feature: np.ndarray,
    lo: int,
    hi: int,
    relevant: np.ndarray,
    keys: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`covering_pairs` for the faces ``lo`` to ``hi``."""
    block = start[lo : hi + 1] - start[lo]
    members = feature[start[lo] : start[hi]]
    owner = np.repeat(np.arange(lo, hi), np.diff(block))
    rel = relevant[members]
    r_face, r_feature = owner[rel], members[rel]
    at, other = gather_ranges(block, members, r_face - lo)  # every footprint of the face
    first, face = r_feature[at], r_face[at]
    keep = (other != first) & ~(relevant[other] & (other < first))  # two relevant ones once
    wanted = np.minimum(first, other)[keep].astype(np.int64) * n + np.maximum(first, other)[keep]
    face = face[keep]
    pos = np.searchsorted(keys, wanted).clip(max=len(keys) - 1)
    found = keys[pos] == wanted
    return face[found].astype(np.int32), pos[found].astype(np.int32)  # deep stacks: many


def _merge_across_tiles(faces: Faces, tiling: Tiling, useful: np.ndarray, n: int) -> np.ndarray:
    """Label the faces: faces of one piece of land cut apart by tile edges get one label.

    Two faces merge when they lie in different tiles, are covered by the same
    footprints and share a stretch of edge (not just a point).
    """
    label = np.arange(len(faces))
    geoms = faces.geometry
    box = tiling.boxes()[faces.tile]
    side = tiling.neighbours()[faces.tile]
    b = shapely.bounds(geoms)
    edge = useful & (
        (side[:, 0] & (b[:, 0] <= box[:, 0] + _EDGE_TOL_M))
        | (side[:, 1] & (b[:, 1] <= box[:, 1] + _EDGE_TOL_M))
        | (side[:, 2] & (b[:, 2] >= box[:, 2] - _EDGE_TOL_M))
        | (side[:, 3] & (b[:, 3] >= box[:, 3] - _EDGE_TOL_M))
    )
    near = np.flatnonzero(edge)
    if len(near) < 2:
        return label
    key = _cover_keys(faces, n)[near]
    x, y = shapely.STRtree(geoms[near]).query(geoms[near])
    keep = (x < y) & (faces.tile[near[x]] != faces.tile[near[y]])
    keep &= (key[x] == key[y]).all(axis=1)
    x, y = near[x[keep]], near[y[keep]]
    matrix = threaded(shapely.relate, geoms[x], geoms[y])
    shared = np.array([m[4] == "1" or m[0] == "2" for m in matrix], dtype=bool)
    x, y = x[shared], y[shared]
    graph = coo_matrix((np.ones(len(x)), (x, y)), shape=(len(faces), len(faces)))
    return connected_components(graph, directed=False)[1]


def _cover_keys(faces: Faces, n: int) -> np.ndarray:
    """Return a 128-bit key per face: equal keys mean the same covering footprints."""
    weights = np.random.default_rng(20261205).integers(0, 2**63, size=(n, 2), dtype=np.int64)
    return np.add.reduceat(weights[faces.feature], faces.start[:-1], axis=0)
