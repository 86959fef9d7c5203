"""Minimum area, polygons and area per region."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from ruimte.analysis.eligibility import ELIGIBLE, Grid
from ruimte.analysis.eligibility.components import (
    area_per_region,
    drop_small_areas,
    eligible_polygons,
)


def test_min_area_keeps_only_large_areas():
    grid = Grid(0.0, 1000.0, 25.0, 40, 40)  # 625 m² cells; 1 ha = 16 cells
    codes = np.zeros((40, 40), dtype=np.uint8)
    codes[0:4, 0:4] = ELIGIBLE  # 16 cells = 1 ha: kept
    codes[10:13, 10:15] = ELIGIBLE  # 15 cells: dropped
    codes[20, 20] = codes[21, 21] = ELIGIBLE  # diagonal neighbours are separate areas
    out = drop_small_areas(codes.copy(), grid, 1.0)
    assert (out == ELIGIBLE).sum() == 16
    assert (out[0:4, 0:4] == ELIGIBLE).all()


def test_polygons_cover_exactly_the_eligible_cells():
    grid = Grid(500.0, 800.0, 10.0, 30, 30)
    rng = np.random.default_rng(0)
    codes = (rng.random((30, 30)) < 0.5).astype(np.uint8)
    polys = eligible_polygons(codes, grid, "EPSG:28992")
    assert np.isclose(polys["area_ha"].sum() * 1e4, (codes == ELIGIBLE).sum() * 100.0)
    assert polys.crs.to_epsg() == 28992
    assert shapely.union_all(polys.geometry.values).area == polys.area.sum()  # no overlaps


def test_area_per_region_counts_cell_centres():
    grid = Grid(0.0, 100.0, 10.0, 10, 10)
    codes = np.full((10, 10), ELIGIBLE, dtype=np.uint8)
    codes[:, 0] = 0
    codes[9, :] = 255  # outside the analysis area
    regions = gpd.GeoDataFrame(
        {"code": ["W", "E"], "name": ["w", "e"], "level": ["municipality"] * 2},
        geometry=[shapely.box(0, 0, 50, 100), shapely.box(50, 0, 100, 100)],
    )
    table = area_per_region(codes, grid, regions).set_index("region_code")
    # W: 5 columns x 9 analysed rows = 45 cells, of which column 0 (9 cells) excluded
    assert np.isclose(table.loc["W", "analysed_km2"], 45 * 100 / 1e6)
    assert np.isclose(table.loc["W", "eligible_km2"], 36 * 100 / 1e6)
    assert np.isclose(table.loc["E", "eligible_share"], 1.0)


def test_overlapping_regions_of_one_level_share_out_their_cells():
    """Real boundaries overlap: a cell counts once per level, and the overlap is reported.

    By hand: a 2 × 1 km province on 10 m cells, all eligible; municipality A
    reaches 100 m into B (0.1 km²). A keeps the overlap (listed first), B gets
    the rest, and the municipalities add up to the province's 2.0 km².
    """
    from ruimte.analysis.eligibility.components import area_per_region
    from ruimte.analysis.eligibility.coverage import FULL

    grid = Grid(0.0, 1000.0, 10.0, 100, 200)
    codes = np.ones(grid.shape, dtype=np.uint8)
    cover = np.full(grid.shape, FULL, dtype=np.uint8)
    regions = gpd.GeoDataFrame(
        {
            "code": ["PV", "A", "B"],
            "name": ["province", "a", "b"],
            "level": ["province", "municipality", "municipality"],
        },
        geometry=[
            shapely.box(0, 0, 2000, 1000),
            shapely.box(0, 0, 1100, 1000),
            shapely.box(1000, 0, 2000, 1000),
        ],
    )
    table = area_per_region(codes, grid, regions, cover).set_index("region_code")
    assert table.loc["PV", "eligible_km2"] == pytest.approx(2.0)
    assert table.loc["A", "eligible_km2"] == pytest.approx(1.1)
    assert table.loc["B", "eligible_km2"] == pytest.approx(0.9)
    assert table.loc["B", "analysed_km2"] == pytest.approx(0.9)
    assert table.attrs["overlap_km2"] == {"municipality": pytest.approx(0.1)}
