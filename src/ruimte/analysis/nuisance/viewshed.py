# SPDX-License-Identifier: Apache-2.0
"""A true viewshed of turbines on a terrain raster (DEM), combined into visibility bands.

Per turbine, the DEM is read with rasterio (warped and averaged onto a working
grid of ``cell_m``) in a window of the largest band's reach around it. From
the blade tip (ground at the turbine + hub height + rotor radius) rays run to
every cell of the window's perimeter (twice as many rays as perimeter cells,
evenly spaced in angle) in steps of one cell. Along each ray the tangent of
the elevation angle of the terrain, ``(z(d) - c(d) - z_tip) / d``, is swept
with a running maximum; a cell is visible when the observer's eye
(``z + observer_eye_height_m``) lies at or above the steepest terrain before
it. ``c(d) = (1 - k) d^2 / (2 R)`` corrects for earth curvature and refraction
(k = 0.13). A cell hit by several rays is visible when any ray sees it. The
line of sight is symmetric, so this is where an observer sees the tip.

Each place's band is the distance band of the *nearest visible* turbine;
places within reach of a turbine but seeing none are "not visible". Terrain
only: buildings and trees do not block. Cells without DEM data do not block
and their band is unknown.

Cost: O(turbines x (reach / cell)^2) ray samples (about 16 n^2 for a reach of
n cells, ~2.6 M at 10 km / 25 m), plus one float32 grid over all turbines'
reach (at most ``max_cells``; the working cell grows until it fits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
import yaml

from ruimte.analysis.nuisance.settings import NuisanceDataError, data_file

__all__ = ["NOT_VISIBLE", "ViewshedMethod", "load_viewshed_method", "Viewshed", "viewshed"]

FloatArray = npt.NDArray[np.float64]
#: the band of places within reach from which no turbine's tip is visible
NOT_VISIBLE = "not visible"
#: the band of dwellings on DEM cells without data
UNKNOWN = "unknown (no DEM data)"


@dataclass(frozen=True)
class ViewshedMethod:
    """Settings of the viewshed (``method.yaml`` section ``viewshed``).

    Attributes
    ----------
    observer_eye_height_m : float
    target : str
        ``"tip"`` (hub + rotor radius) or ``"hub"``.
    refraction_k, earth_radius_m : float
        Curvature and refraction drop ``(1 - k) d^2 / (2 R)``.
    cell_m : float
        Smallest working cell.
    max_cells : int
        Largest combined grid.
    """

    observer_eye_height_m: float = 1.6
    target: str = "tip"
    refraction_k: float = 0.13
    earth_radius_m: float = 6_371_000.0
    cell_m: float = 25.0
    max_cells: int = 60_000_000


def load_viewshed_method(path: Path | None = None) -> ViewshedMethod:
    """Read the ``viewshed:`` section of ``method.yaml``.

    Raises
    ------
    NuisanceDataError
        Naming the file and field of a missing or bad value.

    Examples
    --------
    >>> m = load_viewshed_method()
    >>> m.observer_eye_height_m, m.target, m.refraction_k
    (1.6, 'tip', 0.13)
    """
    path = Path(path or data_file("method.yaml"))
    section = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("viewshed")
    if not isinstance(section, dict):
        raise NuisanceDataError(f"{path}: needs a 'viewshed:' mapping.")

    def value(key: str, low: float, high: float) -> float:
        item = section.get(key)
        v = item.get("value") if isinstance(item, dict) else item
        if isinstance(v, bool) or not isinstance(v, int | float) or not low <= v <= high:
            raise NuisanceDataError(
                f"{path} viewshed: field {key!r} is {v!r}; "
                f"it must be a number in [{low:g}, {high:g}]."
            )
        return float(v)

    target = (section.get("target") or {}).get("value")
    if target not in ("tip", "hub"):
        raise NuisanceDataError(f"{path} viewshed: field 'target' must be 'tip' or 'hub'.")
    return ViewshedMethod(
        observer_eye_height_m=value("observer_eye_height_m", 0, 100),
        target=str(target),
        refraction_k=value("refraction_k", 0, 1),
        earth_radius_m=value("earth_radius_m", 6.3e6, 6.4e6),
        cell_m=value("cell_m", 0.5, 1000),
        max_cells=int(value("max_cells", 1e4, 1e9)),
    )


@dataclass
class Viewshed:
    """The combined viewshed of a set of turbines.

    Attributes
    ----------
    band_index : numpy.ndarray
        (rows, cols) int8: index of the band of the nearest visible turbine,
        ``-1`` not visible within reach, ``-2`` beyond reach, ``-3`` no DEM data.
    transform : affine.Affine
        Of the working grid (workspace CRS).
    cell_m : float
    note : str
        ``"viewshed on DEM <name> at <cell> m (terrain only; no buildings or trees)"``.
    """

    band_index: npt.NDArray[np.int8]
    transform: Any
    cell_m: float
    note: str

    def band_of(self, x: FloatArray, y: FloatArray, bands: pd.DataFrame) -> npt.NDArray[Any]:
        """Return the band name at points (``"not visible"``, None beyond reach)."""
        rows, cols = self.band_index.shape
        inv = ~self.transform
        c, r = inv @ (np.asarray(x, float), np.asarray(y, float))
        r, c = np.floor(r).astype(int), np.floor(c).astype(int)
        inside = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
        idx = np.full(r.shape, -2, dtype=int)
        idx[inside] = self.band_index[r[inside], c[inside]]
        names = np.array([*bands["band"].astype(str), UNKNOWN, None, NOT_VISIBLE], dtype=object)
        return np.asarray(names[idx], dtype=object)  # -1, -2, -3 index from the end

    def polygons(self, bands: pd.DataFrame, crs: Any) -> gpd.GeoDataFrame:
        """Vectorise the grid: one (multi)polygon per band and one for "not visible"."""
        from rasterio.features import shapes

        area = float(self.cell_m) ** 2
        rows = []
        labels = [*((i, b.band, b.min_m, b.max_m) for i, b in enumerate(bands.itertuples())),
                  (-1, NOT_VISIBLE, math.nan, float(bands["max_m"].max()))]  # fmt: skip
        for i, name, lo, hi in labels:
            mask = self.band_index == i
            cells = shapes(mask.astype(np.uint8), mask=mask, transform=self.transform)
            geoms = [shapely.geometry.shape(g) for g, _ in cells]
            geom = shapely.union_all(geoms) if geoms else shapely.Polygon()
            rows.append({"band": str(name), "min_m": float(lo), "max_m": float(hi),
                         "area_ha": float(mask.sum()) * area / 1e4, "geometry": geom})  # fmt: skip
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def _grid(tx: FloatArray, ty: FloatArray, reach: float, cell: float, max_cells: int):
    from affine import Affine

    while True:
        x0 = math.floor((tx.min() - reach) / cell) * cell - cell
        y1 = math.ceil((ty.max() + reach) / cell) * cell + cell
        cols = int(math.ceil((tx.max() + reach - x0) / cell)) + 2
        rows = int(math.ceil((y1 - (ty.min() - reach)) / cell)) + 2
        if rows * cols <= max_cells:
            return Affine(cell, 0, x0, 0, -cell, y1), rows, cols, cell
        cell *= 1.5


def _read_window(src: Any, transform: Any, n: int, crs: Any) -> npt.NDArray[np.float32]:
    import rasterio
    from rasterio.warp import Resampling, reproject

    out = np.full((n, n), np.nan, dtype=np.float32)
    reproject(rasterio.band(src, 1), out, src_nodata=src.nodata, dst_transform=transform,
              dst_crs=crs, dst_nodata=np.nan, resampling=Resampling.average)  # fmt: skip
    return out


def _rays(n: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]:
    """Ray sample offsets (rays, n) in cells from the centre and their distances in cells."""
    count = 16 * n
    ang = np.arange(count) * (2 * np.pi / count)
    k = np.arange(1, n + 1, dtype=float)
    dx = np.rint(np.cos(ang)[:, None] * k).astype(np.intp)
    dy = np.rint(np.sin(ang)[:, None] * k).astype(np.intp)
    dist = np.hypot(dx, dy).astype(float)
    return dy, dx, dist


def _visible(z: npt.NDArray[np.float32], n: int, cell: float, tip: float,
             eye: float, drop: float, rays: tuple) -> npt.NDArray[np.bool_]:  # fmt: skip
    """Visible cells of a (2n+1)^2 window with the tip ``tip`` m above the centre cell's ground."""
    dy, dx, dist = rays
    d = dist * cell
    zr = z[n - dy, n + dx].astype(float)  # row up = north = +dy
    curv = drop * d * d
    z0 = float(z[n, n]) + tip
    ground = np.where(np.isnan(zr), -np.inf, (zr - curv - z0) / d)
    horizon = np.maximum.accumulate(ground, axis=1)
    blocking = np.concatenate([np.full((len(d), 1), -np.inf), horizon[:, :-1]], axis=1)
    seen = (zr + eye - curv - z0) / d >= blocking
    inside = dist <= n
    out = np.zeros(z.shape, dtype=bool)
    hit = np.zeros(z.shape, dtype=bool)
    rr, cc = (n - dy)[inside], (n + dx)[inside]
    np.logical_or.at(out, (rr, cc), seen[inside])
    hit[rr, cc] = True
    out[n, n] = hit[n, n] = True
    if not hit[_disc(n)].all():  # a cell no ray sampled: take its nearest sampled neighbour
        from scipy.ndimage import distance_transform_edt

        _, (ir, ic) = distance_transform_edt(~hit, return_indices=True)
        out = out[ir, ic]
    return out


