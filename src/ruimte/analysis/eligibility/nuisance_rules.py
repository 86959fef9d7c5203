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
  site's latitude, and a cell centre ``c`` is excluded when ``d - c`` lies in
  ``F`` for a dwelling ``d``: each dwelling excludes ``d - F``.

One turbine at a time: the rule says where a turbine may stand, not the sum
of a whole park (``ruimte nuisance`` computes that for placed turbines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from affine import Affine
from pyproj import CRS, Transformer
from rasterio import features as rio_features

from ruimte.analysis.eligibility.kernel import FeatureLayer
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
    footprint : shapely.Geometry or None
        Flicker only: offsets from the turbine where the limit is exceeded.
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
) -> tuple[shapely.Geometry, float]:
    """Return the offsets (x, y from the turbine) where its shadow exceeds ``limit``.

    The worst case is sampled at offsets ``k * cell_m`` (k integer); the
    footprint is the union of the ``cell_m`` squares around the samples over
    the limit, so a point is inside when its nearest sample is over.

    Returns
    -------
    (Geometry, float)
        The footprint (empty when no sample is over) and its farthest corner (m).
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
    if not over.any():
        return shapely.Polygon(), 0.0
    edge = n * cell_m + cell_m / 2
    transform = Affine(cell_m, 0.0, -edge, 0.0, -cell_m, edge)
    shapes = rio_features.shapes(over.astype(np.uint8), mask=over, transform=transform)
    footprint = shapely.union_all([shapely.geometry.shape(g) for g, _ in shapes])
    corner = float(np.hypot(np.abs(gx[over]) + cell_m, np.abs(gy[over]) + cell_m).max())
    return footprint, corner


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


def nuisance_layer(geoms: np.ndarray, reach: NuisanceReach, label: str) -> FeatureLayer:
    """Return the exclude layer of a nuisance rule for its features (e.g. dwellings).

    Noise: the features' representative points with the noise radius as buffer.
    Flicker: one polygon ``d - F`` per feature point ``d`` (no buffer).
    """
    points = shapely.point_on_surface(np.asarray(geoms, dtype=object))
    if reach.footprint is None:
        return FeatureLayer(points, reach.radius_m, label)
    if reach.footprint.is_empty or not len(points):
        return FeatureLayer(np.array([], dtype=object), 0.0, label)
    mirrored = shapely.affinity.scale(reach.footprint, -1.0, -1.0, origin=(0.0, 0.0))
    k = len(shapely.get_coordinates(mirrored))
    copies = np.full(len(points), mirrored, dtype=object)
    shift = np.repeat(shapely.get_coordinates(points), k, axis=0)
    moved = shapely.set_coordinates(copies, shapely.get_coordinates(copies) + shift)
    return FeatureLayer(moved, 0.0, label)
