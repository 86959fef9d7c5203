# SPDX-License-Identifier: Apache-2.0
"""Property: the pieces partition the land under two or more footprints, each once.

Random stacks of rectangles (up to six deep) against brute force: the union
of all pairwise intersections, computed without the partition.
"""

from __future__ import annotations

import itertools

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import box

from ruimte.analysis.overlay.pieces import overlapping_pairs, partition

rect = st.tuples(
    st.integers(0, 20), st.integers(0, 20), st.integers(1, 12), st.integers(1, 12)
).map(lambda r: box(r[0], r[1], r[0] + r[2], r[1] + r[3]))


@settings(max_examples=40, deadline=None)
@given(st.lists(rect, min_size=2, max_size=7), st.lists(st.booleans(), min_size=7, max_size=7))
def test_pieces_cover_the_overlapped_land_once(rects, flags):
    fp = np.array(rects, dtype=object)
    relevant = np.array(flags[: len(rects)])
    relevant[0] = True
    overlaps = overlapping_pairs(fp, relevant, 0.0)
    pieces = partition(fp, overlaps, relevant, 0.0)
    pairwise = [
        shapely.intersection(fp[a], fp[b])
        for a, b in itertools.combinations(range(len(fp)), 2)
        if (relevant[a] or relevant[b]) and shapely.intersection(fp[a], fp[b]).area > 0
    ]
    land = shapely.union_all(pairwise).area if pairwise else 0.0
    assert abs(pieces.area_m2.sum() - land) < 1e-9
    # pieces do not overlap each other
    assert abs(shapely.union_all(pieces.geometry).area - pieces.area_m2.sum()) < 1e-9
    # each pair's overlap is exactly the pieces it covers
    for p in range(len(overlaps)):
        covered = pieces.area_m2[pieces.piece[pieces.pair == p]].sum()
        assert abs(covered - overlaps.area_m2[p]) < 1e-9
