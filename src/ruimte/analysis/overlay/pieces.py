# SPDX-License-Identifier: Apache-2.0
"""Overlapping pairs of footprints and the planar partition of their overlaps.

Two steps, both with an STRtree and vectorised shapely 2:

1. :func:`overlapping_pairs` finds every pair of footprints whose overlap has
   an area (touching footprints share no area and give no pair).
2. :func:`partition` cuts the overlaps into distinct pieces of land: where
   three or more footprints overlap, the pairwise overlaps overlap each other,
   and counting each pair's hectares would count the same land several times.
   Overlaps that no third footprint meets are pieces as they are (one per part);
   elsewhere every set of features covering land together is enumerated once,
   its piece being the members' common land minus every other footprint.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely

from ruimte.analysis.overlay.arrays import (
    PARALLEL_MIN,
    gather_ranges,
    polygon_parts,
    polygonal,
    rank_in_runs,
    relevant_pairs,
    slices,
    threaded,
    workers,
)

#: the land left to a set that another footprint covers whole
_EMPTY = shapely.Polygon()

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
    meet_i, meet_j : ndarray of int
        Every pair of footprints that meet (touch or overlap, at least one
        relevant), ``meet_i < meet_j``, sorted: the neighbours :func:`partition` needs.
    """

    i: np.ndarray
    j: np.ndarray
    geometry: np.ndarray
    area_m2: np.ndarray
    meet_i: np.ndarray
    meet_j: np.ndarray

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
    return Overlaps(a[kept], b[kept], overlap[kept], area[kept], a, b)


def partition(
    footprints: np.ndarray,
    overlaps: Overlaps,
    relevant: np.ndarray,
    min_overlap_m2: float = 0.0,
) -> Pieces:
    """Cut overlapping overlaps into distinct pieces of land.

    The footprints that meet both features of an overlap (known from
    :func:`overlapping_pairs`) are tested against it; an overlap that no third
    footprint meets is a piece as it is (one per part).
    Elsewhere each set of features that covers land
    together is enumerated once (in canonical order, relevant features
    first): its common land ``G`` is the overlap of its members, its piece is
    ``G`` minus every other footprint, and adding a further footprint that
    overlaps ``G`` gives the next, deeper set. Only intersections and
    differences with the original footprints are used (vectorised), so no
    near-coincident edges arise. A deeper set's land lies inside its first
    overlap, so only that overlap's other footprints are tested against it.

    Parameters
    ----------
    footprints : ndarray of shapely geometries
        The features' polygonal footprints (as given to :func:`overlapping_pairs`).
    overlaps : Overlaps
        From :func:`overlapping_pairs`.
    relevant : ndarray of bool
        The relevant features (claims), as given to :func:`overlapping_pairs`.
    min_overlap_m2 : float
        Pieces and deeper overlaps smaller than this (slivers) are dropped.

    Returns
    -------
    Pieces
        The pieces' areas add up to the area covered by any overlap.

    Examples
    --------
    Three strips that share a middle square: three pairwise overlaps, three pieces.

    >>> from shapely import box
    >>> fp = np.array([box(0, 0, 3, 1), box(1, 0, 4, 1), box(2, 0, 5, 1)])
    >>> every = np.ones(3, bool)
    >>> p = partition(fp, overlapping_pairs(fp, every, 0.0), every)
    >>> sorted(p.area_m2.round(6).tolist()), float(p.area_m2.sum())
    ([1.0, 1.0, 1.0], 3.0)
    """
    footprints = np.asarray(footprints, dtype=object)
    geoms = overlaps.geometry
    n = len(geoms)
    if n == 0:
        empty = np.array([], dtype=np.intp)
        return Pieces(np.array([], dtype=object), np.array([]), empty, empty)
    s, t = _others(footprints, overlaps, relevant)  # none: the overlap is a piece as it is
    single = np.bincount(s, minlength=n) == 0

    lone_parts, lone = polygon_parts(geoms[single])
    lone = np.flatnonzero(single)[lone]  # a multipolygon overlap gives one piece per part
    geometry, area = [lone_parts], [shapely.area(lone_parts)]
    piece, pair = [np.arange(len(lone))], [lone]
    grouped = np.flatnonzero(~single)
    if len(grouped):
        row = np.full(n, -1, dtype=np.intp)
        row[grouped] = np.arange(len(grouped))
        others = (row[s], t)  # per grouped overlap, the footprints meeting it (rows sorted)
        sets, parts = _cover_sets(footprints, overlaps, grouped, others, relevant, min_overlap_m2)
        parts_area = shapely.area(parts)
        set_piece, set_pair = _pairs_of_sets(sets, overlaps, relevant, len(footprints))
        geometry.append(parts)
        area.append(parts_area)
        piece.append(set_piece + len(lone))
        pair.append(set_pair)
    piece_all, pair_all = np.concatenate(piece), np.concatenate(pair)
    order = np.lexsort((pair_all, piece_all))
    return Pieces(np.concatenate(geometry), np.concatenate(area), piece_all[order], pair_all[order])


