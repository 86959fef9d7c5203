# SPDX-License-Identifier: Apache-2.0
"""Pieces of land where footprints stack shallowly: enumerating the sets that cover land.

Where few footprints meet each overlap, cutting the land by direct
intersections and differences is cheaper than the planar arrangement of
:mod:`~ruimte.analysis.overlay.arrangement` (no noding, no polygonize). Each
set of footprints that covers land together is enumerated once, rooted at one
overlapping pair: its common land ``G`` is the overlap of its members, its
piece is ``G`` minus every other footprint, and adding a further footprint
that meets ``G`` gives the next, deeper set. A deeper set's land lies inside
its root overlap, so only the root's other footprints are tested against it.

The number of sets grows as ``2^m`` for a root overlap met by ``m`` other
footprints, so :func:`~ruimte.analysis.overlay.pieces.partition` sends here
only connected groups of footprints in which every overlap meets at most
``enumerate_max_others`` others (``overlay.yaml``): at most
``2^enumerate_max_others`` sets per overlap, a bounded cost per overlap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely

from ruimte.analysis.overlay.arrays import (
    PARALLEL_MIN,
    gather_ranges,
    ordered_map,
    polygon_parts,
    polygonal,
    rank_in_runs,
    slices,
    threaded,
)

if TYPE_CHECKING:
    from ruimte.analysis.overlay.arrangement import Progress
    from ruimte.analysis.overlay.pieces import Overlaps

#: the land left to a set that another footprint covers whole
_EMPTY = shapely.Polygon()


def others_meeting(footprints: np.ndarray, overlaps: Overlaps) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(s, t)``: footprint ``t`` (not of the pair) meets overlap ``s``; sorted by ``s``.

    Candidates come from an STRtree bounding-box query; an exact ``intersects``
    test (on all cores) decides.

    Examples
    --------
    >>> from shapely import box
    >>> from ruimte.analysis.overlay.pieces import overlapping_pairs
    >>> fp = np.array([box(0, 0, 2, 1), box(1, 0, 3, 1), box(1.5, 0, 4, 1)])
    >>> o = overlapping_pairs(fp, np.ones(3, bool), 0.0)
    >>> s, t = others_meeting(fp, o)
    >>> o.i[s].tolist(), o.j[s].tolist(), t.tolist()
    ([0, 0, 1], [1, 2, 2], [2, 1, 0])
    """
    s, t = shapely.STRtree(footprints).query(overlaps.geometry)
    keep = (t != overlaps.i[s]) & (t != overlaps.j[s])
    s, t = s[keep], t[keep]
    keep = threaded(shapely.intersects, overlaps.geometry[s], footprints[t])
    s, t = s[keep], t[keep]
    order = np.lexsort((t, s))
    return s[order], t[order]


def enumerated_pieces(
    footprints: np.ndarray,
    overlaps: Overlaps,
    chosen: np.ndarray,
    others: tuple[np.ndarray, np.ndarray],
    relevant: np.ndarray,
    min_area: float,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut the land of the overlaps ``chosen`` into pieces by enumerating their cover sets.

    Parameters
    ----------
    footprints : ndarray of shapely geometries
        Polygonal footprints.
    overlaps : Overlaps
        All overlapping pairs; ``chosen`` indexes them. Every footprint meeting
        a chosen overlap must belong, with its overlapping pairs, to the chosen ones.
    chosen : ndarray of int
        The overlaps to cut, ascending.
    others : (ndarray, ndarray)
        From :func:`others_meeting`, for all overlaps.
    relevant : ndarray of bool
        Per footprint.
    min_area : float
        Pieces of this area or smaller (slivers) are dropped.
    progress : callable, optional
        Called as ``progress(done, total)`` after each slice of the overlaps.

    Returns
    -------
    geometry : ndarray of shapely Polygons
        One polygon per piece.
    piece, pair : ndarray of int
        Incidence: overlap ``pair[k]`` (an index into ``overlaps``) covers ``piece[k]``.
    """
    n = len(overlaps)
    s, t = others
    take = np.zeros(n, dtype=bool)
    take[chosen] = True
    s, t = s[take[s]], t[take[s]]
    single = take & (np.bincount(s, minlength=n) == 0)
    # an overlap no other footprint meets is a piece as it is (one per part)
    lone_parts, lone = polygon_parts(overlaps.geometry[single])
    lone = np.flatnonzero(single)[lone]
    big = shapely.area(lone_parts) > min_area
    lone_parts, lone = lone_parts[big], lone[big]
    geometry, piece, pair = [lone_parts], [np.arange(len(lone))], [lone]
    grouped = np.flatnonzero(take & ~single)
    if not len(grouped) and progress:
        progress(1, 1)
    if len(grouped):
        row = np.full(n, -1, dtype=np.intp)
        row[grouped] = np.arange(len(grouped))
        sets, parts = _cover_sets(
            footprints, overlaps, grouped, (row[s], t), relevant, min_area, progress
        )
        set_piece, set_pair = _pairs_of_sets(sets, overlaps, relevant, len(footprints))
        geometry.append(parts)
        piece.append(set_piece + len(lone))
        pair.append(set_pair)
    return np.concatenate(geometry), np.concatenate(piece), np.concatenate(pair)


def _cover_sets(
    footprints: np.ndarray,
    overlaps: Overlaps,
    grouped: np.ndarray,
    others: tuple[np.ndarray, np.ndarray],
    relevant: np.ndarray,
    min_area: float,
    progress: Progress | None = None,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Enumerate the sets of features covering land together; return members and piece parts.

    The members come as blocks of equal set size (a row per piece, in piece
    order). Slices of the grouped overlaps run in parallel threads; the pieces
    come in the same order however many slices there are.
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
    done = list(
        ordered_map(
            lambda task: _cover_slice(footprints, overlaps, *task, rank, min_area), tasks, progress
        )
    )
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
        # a footprint that covers a set's whole land leaves nothing to the set alone,
        # and the deeper set with that footprint has the same land (no GEOS operation)
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
    """For each set (piece), the overlapping pairs among its members with a relevant member."""
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
    keys = overlaps.i.astype(np.int64) * n + overlaps.j  # sorted
    pos = np.searchsorted(keys, fa * n + fb).clip(max=len(keys) - 1)
    found = keys[pos] == fa * n + fb
    return piece_arr[found], pos[found]
