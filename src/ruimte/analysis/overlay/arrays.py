# SPDX-License-Identifier: Apache-2.0
"""Array helpers of the overlay: pairs from an STRtree, polygonal parts, distinct keys, ranges."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely

#: below this many elements, one call is cheaper than spreading the work
_PARALLEL_MIN = 4096


def threaded(op: Callable[..., np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Apply an element-wise shapely operation to two arrays on all cores.

    shapely releases the GIL inside GEOS, so slices of the arrays run in
    parallel threads; each element is computed exactly as in one call, so the
    result is identical.

    Examples
    --------
    >>> from shapely import box
    >>> a = np.array([box(0, 0, 2, 2)] * 5000)
    >>> b = np.array([box(1, 1, 3, 3)] * 5000)
    >>> shapely.area(threaded(shapely.intersection, a, b)).sum()
    np.float64(5000.0)
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(a) < _PARALLEL_MIN:
        return op(a, b)
    bounds = np.linspace(0, len(a), workers + 1).astype(int)
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(lambda k: op(a[bounds[k] : bounds[k + 1]], b[bounds[k] : bounds[k + 1]]),
                         range(workers))  # fmt: skip
        return np.concatenate(list(parts))


def relevant_pairs(
    geoms: np.ndarray, relevant: np.ndarray, predicate: str, distance: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return each pair ``(i, j)``, ``i < j``, with a relevant member that meets ``predicate``.

    Only the relevant geometries query the tree, so pairs of two irrelevant
    features (existing land use among itself) cost nothing.

    Examples
    --------
    >>> from shapely import points
    >>> g = points([0, 1, 2, 10], [0, 0, 0, 0])
    >>> i, j = relevant_pairs(g, np.array([True, False, False, False]), "dwithin", 5.0)
    >>> i.tolist(), j.tolist()
    ([0, 0], [1, 2])
    """
    geoms = np.asarray(geoms, dtype=object)
    idx = np.flatnonzero(relevant)
    tree = shapely.STRtree(geoms)
    local, b = tree.query(geoms[idx], predicate=predicate, distance=distance)
    a = idx[local]
    keep = (a != b) & ~(relevant[b] & (b < a))  # a pair of two relevant ones once
    a, b = a[keep], b[keep]
    i, j = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((j, i))
    return i[order], j[order]


def unique_ints(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values of an integer array.

    Sorting and dropping repeats: ``np.unique`` (hash-based since numpy 2.3) is
    an order of magnitude slower on millions of distinct keys.

    Examples
    --------
    >>> unique_ints(np.array([5, 1, 5, 3])).tolist()
    [1, 3, 5]
    """
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


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
