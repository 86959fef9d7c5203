# SPDX-License-Identifier: Apache-2.0
"""A generated stack: k straight high-voltage corridors through one point, parcels, search areas.

Shared by the overlay tests and ``benchmarks/overlay.py``. Around one centre
(RD New): ``k`` straight 4 km ``hv_line`` lines at evenly spread angles (each
its own dataset, so none is dissolved with another), a square grid of touching
``arable_farming`` parcels over 4 km x 4 km, and ``claims`` overlapping discs
(search areas) of four functions, every one over the centre. Near the centre
every corridor covers the same land: the sets of footprints that overlap there
number 2^k, the faces of their arrangement about k^2.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

RD = "EPSG:28992"
CENTRE = (150_000.0, 450_000.0)
HALF_M = 2_000.0
CLAIM_FUNCTIONS = ("solar_field", "housing", "nature_reserve", "business_park")


def corridors(k: int) -> np.ndarray:
    """Return ``k`` straight lines of 4 km through the centre at evenly spread angles."""
    angle = np.pi * (np.arange(k) + 0.37) / k
    d = np.stack([np.cos(angle), np.sin(angle)], axis=1) * HALF_M
    c = np.array(CENTRE)
    return shapely.linestrings(np.stack([c - d, c + d], axis=1))


def parcels(n: int) -> np.ndarray:
    """Return about ``n`` touching square parcels on the 4 km x 4 km square around the centre."""
    side = int(np.ceil(np.sqrt(n)))
    cell = 2 * HALF_M / side
    ij = np.arange(side * side)
    x = CENTRE[0] - HALF_M + (ij % side) * cell
    y = CENTRE[1] - HALF_M + (ij // side) * cell
    return shapely.box(x, y, x + cell, y + cell)


def search_areas(n: int, seed: int = 13) -> gpd.GeoDataFrame:
    """Return ``n`` overlapping discs of 300-1,500 m, each over the centre, as claims."""
    rng = np.random.default_rng(seed)
    radius = rng.uniform(300, 1_500, n)
    offset = rng.uniform(-0.8, 0.8, (n, 2)) * radius[:, None] / np.sqrt(2)
    centres = shapely.points(np.array(CENTRE) + offset)
    return gpd.GeoDataFrame(
        {
            "claim_id": [f"Z{i:02d}" for i in range(n)],
            "function": [CLAIM_FUNCTIONS[i % len(CLAIM_FUNCTIONS)] for i in range(n)],
        },
        geometry=shapely.buffer(centres, radius, quad_segs=16),
        crs=RD,
    )


def stacked_case(
    k: int, n_parcels: int = 1_500, n_claims: int = 12
) -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    """Return the claims and the existing land use (one dataset per corridor, one of parcels)."""
    landuse = {
        f"line{i:02d}": gpd.GeoDataFrame({"function": ["hv_line"]}, geometry=[line], crs=RD)
        for i, line in enumerate(corridors(k))
    }
    plots = parcels(n_parcels)
    landuse["parcels"] = gpd.GeoDataFrame(
        {"function": ["arable_farming"] * len(plots)}, geometry=plots, crs=RD
    )
    return search_areas(n_claims), landuse
