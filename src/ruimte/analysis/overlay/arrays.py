# SPDX-License-Identifier: Apache-2.0
"""Array helpers of the overlay: pairs from an STRtree, polygonal parts, distinct keys, ranges."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import shapely

#: below this many elements, one call is cheaper than spreading the work
PARALLEL_MIN = 4096
#: slices per worker thread, so that one slow slice does not leave a core idle
_SLICES_PER_WORKER = 4


def workers() -> int:
    """Return the number of threads the overlay spreads GEOS work over (the cores, at most 8)."""
    return min(os.cpu_count() or 1, 8)


def slices(n: int) -> list[slice]:
    """Cut ``range(n)`` into ``workers() * 4`` slices of (nearly) equal length.

    Examples
    --------
    >>> len(slices(100)) == 4 * workers()
    True
    """
    bounds = np.linspace(0, n, workers() * _SLICES_PER_WORKER + 1).astype(np.intp)
    return [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def threaded(op: Callable[..., np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Apply an element-wise shapely operation to two arrays on all cores.

    shapely releases the GIL inside GEOS, so slices of the arrays run in
    parallel threads; each element is computed exactly as in one call, so the
    result is identical. Do not pass prepared geometries to a predicate: GEOS
    builds a prepared geometry's index lazily, so two threads must not share one.

    Parameters
    ----------
    op : callable
        An element-wise shapely function of two geometry arrays.
    a, b : ndarray
        Arrays of equal length.

    Examples
    --------
    >>> from shapely import box
    >>> a = np.array([box(0, 0, 2, 2)] * 5000)
    >>> b = np.array([box(1, 1, 3, 3)] * 5000)
    >>> shapely.area(threaded(shapely.intersection, a, b)).sum()
    np.float64(5000.0)
    """
    if workers() < 2 or len(a) < PARALLEL_MIN:
        return op(a, b)
    with ThreadPoolExecutor(workers()) as pool:
        parts = pool.map(lambda k: op(a[k], b[k]), slices(len(a)))
        return np.concatenate(list(parts))


T = TypeVar("T")


def ordered_map(
    fn: Callable[[Any], T],
    items: Iterable[Any],
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[T]:
    """Yield ``fn(item)`` for each item, in order, computed on all cores.

    At most two tasks per thread are in flight, so memory stays bounded
    however many items there are. An exception (Ctrl+C included) cancels the
    tasks not yet started; the running ones (one GEOS call each) are awaited.

    Parameters
    ----------
    fn : callable
        Called with one item (in worker threads).
    items : iterable
        The items.
    progress : callable, optional
        Called as ``progress(done, total)`` after each item.

    Examples
    --------
    >>> list(ordered_map(lambda x: x * x, range(5)))
    [0, 1, 4, 9, 16]
    """
    todo = list(items)
    pool = ThreadPoolExecutor(workers())
    running: deque[Future[T]] = deque()
    done = 0
    try:
        for item in todo:
            running.append(pool.submit(fn, item))
            if len(running) >= 2 * workers():
                yield running.popleft().result()
                done += 1
                if progress:
                    progress(done, len(todo))
        while running:
            yield running.popleft().result()
            done += 1
            if progress:
                progress(done, len(todo))
    finally:
        for future in running:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def relevant_pairs(geoms: np.ndarray, relevant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each intersecting pair ``(i, j)``, ``i < j``, with a relevant member, sorted.

    Only the relevant geometries query the tree (by bounding box), so pairs
    of two irrelevant features (existing land use among itself) cost nothing;
    each candidate pair is tested once, on all cores (a geometry meets few
    others, so preparing it would cost more than it saves).

    Examples
    --------
    >>> from shapely import box
    >>> g = np.array([box(0, 0, 2, 2), box(1, 1, 3, 3), box(2.5, 0, 4, 0.5), box(5, 5, 6, 6)])
    >>> i, j = relevant_pairs(g, np.array([True, True, False, False]))
    >>> i.tolist(), j.tolist()  # box 2 lies in the corner of box 1's bounds, apart from it
    ([0], [1])
    """
    geoms = np.asarray(geoms, dtype=object)
    idx = np.flatnonzero(relevant)
    local, b = shapely.STRtree(geoms).query(geoms[idx])
    a = idx[local]
    keep = (a != b) & ~(relevant[b] & (b < a))  # a pair of two relevant ones once
    a, b = a[keep], b[keep]
    i, j = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    meet = threaded(shapely.intersects, geoms[i], geoms[j])
    return i[meet], j[meet]


def unique_ints(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values of an integer array.

    Sorting and dropping repeats: ``np.unique`` (hash-based since numpy 2.3) is
    an order of magnitude slower on millions of distinct keys.

    Examples
    --------
    >>> unique_ints(np.array([5, 1, 5, 3])).tolist()
    [1, 3, 5]
    """
    return values[first_of_each(values)]


def first_of_each(values: np.ndarray) -> np.ndarray:
    """Return the position of the first occurrence of each distinct value, in sorted order.

    Examples
    --------
    >>> first_of_each(np.array([5, 1, 5, 3])).tolist()
    [1, 3, 0]
    """
    order = np.argsort(values, kind="stable")
    return order[run_starts(values[order])]


def run_starts(keys: np.ndarray) -> np.ndarray:
    """Return where each run of equal values in ``keys`` starts.

    Examples
    --------
    >>> run_starts(np.array([4, 4, 7, 9, 9, 9])).tolist()
    [0, 2, 3]
    """
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], int)


