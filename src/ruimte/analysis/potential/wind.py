# SPDX-License-Identifier: Apache-2.0
"""Turbine layouts inside eligible land, and their yield."""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.kernel import ELIGIBLE

__all__ = ["place_turbines", "full_load_hours_from_wind_speed"]

_EDGES = ndimage.generate_binary_structure(2, 1)


def _cells(grid: Grid, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cols = np.floor((x - grid.left) / grid.resolution).astype(np.int64)
    rows = np.floor((grid.top - y) / grid.resolution).astype(np.int64)
    ok = (rows >= 0) & (rows < grid.rows) & (cols >= 0) & (cols < grid.cols)
    return rows, cols, ok


def place_turbines(
    codes: np.ndarray,
    grid: Grid,
    *,
    rotor_m: float,
    across_d: float = 4.0,
    along_d: float = 7.0,
    wind_from_deg: float = 225.0,
    offsets: int = 4,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Place turbines on a rotated lattice inside each contiguous eligible area.

    The lattice has ``along_d`` rotor diameters between rows along the
    prevailing wind and ``across_d`` between turbines across it. Each area
    One lattice (the best of ``offsets²`` shifts) covers the whole grid, so
    the spacing holds between areas too; an area no lattice point falls in
    gets one turbine at its most interior cell when that keeps the spacing to
    every other turbine (largest areas first). A turbine stands where its
    cell is eligible.

    Parameters
    ----------
    codes : numpy.ndarray of uint8
        Eligibility grid (1 eligible).
    grid : Grid
    rotor_m : float
        Rotor diameter D.
    across_d, along_d : float
        Spacing in rotor diameters.
    wind_from_deg : float
        Prevailing wind direction (where it comes from; 225 = south-west).
    offsets : int
        Lattice shifts tried per axis.

    Returns
    -------
    (x, y, area_id) : numpy.ndarray
        Turbine coordinates and the id of the eligible area each stands in.

    Examples
    --------
    >>> g = Grid(0.0, 1000.0, 10.0, 100, 100)
    >>> c = np.ones((100, 100), dtype=np.uint8)
    >>> x, y, a = place_turbines(c, g, rotor_m=100.0)
    >>> len(x) >= 1 and set(a.tolist()) == {1}
    True
    """
    labels, count = ndimage.label(codes == ELIGIBLE, structure=_EDGES)
    empty = np.array([], dtype=float)
    if count == 0:
        return empty, empty, np.array([], dtype=np.int64)
    theta = math.radians(wind_from_deg)
    along = np.array([math.sin(theta), math.cos(theta)])  # unit vector along the wind
    across = np.array([along[1], -along[0]])
    step_a, step_c = along_d * rotor_m, across_d * rotor_m
    xmin, ymin = grid.left, grid.top - grid.rows * grid.resolution
    xmax, ymax = grid.left + grid.cols * grid.resolution, grid.top
    centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2])
    half = math.hypot(xmax - xmin, ymax - ymin) / 2
    ia = np.arange(-math.ceil(half / step_a) - 1, math.ceil(half / step_a) + 2)
    ic = np.arange(-math.ceil(half / step_c) - 1, math.ceil(half / step_c) + 2)
    ga, gc = np.meshgrid(ia, ic, indexing="ij")
    shifts = [(fa / offsets, fc / offsets) for fa in range(offsets) for fc in range(offsets)]
    best: tuple[np.ndarray, np.ndarray, np.ndarray] = (empty, empty, np.array([], dtype=np.int64))
    for fa, fc in shifts:
        pa = ((ga + fa) * step_a).ravel()
        pc = ((gc + fc) * step_c).ravel()
        x = centre[0] + pa * along[0] + pc * across[0]
        y = centre[1] + pa * along[1] + pc * across[1]
        rows, cols, ok = _cells(grid, x, y)
        area = np.zeros(x.size, dtype=np.int64)
        area[ok] = labels[rows[ok], cols[ok]]
        keep = area > 0
        if keep.sum() > best[0].size:
            best = (x[keep], y[keep], area[keep])
    xs, ys, ids = (list(v) for v in best)
    lonely = np.setdiff1d(np.arange(1, count + 1), best[2])
    if lonely.size:
        depth = ndimage.distance_transform_edt(labels > 0)
        spots = np.array(ndimage.maximum_position(depth, labels, lonely), dtype=float)
        sizes = np.bincount(labels.ravel())[lonely]
        # lattice frame: one unit = one spacing along and across the wind
        frame = np.array([along / step_a, across / step_c])
        tree = cKDTree(np.column_stack([xs, ys]) @ frame.T) if xs else None
        extra: list[np.ndarray] = []
        for k in np.argsort(-sizes, kind="stable"):
            r, c = spots.reshape(-1, 2)[k]
            px, py = grid.left + (c + 0.5) * grid.resolution, grid.top - (r + 0.5) * grid.resolution
            here = frame @ np.array([px, py])
            # spacing holds when the rotated, scaled Chebyshev distance is at least 1
            if tree is not None and tree.query_ball_point(here, 1.0 - 1e-9, p=np.inf):
                continue
            if any(np.max(np.abs(here - e)) < 1.0 - 1e-9 for e in extra):
                continue
            extra.append(here)
            xs.append(px)
            ys.append(py)
            ids.append(int(lonely[k]))
    return np.array(xs, dtype=float), np.array(ys, dtype=float), np.array(ids, dtype=np.int64)


def full_load_hours_from_wind_speed(
    mean_speed_ms: np.ndarray,
    *,
    cut_in_ms: float = 3.0,
    rated_ms: float = 12.0,
    cut_out_ms: float = 25.0,
) -> np.ndarray:
    """Full-load hours per year of a generic turbine at a mean hub-height wind speed.

    Wind speeds follow a Rayleigh distribution with the given mean; power
    rises with the cube of the speed from cut-in to rated and stays at rated
    power up to cut-out (a generic power curve: ``ruimte_assumption``,
    provisional).

    Examples
    --------
    >>> bool(2500 < full_load_hours_from_wind_speed(np.array([7.5]))[0] < 3500)
    True
    """
    v = np.linspace(0.0, 30.0, 601)
    power = np.clip((v**3 - cut_in_ms**3) / (rated_ms**3 - cut_in_ms**3), 0.0, 1.0)
    power[(v < cut_in_ms) | (v > cut_out_ms)] = 0.0
    mean = np.atleast_1d(np.asarray(mean_speed_ms, dtype=float))[:, None]
    scale = mean * math.sqrt(2.0 / math.pi)
    pdf = v / scale**2 * np.exp(-(v**2) / (2 * scale**2))
    capacity_factor = np.trapezoid(pdf * power, v, axis=1)
    return np.asarray(capacity_factor * 8760.0)
