# SPDX-License-Identifier: Apache-2.0
"""Visibility of turbines as distance bands (no terrain, no viewshed).

A place lies in band k when its distance to the *nearest* turbine lies in
``[min_m, max_m)`` of that band: band k is the union of the turbines'
``max_m`` discs minus the union of their ``min_m`` discs. No terrain, trees
or buildings are taken into account: this is where a turbine *may* be seen,
not where it is.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy.spatial import cKDTree

__all__ = ["NOTE", "band_polygons", "nearest_distance_m", "band_of"]

#: the caveat every visibility output carries
NOTE = "distance bands only; no terrain"

FloatArray = npt.NDArray[np.float64]


def band_polygons(
    turbine_x: FloatArray,
    turbine_y: FloatArray,
    bands: pd.DataFrame,
    *,
    crs: object = None,
    quad_segs: int = 32,
) -> gpd.GeoDataFrame:
    """Return one dissolved polygon per distance band around all turbines.

    Parameters
    ----------
    turbine_x, turbine_y : array
    bands : DataFrame
        ``band``, ``min_m``, ``max_m`` (see :func:`~.settings.load_bands`).
    crs : CRS, optional
    quad_segs : int
        Segments per quarter circle of the buffers (area error below 0.1 %).

    Returns
    -------
    GeoDataFrame
        ``band``, ``min_m``, ``max_m``, ``area_ha``, geometry.

    Examples
    --------
    >>> b = pd.DataFrame({"band": ["near"], "min_m": [0.0], "max_m": [1000.0]})
    >>> f = band_polygons(np.array([0.0]), np.array([0.0]), b)
    >>> round(float(f["area_ha"].iloc[0]) / (np.pi * 100), 3)
    1.0
    """
    pts = shapely.points(np.asarray(turbine_x, float), np.asarray(turbine_y, float))

    def union(radius: float) -> shapely.Geometry:
        if radius <= 0 or len(pts) == 0:
            return shapely.Polygon()
        return shapely.union_all(shapely.buffer(pts, radius, quad_segs=quad_segs))

    rows = []
    for band in bands.itertuples():
        geom = shapely.difference(union(float(band.max_m)), union(float(band.min_m)))
        rows.append({"band": band.band, "min_m": float(band.min_m), "max_m": float(band.max_m),
                     "area_ha": geom.area / 1e4, "geometry": geom})  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def nearest_distance_m(
    turbine_x: FloatArray, turbine_y: FloatArray, receiver_x: FloatArray, receiver_y: FloatArray
) -> FloatArray:
    """Return each receiver's horizontal distance to the nearest turbine (inf without any)."""
    rx, ry = np.asarray(receiver_x, float), np.asarray(receiver_y, float)
    if np.size(turbine_x) == 0:
        return np.full(rx.shape, np.inf)
    tree = cKDTree(np.column_stack([np.asarray(turbine_x, float), np.asarray(turbine_y, float)]))
    dist, _ = tree.query(np.column_stack([rx, ry]))
    return np.asarray(dist, dtype=float)


def band_of(distance_m: FloatArray, bands: pd.DataFrame) -> npt.NDArray[np.object_]:
    """Return the band name of each distance (None beyond the last band).

    Examples
    --------
    >>> b = pd.DataFrame({"band": ["a", "b"], "min_m": [0.0, 1000.0], "max_m": [1000.0, 3000.0]})
    >>> band_of(np.array([10.0, 1000.0, 5000.0]), b).tolist()
    ['a', 'b', None]
    """
    edges = bands["max_m"].to_numpy(dtype=float)
    idx = np.searchsorted(edges, np.asarray(distance_m, float), side="right")
    names = np.array([*bands["band"].astype(str), None], dtype=object)
    return np.asarray(names[idx], dtype=object)
