# SPDX-License-Identifier: Apache-2.0
"""After the kernel: minimum contiguous area, polygons, and area per region."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio.features import shapes
from scipy import ndimage

from ruimte.analysis.eligibility.exact import centres_inside
from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.kernel import ELIGIBLE, EXCLUDED

__all__ = ["drop_small_areas", "eligible_polygons", "area_per_region"]

#: 4-connectivity: cells sharing an edge form one area (as rasterio.features.shapes)
_EDGES = ndimage.generate_binary_structure(2, 1)


def drop_small_areas(codes: np.ndarray, grid: Grid, min_area_ha: float) -> np.ndarray:
    """Exclude contiguous eligible areas smaller than ``min_area_ha``.

    Parameters
    ----------
    codes : numpy.ndarray of uint8
        Kernel output (changed in place and returned).
    grid : Grid
    min_area_ha : float

    Returns
    -------
    numpy.ndarray
        ``codes`` with the small areas set to ``EXCLUDED``.

    Examples
    --------
    >>> g = Grid(0.0, 300.0, 100.0, 3, 3)  # 1 ha cells
    >>> c = np.array([[1, 0, 1], [1, 0, 0], [0, 0, 1]], dtype=np.uint8)
    >>> drop_small_areas(c, g, 1.5).tolist()
    [[1, 0, 0], [1, 0, 0], [0, 0, 0]]
    """
    min_cells = min_area_ha * 1e4 / grid.cell_area_m2
    if min_cells <= 1:
        return codes
    labels, count = ndimage.label(codes == ELIGIBLE, structure=_EDGES)
    if count == 0:
        return codes
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    small = sizes < min_cells
    small[0] = False
    codes[small[labels]] = EXCLUDED
    return codes


def eligible_polygons(codes: np.ndarray, grid: Grid, crs: object) -> gpd.GeoDataFrame:
    """Polygons of the eligible cells (one per contiguous area) with their area in ha."""
    mask = codes == ELIGIBLE
    geoms = [
        shapely.geometry.shape(geom)
        for geom, _ in shapes(mask.astype(np.uint8), mask=mask, transform=grid.transform)
    ]
    frame = gpd.GeoDataFrame({"geometry": geoms}, geometry="geometry", crs=crs)
    frame["area_ha"] = frame.area / 1e4
    return frame.sort_values("area_ha", ascending=False, ignore_index=True)


def _region_window(geom: object, grid: Grid) -> tuple[int, int, int, int]:
    xmin, ymin, xmax, ymax = geom.bounds  # type: ignore[attr-defined]
    c0 = max(0, int(np.floor((xmin - grid.left) / grid.resolution)))
    c1 = min(grid.cols, int(np.ceil((xmax - grid.left) / grid.resolution)))
    r0 = max(0, int(np.floor((grid.top - ymax) / grid.resolution)))
    r1 = min(grid.rows, int(np.ceil((grid.top - ymin) / grid.resolution)))
    return r0, r1, c0, c1


def cells_per_region(
    values: np.ndarray, grid: Grid, regions: gpd.GeoDataFrame, n_values: int, *, chunk: int = 2048
) -> np.ndarray:
    """Count the cells of each value (0 .. n_values-1) whose centre lies in each region.

    Returns
    -------
    numpy.ndarray of int64
        Shape ``(len(regions), n_values)``.
    """
    counts = np.zeros((len(regions), n_values), dtype=np.int64)
    for i, geometry in enumerate(regions.geometry.values):
        geom = np.array([geometry], dtype=object)
        r0, r1, c0, c1 = _region_window(geometry, grid)
        for wr in range(r0, r1, chunk):
            for wc in range(c0, c1, chunk):
                win = (wr, min(wr + chunk, r1), wc, min(wc + chunk, c1))
                inside = centres_inside(geom, grid, win)
                block = values[win[0] : win[1], win[2] : win[3]][inside]
                counts[i] += np.bincount(block[block < n_values], minlength=n_values)
    return counts


def area_per_region(codes: np.ndarray, grid: Grid, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Eligible area of each region, counting cells by their centre.

    Parameters
    ----------
    codes : numpy.ndarray of uint8
    grid : Grid
    regions : GeoDataFrame
        With ``code``, ``name`` and ``level`` columns.

    Returns
    -------
    DataFrame
        ``region_code, name, level, analysed_km2, eligible_km2, eligible_share``;
        ``analysed_km2`` is the part of the region inside the analysis area.
    """
    cell_km2 = grid.cell_area_m2 / 1e6
    counts = cells_per_region(np.minimum(codes, 2), grid, regions, 2)
    eligible = counts[:, ELIGIBLE]
    analysed = counts[:, EXCLUDED] + eligible
    return pd.DataFrame(
        {
            "region_code": regions["code"].to_numpy(),
            "name": regions["name"].to_numpy() if "name" in regions else "",
            "level": regions["level"].to_numpy() if "level" in regions else "",
            "analysed_km2": analysed * cell_km2,
            "eligible_km2": eligible * cell_km2,
            "eligible_share": np.where(analysed > 0, eligible / np.maximum(analysed, 1), 0.0),
        }
    )
