# SPDX-License-Identifier: Apache-2.0
"""After the kernel: minimum contiguous area, polygons, and area per region."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio.features import shapes
from scipy import ndimage

from ruimte.analysis.eligibility.coverage import FULL
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


def eligible_polygons(
    codes: np.ndarray, grid: Grid, crs: object, cover: np.ndarray | None = None
) -> gpd.GeoDataFrame:
    """Polygons of the eligible cells (one per contiguous area) with their area in ha.

    The outlines follow the edges of the eligible cells. With ``cover``
    (settled, :func:`~ruimte.analysis.eligibility.coverage.settle_cover`)
    ``area_ha`` is the area's cover: its cells' eligible sub-points plus
    those of the cells around it, so that the polygons add up to the
    headline; without, the area of the outline.
    """
    mask = codes == ELIGIBLE
    labels, _ = ndimage.label(mask, structure=_EDGES)
    found = [
        (shapely.geometry.shape(geom), int(label))
        for geom, label in shapes(labels.astype(np.int32), mask=mask, transform=grid.transform)
    ]
    frame = gpd.GeoDataFrame({"geometry": [g for g, _ in found]}, geometry="geometry", crs=crs)
    if cover is None:
        frame["area_ha"] = frame.area / 1e4
    else:
        sums = np.bincount(
            _edge_labels(labels).ravel(), weights=cover.ravel(), minlength=labels.max() + 1
        )
        which = np.array([label for _, label in found], dtype=np.int64)
        frame["area_ha"] = sums[which] / FULL * grid.cell_area_m2 / 1e4
    return frame.sort_values("area_ha", ascending=False, ignore_index=True)


def _edge_labels(labels: np.ndarray) -> np.ndarray:
    """Labels with every unlabelled cell given the largest label among its eight neighbours."""
    grown = labels.copy()
    grown[1:] = np.maximum(grown[1:], labels[:-1])
    grown[:-1] = np.maximum(grown[:-1], labels[1:])
    out = grown.copy()
    out[:, 1:] = np.maximum(out[:, 1:], grown[:, :-1])
    out[:, :-1] = np.maximum(out[:, :-1], grown[:, 1:])
    return np.where(labels > 0, labels, out)


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

    Regions of one ``level`` (when the frame has that column) share out the
    cells: a cell whose centre lies in two of them (real boundaries overlap:
    the CBS municipalities of Drenthe by 0.5 km²) counts once, in the first
    listed, so that a level's counts add up to the cells it covers. Without
    a ``level`` column every region counts all its cells
    (:func:`area_per_region` reports the overlap).

    Returns
    -------
    numpy.ndarray of int64
        Shape ``(len(regions), n_values)``.
    """
    return _per_region(values, grid, regions, n_values, chunk)[0]


def _per_region(
    values: np.ndarray, grid: Grid, regions: gpd.GeoDataFrame, n_values: int, chunk: int
) -> tuple[np.ndarray, dict[str, int]]:
    counts = np.zeros((len(regions), n_values), dtype=np.int64)
    levels = regions["level"].to_numpy() if "level" in regions else np.full(len(regions), None)
    taken: dict[object, np.ndarray] = {}
    overlap: dict[str, int] = {}
    for i, (geometry, level) in enumerate(zip(regions.geometry.values, levels, strict=True)):
        geom = np.array([geometry], dtype=object)
        r0, r1, c0, c1 = _region_window(geometry, grid)
        if level is not None and level not in taken:
            taken[level] = np.zeros((grid.rows, grid.cols), dtype=bool)
        for wr in range(r0, r1, chunk):
            for wc in range(c0, c1, chunk):
                win = (wr, min(wr + chunk, r1), wc, min(wc + chunk, c1))
                inside = centres_inside(geom, grid, win)
                if level is not None:
                    used = taken[level][win[0] : win[1], win[2] : win[3]]
                    twice = int((inside & used).sum())
                    if twice:
                        overlap[str(level)] = overlap.get(str(level), 0) + twice
                    inside &= ~used
                    used |= inside
                block = values[win[0] : win[1], win[2] : win[3]][inside]
                counts[i] += np.bincount(block[block < n_values], minlength=n_values)
    return counts, overlap


def area_per_region(
    codes: np.ndarray, grid: Grid, regions: gpd.GeoDataFrame, cover: np.ndarray | None = None
) -> pd.DataFrame:
    """Eligible area of each region; cells belong to the region holding their centre.

    Parameters
    ----------
    codes : numpy.ndarray of uint8
    grid : Grid
    regions : GeoDataFrame
        With ``code``, ``name`` and ``level`` columns.
    cover : numpy.ndarray of uint8, optional
        The settled cover: the eligible area is then its sum (eligible
        sub-points), as the headline; without, eligible cells are counted.

    Returns
    -------
    DataFrame
        ``region_code, name, level, analysed_km2, eligible_km2, eligible_share``;
        ``analysed_km2`` is the part of the region inside the analysis area.
        Regions of one level share out their cells (:func:`cells_per_region`);
        ``attrs["overlap_km2"]`` gives, per level, the km² two of them claimed.
    """
    cell_km2 = grid.cell_area_m2 / 1e6
    kinds = np.minimum(codes, 2)  # 0 excluded, 1 eligible, 2 outside
    if cover is None:
        counts, overlap = _per_region(kinds, grid, regions, 2, 2048)
        analysed = counts[:, EXCLUDED] + counts[:, ELIGIBLE]
        eligible = counts[:, ELIGIBLE] * cell_km2
    else:  # one pass over the regions for both: value = cover · 3 + kind
        values = cover.astype(np.int16) * 3 + kinds
        counts, overlap = _per_region(values, grid, regions, 3 * (FULL + 1), 2048)
        counts = counts.reshape(-1, FULL + 1, 3)
        analysed = counts[:, :, EXCLUDED].sum(axis=1) + counts[:, :, ELIGIBLE].sum(axis=1)
        eligible = counts.sum(axis=2) @ np.arange(FULL + 1) / FULL * cell_km2
    analysed_km2 = analysed * cell_km2
    table = pd.DataFrame(
        {
            "region_code": regions["code"].to_numpy(),
            "name": regions["name"].to_numpy() if "name" in regions else "",
            "level": regions["level"].to_numpy() if "level" in regions else "",
            "analysed_km2": analysed_km2,
            "eligible_km2": eligible,
            "eligible_share": np.where(
                analysed > 0, eligible / np.maximum(analysed, 1) / cell_km2, 0.0
            ),
        }
    )
    # km² of cells whose centre two regions of one level claim (counted in the first)
    table.attrs["overlap_km2"] = {level: n * cell_km2 for level, n in overlap.items()}
    return table
