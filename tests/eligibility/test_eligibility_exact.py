"""The kernel against GEOS and the exact vector reference (shapely buffer/union/difference)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from ruimte.analysis.eligibility import (
    ELIGIBLE,
    EXCLUDED,
    OUTSIDE,
    EligibilityProblem,
    FeatureLayer,
    Grid,
    compute_eligibility,
    vector_eligible_area,
)
from ruimte.analysis.eligibility.exact import centres_inside, centres_within


def _generated(seed: int, size: float = 6000.0):
    """Clustered points, roads, polygons (some holed) and a line network, in RD-like metres."""
    rng = np.random.default_rng(seed)
    x0, y0 = 150_000.0, 450_000.0
    towns = rng.uniform(0, size, (4, 2))
    pts = (towns[rng.integers(0, 4, 120)] + rng.normal(0, 250, (120, 2))).clip(0, size)
    buildings = shapely.buffer(shapely.points(pts + (x0, y0)), 6, quad_segs=1, cap_style="square")
    roads = shapely.linestrings(rng.uniform(0, size, (8, 3, 2)) + (x0, y0))
    blobs = shapely.buffer(
        shapely.points(rng.uniform(0, size, (6, 2)) + (x0, y0)),
        rng.uniform(150, 700, 6),
        quad_segs=2,
    )
    holes = shapely.buffer(shapely.centroid(blobs[:2]), 60)
    blobs[:2] = shapely.difference(blobs[:2], holes)
    area = shapely.Polygon(
        [(x0, y0), (x0 + size, y0 + 300), (x0 + size - 200, y0 + size), (x0 + 100, y0 + size - 400)]
    )
    layers = (
        FeatureLayer(buildings, 400.0),
        FeatureLayer(roads, 100.0),
        FeatureLayer(blobs, 0.0),
        FeatureLayer(roads[:3], 0.0),
    )
    return area, layers


def _brute_force(problem: EligibilityProblem) -> np.ndarray:
    """GEOS asked about every cell centre: the definition the kernel must match."""
    g = problem.grid
    xs, ys = g.centres((0, g.rows, 0, g.cols))
    pts = shapely.points(*np.meshgrid(xs, ys))
    inside = shapely.intersects(problem.area[0], pts)
    hit = np.zeros(pts.shape, dtype=bool)
    for layer in problem.exclude:
        for geom in layer.geoms:
            if layer.buffer_m > 0:
                hit |= shapely.dwithin(geom, pts, layer.buffer_m)
            elif geom.geom_type in ("Polygon", "MultiPolygon"):
                hit |= shapely.intersects(geom, pts)
    out = np.where(inside & ~hit, ELIGIBLE, EXCLUDED).astype(np.uint8)
    out[~inside] = OUTSIDE
    return out


def test_single_point_buffer_counts_cells_by_hand():
    grid = Grid(0.0, 100.0, 10.0, 10, 10)
    # centres at 5, 15, ..., 95; the point at (50, 50) with 20 m reaches the 12 centres
    # (45|55, 45|55), (45|55, 35|65), (35|65, 45|55): 4 + 4 + 4
    mask = centres_within(np.array([shapely.Point(50, 50)]), 20.0, grid, (0, 10, 0, 10))
    assert int(mask.sum()) == 12
    assert mask[4:6, 4:6].all() and not mask[3, 3]  # (35, 65) is 21.2 m away


def test_straight_road_strip_is_exact():
    # A 10 km square, one road straight across at y = 5000 with 100 m on each side.
    area = shapely.box(0, 0, 10_000, 10_000)
    road = FeatureLayer(np.array([shapely.LineString([(-50, 5000), (10_050, 5000)])]), 100.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), (road,))
    codes = compute_eligibility(problem, chunk=128)
    assert (codes == ELIGIBLE).sum() * 625 == 10_000 * 10_000 - 200 * 10_000  # 98 km² exactly


def test_circle_within_tolerance_of_pi_r_squared():
    area = shapely.box(0, 0, 4000, 4000)
    point = FeatureLayer(np.array([shapely.Point(2003.7, 1991.2)]), 1500.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, 10.0), np.array([area]), (point,))
    eligible = (compute_eligibility(problem) == ELIGIBLE).sum() * 100.0
    exact = 16e6 - math.pi * 1500**2
    assert abs(eligible - exact) / exact < 5e-4


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("resolution", [50.0, 20.0])
def test_every_cell_matches_geos(seed, resolution):
    area, layers = _generated(seed, size=3000.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, resolution), np.array([area]), layers)
    codes = compute_eligibility(problem, chunk=37)  # odd chunks: halos cross every edge
    np.testing.assert_array_equal(codes, _brute_force(problem))


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_area_within_0_05_percent_of_vector_reference(seed):
    area, layers = _generated(seed)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), layers)
    eligible = float((compute_eligibility(problem) == ELIGIBLE).sum()) * 625.0
    reference = vector_eligible_area(area, layers)
    assert 0.2 * area.area < reference < 0.9 * area.area  # a case that tests something
    assert abs(eligible - reference) / reference < 5e-4


def test_chunking_does_not_change_the_answer():
    area, layers = _generated(7)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), layers)
    whole = compute_eligibility(problem, chunk=4096, scheduler="sync")
    np.testing.assert_array_equal(whole, compute_eligibility(problem, chunk=50))


def test_distributed_cluster_gives_identical_result():
    distributed = pytest.importorskip("distributed")
    area, layers = _generated(8, size=3000.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), layers)
    local = compute_eligibility(problem, chunk=40)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            remote = compute_eligibility(problem, chunk=40, scheduler=client)
    np.testing.assert_array_equal(local, remote)


def test_inside_handles_holes_and_multipolygons():
    grid = Grid(0.0, 100.0, 10.0, 10, 10)
    ring = shapely.box(10, 10, 90, 90).difference(shapely.box(30, 30, 70, 70))
    multi = shapely.MultiPolygon([shapely.box(0, 0, 10, 10), shapely.box(90, 90, 100, 100)])
    mask = centres_inside(np.array([ring, multi]), grid, (0, 10, 0, 10))
    assert int(mask.sum()) == 64 - 16 + 2
    assert not mask[5, 5] and mask[1, 1] and mask[9, 0] and mask[0, 9]


@pytest.mark.parametrize("max_pairs", [1, 300, 4_000_000])
def test_near_tests_agree_with_geos_in_any_slicing(monkeypatch, max_pairs):
    """The band's distance tests give GEOS's answer however the geometries are sliced."""
    from ruimte.analysis.eligibility import exact

    monkeypatch.setattr(exact, "_MAX_PAIRS", max_pairs)
    rng = np.random.default_rng(3)
    centres = rng.uniform(0, 300, (2000, 2))
    segs = rng.uniform(0, 300, (40, 4))
    points = rng.uniform(0, 300, (200, 2))
    here = shapely.points(centres)[:, None]
    lines = shapely.linestrings(segs.reshape(-1, 2, 2))[None, :]
    near_lines = shapely.dwithin(lines, here, 12.5).any(axis=1)
    near_points = shapely.dwithin(shapely.points(points)[None, :], here, 12.5).any(axis=1)
    assert 0.05 < near_lines.mean() < 0.95 and 0.05 < near_points.mean() < 0.95
    assert (exact._near_segments(segs, centres, 12.5, 10.0) == near_lines).all()
    assert (exact._near_points(points, centres, 12.5, 10.0) == near_points).all()
