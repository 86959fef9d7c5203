"""The kernel's building blocks against independent computations (scipy's EDT, GEOS)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from scipy import ndimage

from ruimte.analysis.eligibility import (
    ELIGIBLE,
    EXCLUDED,
    EligibilityProblem,
    FeatureLayer,
    Grid,
    compute_eligibility,
)
from ruimte.analysis.eligibility.features import Features
from ruimte.analysis.eligibility.marks import densify, near_marks


@pytest.mark.parametrize(
    ("density", "inner", "outer", "halo"),
    [
        (0.02, 5.3, 7.9, 9),  # small radii: int16 sums
        (0.0005, 140.2, 141.6, 143),  # large radii: int32 sums
        (0.01, -0.4, 1.2, 3),  # no centre is surely within a negative radius
        (0.0, 2.0, 3.0, 4),  # no marks at all
    ],
)
def test_near_marks_equals_thresholded_edt(
    density: float, inner: float, outer: float, halo: int
) -> None:
    rng = np.random.default_rng(11)
    marks = rng.random((300 + 2 * halo, 257 + 2 * halo)) < density
    marks[halo + 17, halo + 40] = density > 0  # at least one mark inside the window
    dist = ndimage.distance_transform_edt(~marks)[halo:-halo, halo:-halo]
    if not marks.any():
        dist = np.full(dist.shape, np.inf)
    sure, near = near_marks(marks, halo, inner, outer)
    np.testing.assert_array_equal(sure, dist < inner)
    np.testing.assert_array_equal(near, dist <= outer)


def test_near_marks_rejects_a_halo_within_reach() -> None:
    with pytest.raises(ValueError, match="halo"):
        near_marks(np.zeros((10, 10), dtype=bool), 2, 1.0, 2.5)


def test_densify_keeps_every_point_within_half_the_spacing() -> None:
    segs = np.array([[0.0, 0.0, 100.0, 37.0], [5.0, 5.0, 5.0, 5.0], [-3.0, 8.0, -3.0, -90.0]])
    pts = densify(segs, 7.0)
    probes = shapely.line_interpolate_point(
        shapely.linestrings(segs.reshape(-1, 2, 2))[:, None],
        np.linspace(0, 1, 501)[None, :],
        normalized=True,
    ).ravel()
    nearest = shapely.distance(probes[:, None], shapely.points(pts)[None, :]).min(axis=1)
    assert nearest.max() <= 3.5 + 1e-9
    assert len(pts) == 16 + 1 + 14 + 3  # ceil(106.6/7), 1, ceil(98/7) pieces plus the 3 ends


def test_features_take_apart_every_geometry_type() -> None:
    geoms = np.array(
        [
            shapely.Point(1, 1),
            shapely.MultiPoint([(2, 2), (3, 3)]),
            shapely.LineString([(0, 0), (10, 0), (10, 5)]),
            shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2)),  # 4 + 4 ring segments
            shapely.GeometryCollection([shapely.Point(9, 9), shapely.box(20, 20, 21, 21)]),
            shapely.Polygon(),
            None,
        ],
        dtype=object,
    )
    f = Features.of(geoms)
    assert sorted(map(tuple, f.points.tolist())) == [(1, 1), (2, 2), (3, 3), (9, 9)]
    assert len(f.lines) == 2 and len(f.rings) == 12 and len(f.polygons) == 2
    near = f.within((8.5, 8.5, 30.0, 30.0))
    assert near.points.tolist() == [[9.0, 9.0]] and len(near.polygons) == 1
    assert len(near.rings) == 4 and len(near.lines) == 0


def test_mixed_geometry_types_match_geos_cell_by_cell() -> None:
    """Multi-parts and collections, some buffered layers sharing a distance (tested as one)."""
    x0, y0 = 120_000.0, 480_000.0
    rng = np.random.default_rng(5)
    pts = rng.uniform(0, 3000, (40, 2)) + (x0, y0)
    collection = shapely.GeometryCollection(
        [
            shapely.Point(x0 + 2500, y0 + 500),
            shapely.LineString([(x0 + 100, y0 + 2900), (x0 + 900, y0 + 2100)]),
            shapely.box(x0 + 1800, y0 + 1800, x0 + 2600, y0 + 2700),
        ]
    )
    layers = (
        FeatureLayer(np.array([shapely.MultiPoint(pts[:20]), *shapely.points(pts[20:])]), 150.0),
        FeatureLayer(np.array([collection]), 150.0),
        FeatureLayer(
            np.array(
                [
                    shapely.MultiPolygon(
                        [
                            shapely.box(x0 + 300, y0 + 300, x0 + 1400, y0 + 1200),
                            shapely.box(x0 + 2000, y0 + 100, x0 + 2200, y0 + 300),
                        ]
                    ).difference(shapely.box(x0 + 600, y0 + 600, x0 + 900, y0 + 900))
                ]
            ),
            40.0,
        ),
    )
    area = shapely.box(x0, y0, x0 + 3000, y0 + 3000)
    problem = EligibilityProblem(Grid.covering(area.bounds, 20.0), np.array([area]), layers)
    codes = compute_eligibility(problem, chunk=45, scheduler="sync")
    xs, ys = problem.grid.centres((0, problem.grid.rows, 0, problem.grid.cols))
    centres = shapely.points(*np.meshgrid(xs, ys))
    hit = np.zeros(centres.shape, dtype=bool)
    for layer in layers:
        for geom in layer.geoms:
            hit |= shapely.dwithin(geom, centres, layer.buffer_m)
    expected = np.where(hit, EXCLUDED, ELIGIBLE)
    assert 0.1 < (expected == ELIGIBLE).mean() < 0.9  # a case that tests something
    np.testing.assert_array_equal(codes, expected)


def test_chunks_deep_inside_a_buffered_polygon_are_within_it() -> None:
    """A chunk whose halo sees no boundary still lies inside the polygon (distance 0)."""
    x0, y0 = 150_000.0, 420_000.0
    park = shapely.box(x0 + 200, y0 + 200, x0 + 5800, y0 + 5800).difference(
        shapely.Point(x0 + 3000, y0 + 3000).buffer(400)
    )
    area = shapely.box(x0, y0, x0 + 6000, y0 + 6000)
    layer = FeatureLayer(np.array([park]), 50.0)
    problem = EligibilityProblem(Grid.covering(area.bounds, 25.0), np.array([area]), (layer,))
    codes = compute_eligibility(problem, chunk=16)  # 400 m chunks, most far from any edge
    xs, ys = problem.grid.centres((0, problem.grid.rows, 0, problem.grid.cols))
    hit = shapely.dwithin(park, shapely.points(*np.meshgrid(xs, ys)), 50.0)
    np.testing.assert_array_equal(codes, np.where(hit, EXCLUDED, ELIGIBLE))
    assert 0.02 < (codes == ELIGIBLE).mean() < 0.2
