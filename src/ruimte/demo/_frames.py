# SPDX-License-Identifier: Apache-2.0
"""Build GeoDataFrames in the demo CRS (shared by the layer builders)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

CRS = "EPSG:28992"


def to_gdf(
    records: dict | list[dict], geometry: np.ndarray | list | None = None
) -> gpd.GeoDataFrame:
    """Return ``records`` as a GeoDataFrame in :data:`CRS`.

    Parameters
    ----------
    records : dict or list of dict
        Columns (dict of sequences) or rows (list of dicts) for :class:`pandas.DataFrame`.
    geometry : array-like, optional
        One geometry per row; if omitted, ``records`` must hold a ``geometry`` column.

    Returns
    -------
    GeoDataFrame
    """
    df = pd.DataFrame(records)
    if geometry is not None:
        df["geometry"] = list(geometry)
    return gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)
