# SPDX-License-Identifier: Apache-2.0
"""The solar ladder (zonneladder): eligible solar land by preference tier.

Tier 1 is roofs (from building footprints, no land); tiers 2.. sort every
eligible solar cell into the first tier whose selector matches: raster
classes at the cell centre, within ``edge_m`` of infrastructure, or inside
polygons (e.g. surface water). Nature is already excluded by the solar rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.analysis.eligibility.components import cells_per_region
from ruimte.analysis.eligibility.exact import centres_inside, centres_within
from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.kernel import ELIGIBLE, ClassLayer, FeatureLayer

__all__ = ["LandTier", "tier_grid", "ladder_table", "roof_area_per_region"]


@dataclass
class LandTier:
    """One land tier of the ladder and how to recognise its cells.

    Attributes
    ----------
    tier : int
    name : str
    mwp_per_ha : float
    classes : ClassLayer, optional
        Cells whose class is one of ``classes.classes``.
    edges : FeatureLayer, optional
        Cells within ``edges.buffer_m`` of these features.
    polygons : numpy.ndarray, optional
        Cells whose centre lies in these polygons.
    """

    tier: int
    name: str
    mwp_per_ha: float
    classes: ClassLayer | None = None
    edges: FeatureLayer | None = None
    polygons: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))


def tier_grid(
    codes: np.ndarray, grid: Grid, tiers: list[LandTier], *, chunk: int = 1024
) -> np.ndarray:
    """Assign each eligible cell the first tier that matches it (0: none).

    Returns
    -------
    numpy.ndarray of uint8
    """
    out = np.zeros(codes.shape, dtype=np.uint8)
    for window in grid.chunks(chunk):
        r0, r1, c0, c1 = window
        free = codes[r0:r1, c0:c1] == ELIGIBLE
        bounds = grid.window_bounds(window)
        block = out[r0:r1, c0:c1]
        for tier in tiers:
            if not free.any():
                break
            hit = np.zeros_like(free)
            if tier.classes is not None:
                hit |= tier.classes.matches(grid, window)
            if tier.edges is not None and len(tier.edges.geoms):
                near = tier.edges.near(bounds)
                hit |= centres_within(near, tier.edges.buffer_m, grid, window, free & ~hit)
            if len(tier.polygons):
                box = shapely.box(*bounds)
                polys = tier.polygons[shapely.intersects(tier.polygons, box)]
                hit |= centres_inside(polys, grid, window, free & ~hit)
            hit &= free
            block[hit] = tier.tier
            free &= ~hit
    return out


def roof_area_per_region(buildings: np.ndarray, regions: gpd.GeoDataFrame) -> np.ndarray:
    """Footprint area (m²) of the buildings whose centroid lies in each region."""
    centroids = shapely.centroid(buildings)
    areas = shapely.area(buildings)
    tree = shapely.STRtree(centroids)
    out = np.zeros(len(regions))
    for i, geom in enumerate(regions.geometry.values):
        idx = tree.query(geom, predicate="contains")
        out[i] = areas[idx].sum()
    return out


def ladder_table(
    tiers_grid: np.ndarray,
    grid: Grid,
    regions: gpd.GeoDataFrame,
    land_tiers: list[LandTier],
    *,
    roof_m2: np.ndarray,
    roof_mwp_per_ha: float,
    roof_share: float,
    roof_name: str = "roofs",
) -> pd.DataFrame:
    """Hectares and MWp per tier and region.

    Parameters
    ----------
    tiers_grid : numpy.ndarray of uint8
        From :func:`tier_grid`.
    grid : Grid
    regions : GeoDataFrame
    land_tiers : list of LandTier
    roof_m2 : numpy.ndarray
        Footprint area per region (:func:`roof_area_per_region`).
    roof_mwp_per_ha, roof_share : float
        Peak power per ha of usable roof, and the usable share of a footprint.

    Returns
    -------
    DataFrame
        ``region_code, level, tier, name, ha, mwp``.
    """
    n = max([t.tier for t in land_tiers], default=1) + 1
    counts = cells_per_region(tiers_grid, grid, regions, n)
    cell_ha = grid.cell_area_m2 / 1e4
    rows = []
    for i, region in enumerate(regions.itertuples()):
        roof_ha = roof_m2[i] * roof_share / 1e4
        rows.append((region.code, region.level, 1, roof_name, roof_ha, roof_ha * roof_mwp_per_ha))
        for t in land_tiers:
            ha = counts[i, t.tier] * cell_ha
            rows.append((region.code, region.level, t.tier, t.name, ha, ha * t.mwp_per_ha))
    return pd.DataFrame(rows, columns=["region_code", "level", "tier", "name", "ha", "mwp"])