def rank_in_runs(keys: np.ndarray) -> np.ndarray:
    """Return each element's position within its run of equal values in ``keys``.

    Examples
    --------
    >>> rank_in_runs(np.array([4, 4, 7, 9, 9, 9])).tolist()
    [0, 1, 0, 0, 1, 2]
    """
    starts = run_starts(keys)
    return np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))


def shared_runs(order: np.ndarray, sizes: np.ndarray) -> Iterator[np.ndarray]:
    """Yield the members of each group with more than one, in group order.

    ``order`` holds the members sorted by group (a stable sort keeps their order
    within a group) and ``sizes`` the members per group. Only the groups of
    several members are visited: splitting into every group (``np.split``) costs
    a slice per group, 300k of them for the pieces at 200k claims.

    Examples
    --------
    >>> [m.tolist() for m in shared_runs(np.array([4, 0, 2, 3, 1]), np.array([1, 3, 0, 1]))]
    [[0, 2, 3]]
    """
    ends = np.cumsum(sizes)
    for group in np.flatnonzero(sizes > 1):
        yield order[ends[group] - sizes[group] : ends[group]]


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal parts of each geometry (an overlap may include lines and points).

    Examples
    --------
    >>> from shapely import box
    >>> g = shapely.intersection(box(0, 0, 2, 2), shapely.union(box(1, 0, 3, 2), box(-1, 2, 0, 3)))
    >>> polygonal(np.array([g]))[0].geom_type
    'Polygon'
    """
    geoms = np.asarray(geoms, dtype=object).copy()
    mixed = np.flatnonzero(shapely.get_type_id(geoms) == 7)  # GeometryCollection
    for k in mixed:
        parts = shapely.get_parts(geoms[k])
        polys = parts[shapely.get_dimensions(parts) == 2]
        geoms[k] = shapely.union_all(polys) if len(polys) else shapely.Polygon()
    return geoms


def polygon_parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the polygons of each (multi)polygon and the position each came from.

    Like ``shapely.get_parts(geoms, return_index=True)``, in the same order,
    but plain polygons are passed on as they are instead of being copied.

    Examples
    --------
    >>> from shapely import box
    >>> g = np.array([box(0, 0, 1, 1), shapely.union(box(2, 0, 3, 1), box(5, 0, 6, 1))])
    >>> parts, index = polygon_parts(g)
    >>> index.tolist(), shapely.area(parts).tolist()
    ([0, 1, 1], [1.0, 1.0, 1.0])
    """
    geoms = np.asarray(geoms, dtype=object)
    multi = shapely.get_type_id(geoms) != 3  # not a plain Polygon
    if not multi.any():
        return geoms, np.arange(len(geoms))
    split, where = shapely.get_parts(geoms[multi], return_index=True)
    index = np.concatenate([np.flatnonzero(~multi), np.flatnonzero(multi)[where]])
    order = np.argsort(index, kind="stable")
    return np.concatenate([geoms[~multi], split])[order], index[order]


def gather_ranges(
    start: np.ndarray, values: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate ``values[start[r]:start[r + 1]]`` for each ``r`` in ``rows``.

    Returns
    -------
    owner, value : ndarray
        ``owner[k]`` is the position in ``rows`` that ``value[k]`` came from.

    Examples
    --------
    >>> owner, value = gather_ranges(np.array([0, 2, 2, 5]), np.arange(10, 15), np.array([2, 0]))
    >>> owner.tolist(), value.tolist()
    ([0, 0, 0, 1, 1], [12, 13, 14, 10, 11])
    """
    counts = start[rows + 1] - start[rows]
    owner = np.repeat(np.arange(len(rows)), counts)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, values[np.repeat(start[rows], counts) + offset]