def _disc(n: int) -> npt.NDArray[np.bool_]:
    yy, xx = np.mgrid[-n : n + 1, -n : n + 1]
    return np.asarray(np.hypot(yy, xx) <= n)


def viewshed(
    dem: Path,
    dem_name: str,
    turbines: gpd.GeoDataFrame,
    bands: pd.DataFrame,
    method: ViewshedMethod,
) -> tuple[Viewshed, list[str]]:
    """Compute the combined viewshed of turbines on a DEM GeoTIFF.

    Parameters
    ----------
    dem : Path
        A single-band elevation raster in metres (e.g. AHN DTM).
    dem_name : str
        Its dataset name (for the note).
    turbines : GeoDataFrame
        Points with ``hub_height_m`` and ``rotor_m`` (workspace CRS).
    bands : DataFrame
        ``band``, ``min_m``, ``max_m``; the last ``max_m`` is the reach.
    method : ViewshedMethod

    Returns
    -------
    (Viewshed, list of str)
        The grid and warnings (turbines off the DEM are skipped and named).
    """
    import rasterio

    tx, ty = turbines.geometry.x.to_numpy(float), turbines.geometry.y.to_numpy(float)
    tip = turbines["hub_height_m"].to_numpy(float)
    if method.target == "tip":
        tip = tip + turbines["rotor_m"].to_numpy(float) / 2
    reach = float(bands["max_m"].max())
    edges = bands["max_m"].to_numpy(float)
    warnings: list[str] = []
    with rasterio.open(dem) as src:
        cell = max(method.cell_m, abs(src.transform.a), abs(src.transform.e))
        transform, rows, cols, cell = _grid(tx, ty, reach, cell, method.max_cells)
        n = int(math.ceil(reach / cell))
        rays = _rays(n)
        disc = _disc(n)
        drop = (1 - method.refraction_k) / (2 * method.earth_radius_m)
        nearest = np.full((rows, cols), np.inf, dtype=np.float32)
        within = np.zeros((rows, cols), dtype=bool)
        nodata = np.zeros((rows, cols), dtype=bool)
        ci = np.floor((tx - transform.c) / cell).astype(int)
        ri = np.floor((transform.f - ty) / cell).astype(int)
        off = np.arange(2 * n + 1) * cell
        skipped = []
        for t in range(len(tx)):
            r0, c0 = ri[t] - n, ci[t] - n
            win = transform @ transform.translation(c0, r0)
            z = _read_window(src, win, 2 * n + 1, turbines.crs)
            if np.isnan(z[n, n]):
                skipped.append(str(turbines.index[t]))
                continue
            seen = _visible(z, n, cell, float(tip[t]), method.observer_eye_height_m, drop, rays)
            cx = transform.c + (c0 + 0.5) * cell + off - tx[t]
            cy = transform.f - (r0 + 0.5) * cell - off - ty[t]
            dist = np.hypot(cx[None, :], cy[:, None]).astype(np.float32)
            sl = (slice(r0, r0 + 2 * n + 1), slice(c0, c0 + 2 * n + 1))
            reachable = disc & (dist < reach)
            within[sl] |= reachable
            nodata[sl] |= reachable & np.isnan(z)
            view = nearest[sl]
            np.minimum(view, np.where(reachable & seen & ~np.isnan(z), dist, np.inf), out=view)
    if skipped:
        warnings.append(
            f"{len(skipped)} turbine(s) stand outside DEM {dem_name!r} or on cells without "
            f"data (rows {', '.join(skipped[:5])}); their viewshed is not computed."
        )
    idx = np.searchsorted(edges, nearest, side="right").astype(np.int8)
    band_index = np.where(np.isfinite(nearest), idx, np.where(within, -1, -2)).astype(np.int8)
    band_index[nodata & ~np.isfinite(nearest)] = -3
    note = f"viewshed on DEM {dem_name} at {cell:g} m (terrain only; no buildings or trees)"
    return Viewshed(band_index, transform, cell, note), warnings
