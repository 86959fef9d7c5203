# SPDX-License-Identifier: Apache-2.0
"""Exclude rules by computed nuisance: noise or shadow flicker of a turbine at the cell.

A wind rule with ``nuisance: <norm id>`` (a row of
``ruimte/analysis/nuisance/data/norms.csv``) excludes every cell where one
turbine of the rules' ``potential: turbine_type`` would put a selected feature
(a dwelling, at its representative point) above the norm, with the kernels of
``ruimte nuisance``:

- noise (``lden_db``, ``lnight_db``): ISO 9613-2 over flat ground falls with
  distance, so the excluded land is the disc of the distance where the level
  equals the limit (:func:`~ruimte.analysis.nuisance.noise.contour_radius_m`);
- shadow flicker (``flicker_hours``, ``flicker_max_minutes_day``,
  ``flicker_days_over_20min``): the astronomical worst case depends on the
  direction, so the footprint ``F`` of one turbine (offsets where its shadow
  exceeds the limit, sampled at the grid's cell size) is computed once at the
  site's latitude, and a cell ``c`` is excluded when ``d - c`` lies in ``F``
  for a dwelling ``d`` (taken at its cell's centre): the dwelling raster
  correlated with ``F``, a class raster for the kernel.

One turbine at a time: the rule says where a turbine may stand, not the sum
of a whole park (``ruimte nuisance`` computes that for placed turbines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.kernel import ClassLayer, FeatureLayer
from ruimte.errors import did_you_mean
from ruimte.rules import RuleError, RuleSet, VectorRule, load_turbine_types

__all__ = ["NuisanceReach", "nuisance_reach", "nuisance_layer", "flicker_footprint"]

NOISE = ("lden_db", "lnight_db")


@dataclass(frozen=True)
class NuisanceReach:
    """What one turbine does, as the rule sees it.

    Attributes
    ----------
    norm : str
    indicator : str
    limit : float
    turbine_type : str
    radius_m : float
        Noise: the distance where the level equals the limit. Flicker: the
        farthest corner of the footprint (the halo features are read within).
    footprint : ndarray of bool or None
        Flicker only: where the limit is exceeded, sampled around the turbine
        at the grid's cell size (see :func:`flicker_footprint`).
    """

    norm: str
    indicator: str
    limit: float
    turbine_type: str
    radius_m: float
    footprint: Any = None


def _norm(rule: VectorRule) -> Any:
    from ruimte.analysis.nuisance.settings import load_norms

    norms = load_norms()
    match = norms[norms["id"] == rule.nuisance]
    if match.empty:
        raise RuleError(
            f"{rule.where}: key 'nuisance' names {rule.nuisance!r}, which is not a norm of "
            f"ruimte/analysis/nuisance/data/norms.csv. {did_you_mean(rule.nuisance, norms['id'])}"
        )
    return match.iloc[0]


def _turbine(rules: RuleSet, rule: VectorRule) -> tuple[str, dict[str, Any]]:
    types = load_turbine_types()
    type_id = str(rules.potential.get("turbine_type", ""))
    if type_id not in types:
        raise RuleError(
            f"{rule.where}: key 'nuisance' needs the turbine type of 'potential: turbine_type', "
            f"which is {type_id or 'not set'!r}. Set it to one of " + ", ".join(types) + "."
        )
    return type_id, types[type_id]


def flicker_footprint(
    spec: dict[str, Any], indicator: str, limit: float, lat: float, lon: float, cell_m: float
) -> tuple[np.ndarray, float]:
    """Return where one turbine's worst-case shadow exceeds ``limit``, sampled every ``cell_m``.

    Returns
    -------
    (ndarray of bool, float)
        A ``(2n + 1) x (2n + 1)`` mask, north-up, whose centre is the turbine
        (element ``[n - i, n + j]`` is the offset ``(j, i) * cell_m``), and
        the farthest sample over the limit plus a cell (metres; 0 when none).
    """
    from ruimte.analysis.nuisance import flicker as fl
    from ruimte.analysis.nuisance.settings import load_method

    _, method = load_method()
    reach = method.max_distance_rotor_diameters * spec["rotor_m"]
    n = int(np.ceil(reach / cell_m))
    offsets = np.arange(-n, n + 1) * cell_m
    gx, gy = np.meshgrid(offsets, offsets[::-1])  # north-up rows
    table = fl.shadow_flicker(
        np.zeros(1), np.zeros(1), np.array([spec["hub_height_m"]]), np.array([spec["rotor_m"]]),
        gx.ravel(), gy.ravel(), fl.sun_path(lat, lon, method), method,
    )  # fmt: skip
    over = (table[indicator].to_numpy(dtype=float) > limit).reshape(gx.shape)
    far = float(np.hypot(gx[over], gy[over]).max()) + cell_m if over.any() else 0.0
    return over, far


def nuisance_reach(
    rule: VectorRule, rules: RuleSet, site: tuple[float, float], cell_m: float
) -> NuisanceReach:
    """Resolve a ``nuisance`` rule into a noise radius or a flicker footprint.

    Parameters
    ----------
    rule : VectorRule
        With ``nuisance`` set.
    rules : RuleSet
        Its ``potential: turbine_type`` is the turbine.
    site : (float, float)
        Latitude and longitude of the area (the sun's path for flicker).
    cell_m : float
        The eligibility grid's cell size (flicker sampling).

    Raises
    ------
    RuleError
        Naming the rule for an unknown norm or turbine type.
    """
    from ruimte.analysis.nuisance import noise as nz
    from ruimte.analysis.nuisance.settings import load_method

    norm = _norm(rule)
    type_id, spec = _turbine(rules, rule)
    indicator, limit = str(norm["indicator"]), float(norm["limit"])
    if indicator in NOISE:
        noise_method, _ = load_method()
        offset = noise_method.lden_offset_db if indicator == "lden_db" else 0.0
        radius = nz.contour_radius_m(spec["lwa_dba"], spec["hub_height_m"], limit, noise_method,
                                     offset_db=offset)  # fmt: skip
        return NuisanceReach(rule.nuisance, indicator, limit, type_id, radius)
    footprint, corner = flicker_footprint(spec, indicator, limit, *site, cell_m)
    return NuisanceReach(rule.nuisance, indicator, limit, type_id, corner, footprint)


def site_of(geometry: shapely.Geometry, crs: CRS) -> tuple[float, float]:
    """Return (latitude, longitude) of a geometry's centroid."""
    c = geometry.centroid
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(c.x, c.y)
    return float(lat), float(lon)


def nuisance_layer(
    geoms: np.ndarray, reach: NuisanceReach, grid: Grid, label: str
) -> FeatureLayer | ClassLayer:
    """Return the exclude layer of a nuisance rule for its features (e.g. dwellings).

    Noise: the features' representative points with the noise radius as
    buffer (exact). Flicker: a 0/1 raster on ``grid``: a cell is excluded when
    a feature point ``d``, taken at the centre of its cell, lies at an offset
    from the cell's centre where the footprint is over the limit, i.e. the
    dwelling mask correlated with the footprint (by FFT, not a loop per dwelling).
    """
    points = shapely.point_on_surface(np.asarray(geoms, dtype=object))
    if reach.footprint is None:
        return FeatureLayer(points, reach.radius_m, label)
    over = np.asarray(reach.footprint, dtype=bool)
    n = over.shape[0] // 2
    res = grid.resolution
    rows, cols = grid.rows + 2 * n, grid.cols + 2 * n  # the grid grown by the footprint's reach
    mask = np.zeros((rows, cols), dtype=np.float32)
    if len(points) and over.any():
        x, y = shapely.get_coordinates(points).T
        c = np.floor((x - (grid.left - n * res)) / res).astype(np.int64)
        r = np.floor(((grid.top + n * res) - y) / res).astype(np.int64)
        ok = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
        mask[r[ok], c[ok]] = 1.0
        from scipy.signal import fftconvolve  # 0.4 s to import: only when a rule needs it

        # excluded[r, c] = any(mask[r + a, c + b] and over[n + a, n + b])
        hits = fftconvolve(mask, over[::-1, ::-1].astype(np.float32), mode="same")
        excluded = (hits > 0.5)[n : n + grid.rows, n : n + grid.cols]
    else:
        excluded = np.zeros(grid.shape, dtype=bool)
    return ClassLayer(excluded.astype(np.uint8), grid.transform, (1,), 0, label)
