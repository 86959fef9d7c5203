# SPDX-License-Identifier: Apache-2.0
"""Turbines to scale as small polygons with a base and a top height (for a 3D map).

A tower is a 16-sided prism from the ground to the hub; the rotor is a disc
of the rotor diameter centred on the hub, facing the prevailing wind, drawn
as ``slices`` stacked slabs each as wide as the disc at its height (MapLibre
fill-extrusion draws prisms only).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["turbine_prisms"]


def turbine_prisms(
    turbines: gpd.GeoDataFrame,
    *,
    tower_diameter_m: float,
    rotor_depth_m: float,
    slices: int,
    wind_from_deg: float,
) -> gpd.GeoDataFrame:
    """Return the prisms of each turbine: ``part``, ``base_m``, ``height_m`` and a polygon.

    Parameters
    ----------
    turbines : GeoDataFrame
        Points (metric CRS) with ``hub_height_m`` and ``rotor_m`` (as
        :func:`~ruimte.analysis.nuisance.inputs.scenario_turbines` gives them).
    tower_diameter_m, rotor_depth_m : float
    slices : int
        Slabs per rotor disc.
    wind_from_deg : float
        Prevailing wind direction (from, degrees clockwise from north): the
        rotor faces it.

    Returns
    -------
    GeoDataFrame
        One row per prism, with the turbine's other columns.

    Examples
    --------
    >>> t = gpd.GeoDataFrame({"hub_height_m": [100.0], "rotor_m": [80.0]},
    ...                      geometry=[shapely.Point(0, 0)], crs=28992)
    >>> p = turbine_prisms(t, tower_diameter_m=4, rotor_depth_m=2, slices=4, wind_from_deg=270)
    >>> p[["part", "base_m", "height_m"]].values.tolist()[:2]
    [['tower', 0.0, 100.0], ['rotor', 60.0, 80.0]]
    >>> round(p.geometry.iloc[1].bounds[3] - p.geometry.iloc[1].bounds[1], 1)  # disc width there
    69.3
    """
    a = math.radians(wind_from_deg)
    n = np.array([math.sin(a), math.cos(a)])  # towards the wind, map x east, y north
    u = np.array([n[1], -n[0]])  # along the rotor plane
    rows = []
    base = turbines.drop(columns=turbines.geometry.name)
    edges = np.linspace(-1.0, 1.0, slices + 1)
    for k, (point, hub, rotor) in enumerate(
        zip(turbines.geometry, turbines["hub_height_m"], turbines["rotor_m"], strict=True)
    ):
        attrs = base.iloc[k].to_dict()
        rows.append({**attrs, "part": "tower", "base_m": 0.0, "height_m": float(hub),
                     "geometry": point.buffer(tower_diameter_m / 2.0, quad_segs=4)})  # fmt: skip
        r = float(rotor) / 2.0
        c = np.array([point.x, point.y])
        for lo, hi in zip(edges[:-1], edges[1:], strict=True):
            mid = 0.0 if lo < 0 < hi else min(abs(lo), abs(hi))
            half = r * math.sqrt(max(0.0, 1.0 - mid**2))  # the disc's widest chord in the slab
            corners = [c + s * half * u + t * rotor_depth_m / 2.0 * n
                       for s, t in ((-1, -1), (1, -1), (1, 1), (-1, 1))]  # fmt: skip
            rows.append({**attrs, "part": "rotor", "base_m": float(hub) + lo * r,
                         "height_m": float(hub) + hi * r,
                         "geometry": shapely.Polygon(corners)})  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=turbines.crs)
