# SPDX-License-Identifier: Apache-2.0
"""Small hand-checkable grid models for the tests."""

from __future__ import annotations

import geopandas as gpd
from shapely import LineString, Point

from ruimte.analysis.grid.network import GridModel
from ruimte.analysis.grid.network_import import model_from_frames

CRS = "EPSG:28992"


def substations(rows: list[dict]) -> gpd.GeoDataFrame:
    """Substations from dicts with x, y and attributes."""
    geoms = [Point(r.pop("x"), r.pop("y")) for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)


def lines(rows: list[dict]) -> gpd.GeoDataFrame:
    """Lines from dicts with coords and attributes."""
    geoms = [LineString(r.pop("coords")) for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)


def two_station_model(*, with_line: bool = True, vertex_at_m: float | None = None) -> GridModel:
    """Return a 150/20 kV station at (0, 0) feeding a 20/10 kV station at (10 km, 0).

    A (150/20): 100 MVA, load 50, feed-in 40. B (20/10): 20 MVA, load 10, feed-in 8.
    """
    subs = substations(
        [
            dict(x=0, y=0, substation_id="A", name="Alpha", voltage_kv="150/20",
                 capacity_mva=100.0, peak_load_mw=50.0, peak_feedin_mw=40.0),
            dict(x=10_000, y=0, substation_id="B", name="Beta", voltage_kv="20/10",
                 capacity_mva=20.0, peak_load_mw=10.0, peak_feedin_mw=8.0),
        ]
    )  # fmt: skip
    coords = (
        [(0, 0), (10_000, 0)] if vertex_at_m is None else [(0, 0), (vertex_at_m, 0), (10_000, 0)]
    )
    ln = lines([dict(coords=coords, name="A-B", voltage_kv=20, circuits=1)])
    return model_from_frames(subs, ln if with_line else None, crs=CRS)