def _others(
    footprints: np.ndarray, overlaps: Overlaps, relevant: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(s, t)``: footprint ``t`` meets overlap ``s`` (not of its pair); ``s`` sorted.

    A footprint meeting the overlap of ``(i, j)`` meets both ``i`` and ``j``,
    so the candidates are the meeting neighbours of its relevant member that
    also meet the other one (known from ``meet_i``, ``meet_j`` unless both are
    irrelevant); an exact ``intersects`` test on the candidates decides.
    """
    n = len(footprints)
    mi, mj = overlaps.meet_i.astype(np.int64), overlaps.meet_j.astype(np.int64)
    src, dst = np.concatenate([mi, mj]), np.concatenate([mj, mi])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    start = np.searchsorted(src, np.arange(n + 1))
    anchor = np.where(relevant[overlaps.i], overlaps.i, overlaps.j)
    partner = np.where(anchor == overlaps.i, overlaps.j, overlaps.i)
    s, t = gather_ranges(start, dst, anchor)
    keep = t != partner[s]
    s, t = s[keep], t[keep]
    keys = mi * n + mj  # sorted
    wanted = np.minimum(partner[s], t) * n + np.maximum(partner[s], t)
    pos = np.searchsorted(keys, wanted).clip(max=len(keys) - 1)
    keep = (keys[pos] == wanted) | ~(relevant[partner[s]] | relevant[t])
    s, t = s[keep], t[keep]
    # few tests per overlap: preparing them would cost more than it saves
    keep = threaded(shapely.intersects, overlaps.geometry[s], footprints[t])
    return s[keep], t[keep]


def _cover_sets(
    footprints: np.ndarray,
    overlaps: Overlaps,
    grouped: np.ndarray,
    others: tuple[np.ndarray, np.ndarray],
    relevant: np.ndarray,
    min_area: float,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Enumerate the sets of features covering land together; return members and piece parts.

    The members come as blocks of equal set size (a row per piece, in piece order).
    The grouped overlaps are independent of each other, so slices of them run
    in parallel threads (each slice's GEOS work releases the GIL while the
    other's bookkeeping runs); the pieces come in the same order however many
    slices there are.
    """
    n = len(footprints)
    rank = np.empty(n, dtype=np.intp)
    rank[np.lexsort((np.arange(n), ~relevant))] = np.arange(n)  # relevant first
    s, t = others
    cuts = slices(len(grouped)) if len(s) >= PARALLEL_MIN else [slice(0, len(grouped))]
    tasks = []
    for cut in cuts:
        lo, hi = np.searchsorted(s, [cut.start, cut.stop])
        tasks.append((grouped[cut], (s[lo:hi] - cut.start, t[lo:hi])))
    with ThreadPoolExecutor(workers()) as pool:
        done = list(
            pool.map(lambda task: _cover_slice(footprints, overlaps, *task, rank, min_area), tasks)
        )
    # level by level, slice after slice: the order of one slice over all grouped overlaps
    depth = max(len(levels) for levels in done)
    ordered = [levels[k] for k in range(depth) for levels in done if k < len(levels)]
    sets = [members for members, _ in ordered]
    parts = [part for _, part in ordered]
    return sets, np.concatenate(parts) if parts else np.array([], dtype=object)


def _cover_slice(
    footprints: np.ndarray,
    overlaps: Overlaps,
    grouped: np.ndarray,
    others: tuple[np.ndarray, np.ndarray],
    rank: np.ndarray,
    min_area: float,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`_cover_sets` for one slice of the grouped overlaps, in one thread.

    Returns, per set size (2, 3, ...), the members (a row per piece) and the pieces.

    ``others`` lists, per grouped overlap (its row in ``grouped``, sorted), the
    other footprints meeting it. A deeper set's land lies within its root
    overlap, so only the root's others can meet it: no tree query per level.
    """
    pi, pj = overlaps.i[grouped], overlaps.j[grouped]
    swap = rank[pi] > rank[pj]
    members = np.stack([np.where(swap, pj, pi), np.where(swap, pi, pj)], axis=1)
    common = overlaps.geometry[grouped]
    root_s, root_t = others
    root_start = np.searchsorted(root_s, np.arange(len(grouped) + 1))
    root = np.arange(len(grouped))
    s, t = root_s, root_t
    levels: list[tuple[np.ndarray, np.ndarray]] = []
    while len(members):
        # a footprint that covers a set's whole land: nothing of it is left to the set alone,
        # and the deeper set with that footprint has the same land (no GEOS operation needed)
        covered = shapely.covered_by(common[s], footprints[t])
        gone = np.zeros(len(members), dtype=bool)
        gone[s[covered]] = True
        own = common.copy()
        own[gone] = _EMPTY
        cut = ~gone[s]
        cs, ct = s[cut], t[cut]
        depth = rank_in_runs(cs)
        for r in range(int(depth.max(initial=-1)) + 1):
            at = depth == r
            own[cs[at]] = shapely.difference(own[cs[at]], footprints[ct[at]])
        own = polygonal(own)
        parts, index = polygon_parts(own)
        big = shapely.area(parts) > min_area
        levels.append((members[index[big]], parts[big]))
        deeper = rank[t] > rank[members[s, -1]]
        s, t, covered = s[deeper], t[deeper], covered[deeper]
        child = common[s]
        child[~covered] = polygonal(shapely.intersection(child[~covered], footprints[t[~covered]]))
        big = shapely.area(child) > min_area
        members = np.concatenate([members[s[big]], t[big, None]], axis=1)
        common = child[big]
        root = root[s[big]]
        s, t = _root_others(root, root_start, root_t, members, common, footprints)
    return levels


def _root_others(
    root: np.ndarray,
    root_start: np.ndarray,
    root_t: np.ndarray,
    members: np.ndarray,
    common: np.ndarray,
    footprints: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each set, the non-member footprints among its root's others that meet its land."""
    s, t = gather_ranges(root_start, root_t, root)
    keep = ~(members[s] == t[:, None]).any(axis=1)
    s, t = s[keep], t[keep]
    keep = shapely.intersects(common[s], footprints[t])  # few tests each: not prepared
    return s[keep], t[keep]


def _pairs_of_sets(
    sets: list[np.ndarray], overlaps: Overlaps, relevant: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each set (piece), the overlapping pairs among its members with a relevant member.

    ``sets`` holds one block of members per set size; pieces are numbered
    through the blocks in order.
    """
    piece_parts, first_parts, second_parts = [], [], []
    offset = 0
    for block in sets:
        at = offset + np.arange(len(block))
        offset += len(block)
        for x in range(block.shape[1]):
            for y in range(x + 1, block.shape[1]):
                piece_parts.append(at)
                first_parts.append(np.minimum(block[:, x], block[:, y]))
                second_parts.append(np.maximum(block[:, x], block[:, y]))
    if not piece_parts:
        empty = np.array([], dtype=np.intp)
        return empty, empty
    piece_arr = np.concatenate(piece_parts)
    fa = np.concatenate(first_parts).astype(np.int64)
    fb = np.concatenate(second_parts).astype(np.int64)
    useful = relevant[fa] | relevant[fb]
    piece_arr, fa, fb = piece_arr[useful], fa[useful], fb[useful]
    keys = overlaps.i.astype(np.int64) * n + overlaps.j
    sort = np.argsort(keys)
    pos = np.searchsorted(keys, fa * n + fb, sorter=sort).clip(max=len(keys) - 1)
    found = keys[sort[pos]] == fa * n + fb
    return piece_arr[found], sort[pos][found]
