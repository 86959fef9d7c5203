# SPDX-License-Identifier: Apache-2.0
"""Distance violations of turbines at dwellings decided by computed noise, where it exists.

When the scenario has a current nuisance result (``ruimte nuisance``, not
stale), a wind-turbine claim is too close to a housing feature when the
claim's turbines, with the types and sound power levels of that result, put
the feature (at its representative point) above the overlay's
``turbine_noise_norm`` (ISO 9613-2, as ``ruimte nuisance``). The matrix's fixed
distance (the 400 m rule of thumb) then no longer decides those pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["TurbineNoise", "turbine_noise", "noise_pairs"]

TURBINE = "wind_turbine"
DWELLING = "housing"


@dataclass(frozen=True)
class TurbineNoise:
    """The computed noise the overlay uses for turbine claims.

    Attributes
    ----------
    turbines : GeoDataFrame
        Turbines of the nuisance result with ``claim_id``, ``lwa_dba``, ``hub_height_m``.
    norm, indicator : str
        The norm id and its indicator (``lden_db`` or ``lnight_db``).
    limit_db, offset_db : float
        The norm's limit and the offset from Leq to the indicator.
    source : str
        The norm's source id.
    result : str
        The nuisance result's key.
    method : NoiseMethod
    """

    turbines: gpd.GeoDataFrame
    norm: str
    indicator: str
    limit_db: float
    offset_db: float
    source: str
    result: str
    method: Any

    def radius_m(self, extra_db: float = 0.0) -> float:
        """Return the farthest distance at which a turbine (``extra_db`` louder) exceeds the limit.

        With ``extra_db = 10 lg n`` this bounds where a claim of ``n`` turbines
        can exceed it (all of them at the nearest one's distance).
        """
        from ruimte.analysis.nuisance.noise import contour_radius_m

        pairs = self.turbines[["lwa_dba", "hub_height_m"]].drop_duplicates().itertuples()
        return max(
            (contour_radius_m(p.lwa_dba + extra_db, p.hub_height_m, self.limit_db, self.method,
                              offset_db=self.offset_db) for p in pairs),
            default=0.0,
        )  # fmt: skip

    def max_per_claim(self) -> int:
        """Return the largest number of turbines of one claim."""
        return int(self.turbines.groupby("claim_id").size().max()) if len(self.turbines) else 1


def turbine_noise(ws: Any, scenario: str, norm_id: str) -> TurbineNoise | None:
    """Return the scenario's computed turbine noise, or None without a current nuisance result.

    Raises
    ------
    OverlayError
        If ``norm_id`` is not a noise norm of ``norms.csv``.
    """
    from ruimte.analysis.nuisance.run import result_key
    from ruimte.analysis.nuisance.settings import load_method, load_norms
    from ruimte.analysis.overlay.settings import OverlayError

    key = result_key(scenario)
    if key not in set(ws.results()["key"]) or key in ws.stale_results():
        return None
    norms = load_norms().set_index("id")
    if norm_id not in norms.index or norms.loc[norm_id, "indicator"] not in (
        "lden_db",
        "lnight_db",
    ):
        raise OverlayError(
            f"overlay.yaml: turbine_noise_norm {norm_id!r} is not a noise norm of norms.csv "
            "(use e.g. bal_lden_47)."
        )
    noise_method, _ = load_method()
    norm = norms.loc[norm_id]
    turbines = ws.read_result(key, "turbines")
    turbines = turbines[turbines["origin"] == "claim"].to_crs(ws.crs)
    offset = noise_method.lden_offset_db if norm["indicator"] == "lden_db" else 0.0
    return TurbineNoise(turbines, norm_id, str(norm["indicator"]), float(norm["limit"]), offset,
                        str(norm["source"]), key, noise_method)  # fmt: skip


def is_noise_pair(features: gpd.GeoDataFrame, pairs: pd.DataFrame, noise: TurbineNoise) -> Any:
    """Return, per pair, whether computed noise decides it (assessed turbine claim, dwelling)."""
    i, j = pairs["i"].to_numpy(dtype=np.intp), pairs["j"].to_numpy(dtype=np.intp)
    fn = features["function"].to_numpy()
    assessed = np.isin(features["feature_id"].to_numpy()[i], noise.turbines["claim_id"].to_numpy())
    return (
        (fn[i] == TURBINE)
        & features["is_claim"].to_numpy(dtype=bool)[i]
        & assessed
        & (fn[j] == DWELLING)
    )


def noise_pairs(
    features: gpd.GeoDataFrame, pairs: pd.DataFrame, noise: TurbineNoise
) -> pd.DataFrame:
    """Return the noise pairs whose computed level is above the norm, with ``lden_db``.

    ``pairs`` come from :func:`~.distances.near_pairs` with a reach of at
    least :meth:`TurbineNoise.radius_m`; ``min_distance_m`` becomes the
    distance at which the claim's loudest turbine alone meets the limit.
    """
    from ruimte.analysis.nuisance.noise import contour_radius_m, leq_db

    pairs = pairs[is_noise_pair(features, pairs, noise)].copy()
    points = shapely.point_on_surface(features.geometry.to_numpy()[pairs["j"].to_numpy()])
    px, py = shapely.get_coordinates(points).T if len(points) else (np.array([]), np.array([]))
    level = np.full(len(pairs), np.nan)
    radius = np.full(len(pairs), np.nan)
    ids = features["feature_id"].to_numpy()[pairs["i"].to_numpy()]
    for claim_id in np.unique(ids):
        own = noise.turbines[noise.turbines["claim_id"] == claim_id]
        at = ids == claim_id
        level[at] = leq_db(own.geometry.x.to_numpy(), own.geometry.y.to_numpy(),
                           own["lwa_dba"].to_numpy(), own["hub_height_m"].to_numpy(),
                           px[at], py[at], noise.method) + noise.offset_db  # fmt: skip
        loudest = own.sort_values("lwa_dba").iloc[-1]
        radius[at] = contour_radius_m(loudest["lwa_dba"], loudest["hub_height_m"], noise.limit_db,
                                      noise.method, offset_db=noise.offset_db)  # fmt: skip
    pairs["noise_db"] = level
    pairs["min_distance_m"] = radius
    pairs["source"] = noise.source
    pairs["basis"] = f"noise {noise.norm} ({noise.result})"
    return pairs[level > noise.limit_db]
