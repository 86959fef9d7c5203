"""The cover: eligible sub-points per cell, against GEOS asked about every sub-point."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from ruimte.analysis.eligibility import (
    ELIGIBLE,
    OUTSIDE,
    EligibilityProblem,
    FeatureLayer,
    Grid,
    compute_eligibility,
    eligible_area_m2,
)
from ruimte.analysis.eligibility.coverage import settle_cover
from ruimte.analysis.eligibility.kernel import packed_window, unpack, windows
from ruimte.analysis.eligibility.subcells import FULL, OFFSETS, SUB, popcount

from .test_eligibility_exact import _generated


def _brute_cover(problem: EligibilityProblem) -> np.ndarray:
    """Eligible sub-points per cell by GEOS on every sub-point (distance rules only).

    The analysis area is decided by the cell centre (as the kernel does); each
    of the FULL sub-points is tested with ``dwithin`` against every feature.
    """
    g = problem.grid
    xs, ys = g.centres((0, g.rows, 0, g.cols))
    cx, cy = np.meshgrid(xs, ys)
    inside = shapely.intersects_xy(problem.area[0], cx, cy)
    count = np.zeros(cx.shape, dtype=np.int64)
    for dx, dy in OFFSETS * g.resolution:
        pts = shapely.points(cx + dx, cy + dy)
        hit = np.zeros(cx.shape, dtype=bool)
        for layer in problem.exclude:
            union = shapely.union_all(layer.geoms)
            hit |= shapely.dwithin(union, pts, layer.buffer_m)
        count += ~hit
    return np.where(inside, count, 0)


def _distance_layers(seed: int, size: float):
    area, layers = _generated(seed, size)
    return area, tuple(layer for layer in layers if layer.buffer_m > 0)


@pytest.mark.parametrize("seed, resolution", [(1, 25.0), (2, 20.0)])
def test_cover_equals_geos_on_every_sub_point(seed, resolution):
    """Points, lines and polygons with buffers: the cover is GEOS's count, cell by cell."""
    area, layers = _distance_layers(seed, 2500.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, resolution), np.array([area]), layers)
    codes, cover = compute_eligibility(problem, cover=True, chunk=37)
    expected = _brute_cover(problem)
    partial = (expected > 0) & (expected < FULL)
    assert partial.sum() > 150  # the case has many edge cells
    np.testing.assert_array_equal(cover, expected)
    # and the map is the centres' map, with or without the cover
    np.testing.assert_array_equal(codes, compute_eligibility(problem, chunk=37))


def test_cover_is_the_same_in_any_chunking_and_on_one_thread():
    area, layers = _generated(7, 3000.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), layers)
    codes, cover = compute_eligibility(problem, cover=True, chunk=4096, scheduler="sync")
    for chunk in (33, 256):
        other_codes, other_cover = compute_eligibility(problem, cover=True, chunk=chunk)
        np.testing.assert_array_equal(codes, other_codes)
        np.testing.assert_array_equal(cover, other_cover)
    # eligible centres of cells that no buffer's edge crosses count whole, excluded ones not
    assert set(np.unique(cover[codes == OUTSIDE]).tolist()) == {0}
    assert (cover[codes == ELIGIBLE] > 0).all()


def test_distributed_cluster_gives_the_same_cover():
    distributed = pytest.importorskip("distributed")
    area, layers = _generated(8, size=2000.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), layers)
    local = compute_eligibility(problem, chunk=40, cover=True)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            remote = compute_eligibility(problem, chunk=40, scheduler=client, cover=True)
    np.testing.assert_array_equal(local[0], remote[0])
    np.testing.assert_array_equal(local[1], remote[1])


def test_disc_area_from_sub_points_is_closer_to_pi_r_squared_than_the_cells():
    """One point, 400 m, at 8 random places: sub-points leave a fraction of the cells' error.

    By hand: the disc's edge crosses about 2πr / 25 m ≈ 100 cells; counted by
    their centres the error is a few cells (625 m² each), by 4 x 4 sub-points
    a few sub-cells (39 m² each). A disc centred on a lattice point errs more
    (lattice points in a circle), so the places are random.
    """
    r = 400.0
    area = shapely.box(0, 0, 2000, 2000)
    grid = Grid.covering(area.bounds, 25.0)
    truth = 4e6 - math.pi * r * r
    refined_errors, cell_errors = [], []
    for centre in np.random.default_rng(0).uniform(900, 1100, (8, 2)):
        layer = FeatureLayer(np.array([shapely.Point(*centre)]), r)
        problem = EligibilityProblem(grid, np.array([area]), (layer,))
        codes, cover = compute_eligibility(problem, cover=True)
        refined_errors.append(abs(eligible_area_m2(cover, grid) - truth))
        cell_errors.append(abs(float((codes == ELIGIBLE).sum()) * grid.cell_area_m2 - truth))
    assert max(refined_errors) < 1e-3 * math.pi * r * r  # < 503 m², under one cell
    assert sum(refined_errors) < 0.25 * sum(cell_errors)


def test_straight_strip_has_the_exact_area():
    """A road along a row of sub-points' midlines: its 100 m strip covers exact sub-cells."""
    area = shapely.box(0, 0, 1000, 1000)
    grid = Grid.covering(area.bounds, 25.0)
    road = shapely.LineString([(-500, 510.0), (1500, 510.0)])
    problem = EligibilityProblem(grid, np.array([area]), (FeatureLayer(np.array([road]), 100.0),))
    codes, cover = compute_eligibility(problem, cover=True)
    # excluded: y in [410, 610]; sub-point rows every 25/SUB m from 25/(2 SUB)
    rows = np.arange(0, 1000, 25.0 / SUB) + 25.0 / (2 * SUB)
    kept = ((rows < 410.0) | (rows > 610.0)).sum()
    assert eligible_area_m2(cover, grid) == pytest.approx(kept * (25.0 / SUB) * 1000.0)


def test_settled_cover_keeps_only_eligible_land_and_its_edges():
    codes = np.array([[1, 1, 0, 0, 0], [0, 0, 0, 0, 1]], dtype=np.uint8)
    cover = np.array([[16, 12, 5, 3, 0], [2, 1, 0, 9, 11]], dtype=np.uint8)
    dropped = np.zeros(codes.shape, dtype=bool)
    dropped[1, 4] = True  # a small area that was dropped (its code is now excluded)
    codes[1, 4] = 0
    out = settle_cover(cover.copy(), codes, dropped)
    # next to the kept area: (0,2), (1,0), (1,1), (1,2); (0,3), (1,3) border only the dropped cell
    assert out.tolist() == [[16, 12, 5, 0, 0], [2, 1, 0, 0, 0]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=50))
def test_popcount_counts_bits(values):
    bits = np.array(values, dtype=np.uint16)
    assert popcount(bits).tolist() == [bin(v).count("1") for v in values]


def test_packed_windows_unpack_to_codes_and_cover():
    area, layers = _generated(4, 1500.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), layers)
    codes, cover = compute_eligibility(problem, cover=True, scheduler="sync")
    for window in windows(problem.grid, 23):
        r0, r1, c0, c1 = window
        got_codes, got_cover = unpack(packed_window(problem, window))
        np.testing.assert_array_equal(got_codes, codes[r0:r1, c0:c1])
        np.testing.assert_array_equal(got_cover, cover[r0:r1, c0:c1])
