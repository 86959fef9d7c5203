# SPDX-License-Identifier: Apache-2.0
"""Geometry repair and multi-part promotion."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely import LineString, MultiPolygon, Point, Polygon

from ruimte.workspace import repair
from ruimte.workspace.repair import RepairReport, promote_to_multi, repair_geometries

RD = "EPSG:28992"
# Named standard geometries (after shapely tests/common.py).
BOWTIE = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # self-intersecting: two triangles of area 1
SPIKE = shapely.from_wkt("POLYGON ((0 0, 4 0, 4 4, 2 4, 2 6, 2 4, 0 4, 0 0))")  # area 16
COLLAPSED = shapely.from_wkt("POLYGON ((0 0, 1 0, 2 0, 0 0))")  # zero area
SQUARE = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
HOLED = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], holes=[[(2, 2), (4, 2), (4, 4), (2, 4)]])
SQUARE_Z = Polygon([(0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 1, 1)])


def frame(geoms, **cols):
    return gpd.GeoDataFrame({"id": list(range(len(geoms))), **cols}, geometry=geoms, crs=RD)


def test_bowtie_becomes_two_triangles():
    fixed, report = repair_geometries(frame([BOWTIE]))
    geom = fixed.geometry.iloc[0]
    assert geom.is_valid
    assert geom.geom_type == "MultiPolygon"
    assert len(geom.geoms) == 2
    assert [g.area for g in geom.geoms] == [1.0, 1.0]  # by hand: two triangles of 2 x 1 / 2
    assert geom.area == 2.0
    assert report == RepairReport(1, 1, 0, 0, [])


def test_valid_geometries_are_untouched():
    gdf = frame([SQUARE, HOLED, SQUARE_Z])
    fixed, report = repair_geometries(gdf)
    assert shapely.equals_exact(fixed.geometry.values, gdf.geometry.values, tolerance=0).all()
    assert fixed.geometry.iloc[2].has_z
    assert not report.changed and report.n_kept == 3


def test_null_and_empty_are_dropped_and_counted():
    gdf = frame([SQUARE, None, Polygon(), BOWTIE, COLLAPSED, HOLED], naam=list("abcdef"))
    fixed, report = repair_geometries(gdf)
    assert report.n_features == 6
    assert report.n_null_dropped == 1
    assert report.n_empty_dropped == 2  # the empty one and the collapsed one
    assert report.n_invalid_repaired == 1
    assert report.dropped_rows == [1, 2, 4]
    assert report.n_kept == 3 == len(fixed)
    assert fixed["naam"].tolist() == ["a", "d", "f"]
    assert fixed.index.tolist() == [0, 3, 5]  # original labels kept for tracing
    assert fixed.crs == gdf.crs
    assert fixed.geometry.is_valid.all()


def test_input_is_not_mutated():
    gdf = frame([BOWTIE, None, SQUARE])
    before = gdf.copy()
    repair_geometries(gdf)
    assert gdf.geometry.iloc[0].equals_exact(BOWTIE, 0)
    assert len(gdf) == 3
    assert_geodataframe_equal(gdf, before)


def test_polygon_layer_stays_polygonal():
    fixed, _ = repair_geometries(frame([SPIKE, SQUARE]))
    assert set(fixed.geom_type) == {"Polygon"}
    assert fixed.geometry.iloc[0].area == 16.0


def test_collections_from_linework_keep_only_polygons(monkeypatch):
    """With GEOS's "linework" method, a spike becomes Polygon + LineString."""
    monkeypatch.setattr(repair, "_make_valid", lambda g: shapely.make_valid(g, method="linework"))
    assert shapely.make_valid(SPIKE, method="linework").geom_type == "GeometryCollection"
    fixed, report = repair_geometries(frame([SPIKE, BOWTIE]))
    assert fixed.geom_type.tolist() == ["Polygon", "MultiPolygon"]
    assert fixed.area.tolist() == [16.0, 2.0]
    assert report.n_invalid_repaired == 2


def test_collapsed_line_is_dropped():
    gdf = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (0, 0)]), LineString([(0, 0), (1, 1)])])
    fixed, report = repair_geometries(gdf)
    assert fixed.geom_type.tolist() == ["LineString"]
    assert report.dropped_rows == [0] and report.n_empty_dropped == 1


def test_empty_frame():
    fixed, report = repair_geometries(frame([]))
    assert len(fixed) == 0 and report == RepairReport(0, 0, 0, 0, [])


def test_promote_mixed_polygons_to_multi():
    multi = MultiPolygon([SQUARE, Polygon([(5, 5), (6, 5), (6, 6)])])
    gdf = frame([SQUARE, multi, None])
    out = promote_to_multi(gdf)
    assert out.geom_type.tolist()[:2] == ["MultiPolygon", "MultiPolygon"]
    assert out.geometry.iloc[2] is None
    assert out.geometry.iloc[0].area == SQUARE.area
    assert gdf.geom_type.tolist()[0] == "Polygon"  # input untouched


def test_promote_keeps_single_type_layers():
    gdf = frame([SQUARE, HOLED])
    assert promote_to_multi(gdf).geom_type.tolist() == ["Polygon", "Polygon"]


@pytest.mark.parametrize(
    ("single", "multi", "expected"),
    [
        (Point(0, 0), shapely.multipoints([Point(1, 1), Point(2, 2)]), "MultiPoint"),
        (
            LineString([(0, 0), (1, 1)]),
            shapely.multilinestrings([LineString([(2, 2), (3, 3)])]),
            "MultiLineString",
        ),
    ],
)
def test_promote_points_and_lines(single, multi, expected):
    assert set(promote_to_multi(frame([single, multi])).geom_type) == {expected}


def test_repair_then_promote_gives_one_type():
    fixed, _ = repair_geometries(frame([BOWTIE, SQUARE]))
    assert set(promote_to_multi(fixed).geom_type) == {"MultiPolygon"}
