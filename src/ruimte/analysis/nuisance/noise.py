# SPDX-License-Identifier: Apache-2.0
"""Wind turbine noise by ISO 9613-2 (simplified, A-weighted): levels and contours.

Each turbine is a point source at hub height with a constant A-weighted sound
power level ``LwA``; the receiver is a facade point at ``receiver_height_m``
over flat ground. The sound pressure level at slant distance ``d`` is

    Lp = LwA + D_Omega - Adiv - Aatm - Agr
    Adiv = 20 lg(d) + 11                              (ISO 9613-2 eq. 7)
    Aatm = alpha d                                    (eq. 8, alpha at 500 Hz)
    Agr  = max(0, 4.8 - (2 hm / d)(17 + 300 / d))     (eq. 10, hm = (hs + hr) / 2)
    D_Omega = 10 lg(1 + (dp² + (hs - hr)²) / (dp² + (hs + hr)²))   (eq. 11)

Levels of several turbines add as energies. With constant operation all day,
``Lnight = Leq`` and ``Lden = Leq + 6.40 dB`` (:func:`~.settings.lden_offset_db`).
The per-dwelling work is vectorised: the loop runs over turbines only.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import rasterio.features
import rasterio.transform
import shapely

from ruimte.analysis.nuisance.settings import NoiseMethod

__all__ = [
    "point_level_db",
    "leq_db",
    "energy_sum_db",
    "contour_radius_m",
    "noise_contours",
]

FloatArray = npt.NDArray[np.float64]
_SILENT_DB = -np.inf


def point_level_db(
    lwa_dba: float | FloatArray,
    distance_m: float | FloatArray,
    hub_height_m: float | FloatArray,
    method: NoiseMethod | None = None,
) -> FloatArray:
    """Return the A-weighted sound pressure level of one source at horizontal distances.

    Parameters
    ----------
    lwa_dba : float or array
        Sound power level of the turbine (dB(A)).
    distance_m : float or array
        Horizontal distance from the tower foot to the receiver (m).
    hub_height_m : float or array
        Source height (m).
    method : NoiseMethod, optional
        Constants; default :class:`NoiseMethod` (values of ``method.yaml``).

    Returns
    -------
    numpy.ndarray
        Leq in dB(A) (broadcast shape of the inputs).

    Examples
    --------
    >>> round(float(point_level_db(106.0, 500.0, 125.5)), 2)
    42.45
    """
    m = method or NoiseMethod()
    dp = np.asarray(distance_m, dtype=float)
    hs = np.asarray(hub_height_m, dtype=float)
    hr = m.receiver_height_m
    d = np.sqrt(dp**2 + (hs - hr) ** 2)
    adiv = 20.0 * np.log10(d) + 11.0
    aatm = m.alpha_db_per_m * d
    hm = (hs + hr) / 2.0
    agr = np.maximum(0.0, 4.8 - (2.0 * hm / d) * (17.0 + 300.0 / d))
    level = np.asarray(lwa_dba, dtype=float) - adiv - aatm - agr
    if m.directivity_omega:
        level = level + 10.0 * np.log10(1.0 + (dp**2 + (hs - hr) ** 2) / (dp**2 + (hs + hr) ** 2))
    return np.asarray(level, dtype=float)


def energy_sum_db(levels_db: FloatArray, axis: int = 0) -> FloatArray:
    """Add levels as energies: ``10 lg(sum 10^(L/10))``; -inf where all are -inf.

    Examples
    --------
    >>> round(float(energy_sum_db(np.array([40.0, 40.0]))), 2)
    43.01
    """
    levels = np.asarray(levels_db, dtype=float)
    with np.errstate(divide="ignore"):
        return np.asarray(10.0 * np.log10(np.sum(10.0 ** (levels / 10.0), axis=axis)))


def leq_db(
    turbine_x: FloatArray,
    turbine_y: FloatArray,
    lwa_dba: FloatArray,
    hub_height_m: FloatArray,
    receiver_x: FloatArray,
    receiver_y: FloatArray,
    method: NoiseMethod | None = None,
) -> FloatArray:
    """Return Leq at each receiver from all turbines (energy sum).

    Parameters
    ----------
    turbine_x, turbine_y, lwa_dba, hub_height_m : array
        One value per turbine (coordinates in a metric CRS).
    receiver_x, receiver_y : array
        Receiver (dwelling) coordinates.
    method : NoiseMethod, optional

    Returns
    -------
    numpy.ndarray
        Leq in dB(A) per receiver; -inf without turbines.
    """
    rx = np.asarray(receiver_x, dtype=float)
    ry = np.asarray(receiver_y, dtype=float)
    energy = np.zeros(rx.shape)
    for tx, ty, lw, hh in zip(
        np.atleast_1d(turbine_x), np.atleast_1d(turbine_y),
        np.atleast_1d(lwa_dba), np.atleast_1d(hub_height_m), strict=True,
    ):  # fmt: skip
        dist = np.hypot(rx - tx, ry - ty)
        energy += 10.0 ** (point_level_db(lw, dist, hh, method) / 10.0)
    with np.errstate(divide="ignore"):
        return np.asarray(10.0 * np.log10(energy))


def contour_radius_m(
    lwa_dba: float,
    hub_height_m: float,
    level_db: float,
    method: NoiseMethod | None = None,
    *,
    offset_db: float = 0.0,
) -> float:
    """Return the horizontal distance at which one turbine's level equals ``level_db``.

    Parameters
    ----------
    lwa_dba, hub_height_m : float
    level_db : float
        Target level, e.g. a norm in Lden.
    method : NoiseMethod, optional
    offset_db : float
        Added to Leq first (``method.lden_offset_db`` for Lden, 0 for Lnight).

    Returns
    -------
    float
        Metres; 0.0 when even the tower foot is below the level.

    Examples
    --------
    >>> m = NoiseMethod()
    >>> r = contour_radius_m(106.0, 125.5, 47.0, m, offset_db=m.lden_offset_db)
    >>> round(float(point_level_db(106.0, r, 125.5, m)) + m.lden_offset_db, 6)
    47.0
    """

    def f(r: float) -> float:
        return float(point_level_db(lwa_dba, r, hub_height_m, method)) + offset_db - level_db

    lo, hi = 0.0, 1.0
    if f(lo) <= 0:
        return 0.0
    while f(hi) > 0:
        hi *= 2.0
        if hi > 1e6:
            raise ValueError(f"no distance below 1000 km where the level drops to {level_db} dB")
    for _ in range(80):  # bisection to well below a millimetre
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if f(mid) > 0 else (lo, mid)
    return (lo + hi) / 2.0


def noise_contours(
    turbine_x: FloatArray,
    turbine_y: FloatArray,
    lwa_dba: FloatArray,
    hub_height_m: FloatArray,
    thresholds: dict[str, tuple[float, float]],
    method: NoiseMethod | None = None,
    *,
    crs: object = None,
    cell_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Return the areas where the turbines' level exceeds each threshold, as polygons.

    The levels are evaluated at the centres of a raster of ``cell_m`` cells and
    the cells above a threshold polygonised (``rasterio.features.shapes``); the
    contour line is therefore accurate to half a cell diagonal
    (``cell_m / sqrt(2)``). Per cell only turbines whose own level there is
    within ``method.contour_cutoff_db`` of the lowest threshold are summed.

    Parameters
    ----------
    turbine_x, turbine_y, lwa_dba, hub_height_m : array
        One value per turbine.
    thresholds : dict
        Name -> (level in dB, offset added to Leq), e.g.
        ``{"bal_lden_47": (47.0, 6.4), "bal_lnight_41": (41.0, 0.0)}``.
    method : NoiseMethod, optional
    crs : CRS, optional
        CRS of the output.
    cell_m : float, optional
        Default ``method.contour_cell_m``.

    Returns
    -------
    GeoDataFrame
        One row per threshold: ``norm``, ``level_db``, ``area_ha`` and a
        (Multi)Polygon geometry (empty without turbines).
    """
    m = method or NoiseMethod()
    cell = float(cell_m or m.contour_cell_m)
    tx, ty = np.atleast_1d(turbine_x).astype(float), np.atleast_1d(turbine_y).astype(float)
    lw, hh = np.atleast_1d(lwa_dba).astype(float), np.atleast_1d(hub_height_m).astype(float)
    rows = []
    if tx.size == 0 or not thresholds:
        for name, (level, _) in thresholds.items():
            rows.append({"norm": name, "level_db": level, "area_ha": 0.0,
                         "geometry": shapely.MultiPolygon()})  # fmt: skip
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    # per turbine: the radius within which it counts, for each threshold's own offset
    reach = {
        name: np.array([
            contour_radius_m(a, h, level - m.contour_cutoff_db, m, offset_db=off)
            for a, h in zip(lw, hh, strict=True)
        ])
        for name, (level, off) in thresholds.items()
    }  # fmt: skip
    r_max = max(float(r.max()) for r in reach.values()) + 2 * cell
    x0 = math.floor((tx.min() - r_max) / cell) * cell
    y1 = math.ceil((ty.max() + r_max) / cell) * cell
    width = int(math.ceil((tx.max() + r_max - x0) / cell))
    height = int(math.ceil((y1 - (ty.min() - r_max)) / cell))
    transform = rasterio.transform.Affine(cell, 0.0, x0, 0.0, -cell, y1)
    xs = x0 + cell * (np.arange(width) + 0.5)
    ys = y1 - cell * (np.arange(height) + 0.5)
    for name, (level, off) in thresholds.items():
        energy = np.zeros((height, width))
        for k in range(tx.size):
            rad = reach[name][k]
            c0, c1 = np.searchsorted(xs, [tx[k] - rad, tx[k] + rad])
            r0, r1 = np.searchsorted(-ys, [-(ty[k] + rad), -(ty[k] - rad)])
            if c0 >= c1 or r0 >= r1:
                continue
            dist = np.hypot(xs[None, c0:c1] - tx[k], ys[r0:r1, None] - ty[k])
            part = 10.0 ** (point_level_db(lw[k], dist, hh[k], m) / 10.0)
            energy[r0:r1, c0:c1] += np.where(dist <= rad, part, 0.0)
        mask = (energy > 10.0 ** ((level - off) / 10.0)).astype(np.uint8)
        polys = [
            shapely.geometry.shape(geom)
            for geom, value in rasterio.features.shapes(mask, mask=mask, transform=transform)
            if value == 1
        ]
        geom = shapely.union_all(polys) if polys else shapely.MultiPolygon()
        rows.append({"norm": name, "level_db": level, "area_ha": geom.area / 1e4,
                     "geometry": geom})  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
