# SPDX-License-Identifier: Apache-2.0
"""Noise, flicker and visibility of a set of turbines at a set of dwellings, with counts.

:func:`assess` is pure: frames in, a :class:`NuisanceResult` out. Counts are
of dwellings (the ``dwellings`` column), *over* a norm meaning strictly above
its limit. Without dwellings every count is None (unknown, not zero).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from pyproj import Transformer

from ruimte.analysis.nuisance import flicker as fl
from ruimte.analysis.nuisance import noise as nz
from ruimte.analysis.nuisance import visibility as vis
from ruimte.analysis.nuisance.settings import FlickerMethod, NoiseMethod
from ruimte.analysis.nuisance.viewshed import UNKNOWN, Viewshed

__all__ = ["NuisanceResult", "assess", "count_over"]


@dataclass
class NuisanceResult:
    """What a scenario's turbines do to the dwellings around them.

    Attributes
    ----------
    turbines : GeoDataFrame
        The turbines assessed (see :func:`~.inputs.scenario_turbines`).
    dwellings : GeoDataFrame or None
        Per dwelling point: ``lden_db``, ``lnight_db``, flicker columns,
        ``band``, ``region_code``; None without a dwellings dataset.
    contours : GeoDataFrame
        Noise contour polygons per noise norm (all turbines together).
    bands : GeoDataFrame
        Visibility distance bands (dissolved) with ``area_ha`` and ``dwellings``.
    per_claim : DataFrame
        Per turbine claim, dwellings over each norm from that claim alone.
    per_region : DataFrame
        Per region, dwellings over each norm from all turbines together.
    summary : dict
        Scenario totals (all turbines, existing only and added) and notes.
    warnings : list of str
    """

    turbines: gpd.GeoDataFrame
    dwellings: gpd.GeoDataFrame | None
    contours: gpd.GeoDataFrame
    bands: gpd.GeoDataFrame
    per_claim: pd.DataFrame
    per_region: pd.DataFrame
    summary: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def count_over(values: pd.DataFrame, norms: pd.DataFrame, weights: npt.ArrayLike) -> dict[str, int]:
    """Return, per norm id, the number of dwellings whose indicator exceeds the limit.

    Examples
    --------
    >>> v = pd.DataFrame({"lden_db": [46.0, 47.0, 47.5]})
    >>> n = pd.DataFrame({"id": ["n47"], "indicator": ["lden_db"], "limit": [47.0]})
    >>> count_over(v, n, [1, 1, 2])
    {'n47': 2}
    """
    w = np.asarray(weights, dtype=float)
    out = {}
    for norm in norms.itertuples():
        if norm.indicator in values:
            over = values[norm.indicator].to_numpy(dtype=float) > float(norm.limit)
            out[str(norm.id)] = int(round(float(w[over].sum())))
    return out


def _noise_columns(t: pd.DataFrame, x: Any, y: Any, method: NoiseMethod) -> dict[str, Any]:
    leq = nz.leq_db(t.geometry.x.to_numpy(), t.geometry.y.to_numpy(), t["lwa_dba"].to_numpy(),
                    t["hub_height_m"].to_numpy(), x, y, method)  # fmt: skip
    return {"lden_db": leq + method.lden_offset_db, "lnight_db": leq}


def _flicker_columns(
    t: pd.DataFrame, x: Any, y: Any, sun: fl.SunPath, method: FlickerMethod,
    sunshine: npt.ArrayLike | None, progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:  # fmt: skip
    table = fl.shadow_flicker(
        t.geometry.x.to_numpy(), t.geometry.y.to_numpy(), t["hub_height_m"].to_numpy(),
        t["rotor_m"].to_numpy(), x, y, sun, method, progress=progress,
    )  # fmt: skip
    table["flicker_hours_worst"] = table["flicker_hours"]
    if sunshine is not None:
        table["flicker_hours"] = fl.realistic_hours(table, np.asarray(sunshine, dtype=float))
    return table


def _site(turbines: gpd.GeoDataFrame) -> tuple[float, float]:
    to_wgs = Transformer.from_crs(turbines.crs, "EPSG:4326", always_xy=True)
    lon, lat = to_wgs.transform(turbines.geometry.x.mean(), turbines.geometry.y.mean())
    return float(lat), float(lon)


def assess(
    turbines: gpd.GeoDataFrame,
    dwellings: gpd.GeoDataFrame | None,
    regions: gpd.GeoDataFrame | None,
    norms: pd.DataFrame,
    bands: pd.DataFrame,
    noise_method: NoiseMethod,
    flicker_method: FlickerMethod,
    *,
    sunshine_fraction: npt.ArrayLike | None = None,
    progress: Callable[[int], None] | None = None,
    view: Viewshed | None = None,
) -> NuisanceResult:
    """Compute noise, flicker and visibility and count the dwellings over each norm.

    Parameters
    ----------
    turbines : GeoDataFrame
        Points with ``origin``, ``claim_id``, ``rotor_m``, ``hub_height_m``, ``lwa_dba``.
    dwellings : GeoDataFrame or None
        Points with a ``dwellings`` count; None when unknown.
    regions : GeoDataFrame or None
        Regions (``code``, ``name``, geometry) to count per; each dwelling gets
        the region containing it.
    norms, bands : DataFrame
        From :func:`~.settings.load_norms` and :func:`~.settings.load_bands`.
    noise_method, flicker_method
        From :func:`~.settings.load_method`.
    sunshine_fraction : array of 12, optional
        Monthly sunshine fraction: flicker hours become the realistic expectation.
    progress : callable, optional
        Called with a number of dwellings done, per flicker chunk.
    view : Viewshed, optional
        The turbines' viewshed on a DEM (:func:`~.viewshed.viewshed`): bands are
        then those of the nearest *visible* turbine, plus "not visible";
        without it, distance bands only.

    Returns
    -------
    NuisanceResult
    """
    crs = turbines.crs
    tx, ty = turbines.geometry.x.to_numpy(), turbines.geometry.y.to_numpy()
    noise_norms = norms[norms["indicator"].isin(["lden_db", "lnight_db"])]
    offsets = {"lden_db": noise_method.lden_offset_db, "lnight_db": 0.0}
    thresholds = {
        str(n.id): (float(n.limit), offsets[n.indicator]) for n in noise_norms.itertuples()
    }
    contours = nz.noise_contours(tx, ty, turbines["lwa_dba"].to_numpy(),
                                 turbines["hub_height_m"].to_numpy(), thresholds, noise_method,
                                 crs=crs)  # fmt: skip
    contours = contours.merge(norms[["id", "indicator", "label", "source"]], left_on="norm",
                              right_on="id").drop(columns="id")  # fmt: skip
    band_frame = (
        vis.band_polygons(tx, ty, bands, crs=crs) if view is None else view.polygons(bands, crs)
    )
    warnings: list[str] = []
    summary: dict[str, Any] = {
        "turbines": int(len(turbines)),
        "turbines_claimed": int((turbines["origin"] == "claim").sum()),
        "turbines_existing": int((turbines["origin"] == "existing").sum()),
        "turbines_with_assumed_values": int((turbines["assumed"] != "").sum()),
        "method": "ISO 9613-2 simplified (A-weighted, flat ground), constant operation",
        "lden_offset_db": round(noise_method.lden_offset_db, 3),
        "flicker": "astronomical worst case" if sunshine_fraction is None else
                   "realistic expectation (monthly sunshine fraction)",
        "visibility": vis.NOTE if view is None else view.note,
        "visibility_method": "distance bands" if view is None else "viewshed",
        "contour_area_ha": {r.norm: round(float(r.area_ha), 2) for r in contours.itertuples()},
        "band_area_ha": {r.band: round(float(r.area_ha), 1) for r in band_frame.itertuples()},
    }  # fmt: skip
    if dwellings is None:
        warnings.append("no dwellings dataset: counts unknown")
        summary |= {"dwellings": None, "over": {str(i): None for i in norms["id"]},
                    "band_dwellings": {str(b): None for b in band_frame["band"]}}  # fmt: skip
        band_frame["dwellings"] = None
        per_claim = pd.DataFrame({"claim_id": turbines["claim_id"].dropna().unique()})
        return NuisanceResult(turbines, None, contours, band_frame, per_claim, pd.DataFrame(),
                              summary, warnings)  # fmt: skip
    dw = dwellings.copy()
    x, y = dw.geometry.x.to_numpy(), dw.geometry.y.to_numpy()
    weights = dw["dwellings"].to_numpy(dtype=float)
    for col, values in _noise_columns(turbines, x, y, noise_method).items():
        dw[col] = values
    if len(turbines):
        sun = fl.sun_path(*_site(turbines), flicker_method)
        flick = _flicker_columns(turbines, x, y, sun, flicker_method, sunshine_fraction, progress)
        for col in flick:
            dw[col] = flick[col].to_numpy()
    else:
        for col in ("flicker_hours", "flicker_max_minutes_day", "flicker_days_over_20min"):
            dw[col] = 0.0
    dist = vis.nearest_distance_m(tx, ty, x, y)
    dw["nearest_turbine_m"] = dist
    dw["band"] = vis.band_of(dist, bands) if view is None else view.band_of(x, y, bands)
    unknown = int(weights[dw["band"] == UNKNOWN].sum())
    if unknown:
        warnings.append(f"{unknown} dwelling(s) lie on DEM cells without data: band unknown.")
    band_frame["dwellings"] = [int(weights[dw["band"] == b].sum()) for b in band_frame["band"]]
    # existing turbines only: what the scenario adds
    existing = turbines[turbines["origin"] == "existing"]
    base = (
        pd.DataFrame(_noise_columns(existing, x, y, noise_method))
        if len(existing)
        else pd.DataFrame(
            {"lden_db": np.full(len(dw), -np.inf), "lnight_db": np.full(len(dw), -np.inf)}
        )
    )
    if len(existing):
        base_flick = _flicker_columns(existing, x, y, sun, flicker_method, sunshine_fraction)
        base = base.join(base_flick)
    over_all = count_over(dw, norms, weights)
    over_base = count_over(base, norms, weights)
    if sunshine_fraction is not None:  # the same hour norms on the worst case, for comparison
        summary["over_worst_case"] = count_over(
            dw[["flicker_hours_worst"]].rename(columns={"flicker_hours_worst": "flicker_hours"}),
            norms[norms["indicator"] == "flicker_hours"], weights)  # fmt: skip
    summary |= {
        "dwellings": int(weights.sum()),
        "over": over_all,
        "over_existing_only": over_base,
        "over_added_by_scenario": {k: over_all[k] - over_base.get(k, 0) for k in over_all},
        "band_dwellings": dict(zip(band_frame["band"], band_frame["dwellings"], strict=True)),
        "max_lden_db": _finite_max(dw["lden_db"]),
        "max_flicker_hours": _finite_max(dw["flicker_hours"]),
    }
    per_claim = _per_claim(turbines, dw, norms, noise_method, flicker_method,
                           sun if len(turbines) else None, sunshine_fraction)  # fmt: skip
    per_region = _per_region(dw, regions, norms, weights)
    return NuisanceResult(turbines, dw, contours, band_frame, per_claim, per_region, summary,
                          warnings)  # fmt: skip


def _finite_max(values: pd.Series) -> float | None:
    arr = values.to_numpy(dtype=float)
    arr = arr[np.isfinite(arr)]
    return round(float(arr.max()), 2) if arr.size else None


def _per_claim(
    turbines: gpd.GeoDataFrame, dw: gpd.GeoDataFrame, norms: pd.DataFrame,
    noise_method: NoiseMethod, flicker_method: FlickerMethod, sun: fl.SunPath | None,
    sunshine: npt.ArrayLike | None,
) -> pd.DataFrame:  # fmt: skip
    rows = []
    x, y = dw.geometry.x.to_numpy(), dw.geometry.y.to_numpy()
    weights = dw["dwellings"].to_numpy(dtype=float)
    claimed = turbines[turbines["origin"] == "claim"]
    for claim_id, group in claimed.groupby("claim_id", sort=True):
        own = pd.DataFrame(_noise_columns(group, x, y, noise_method))
        if sun is not None:
            own = own.join(_flicker_columns(group, x, y, sun, flicker_method, sunshine))
        rows.append({
            "claim_id": claim_id, "turbines": len(group),
            "turbine_type": ",".join(sorted(set(group["turbine_type"]))),
            "assumed": ",".join(sorted({a for s in group["assumed"] for a in s.split(",") if a})),
            **{f"over_{k}": v for k, v in count_over(own, norms, weights).items()},
        })  # fmt: skip
    return pd.DataFrame(rows)


def _per_region(
    dw: gpd.GeoDataFrame, regions: gpd.GeoDataFrame | None, norms: pd.DataFrame, weights: Any
) -> pd.DataFrame:
    """Count per region by geometry: every region (any level) that contains the dwelling."""
    if regions is None or len(regions) == 0:
        return pd.DataFrame()
    regions = regions.reset_index(drop=True)
    has_level = "level" in regions
    joined = gpd.sjoin(dw[["geometry"]], regions[["geometry"]], how="inner", predicate="within")
    rec, reg = joined.index.to_numpy(), joined["index_right"].to_numpy()
    # each dwelling's own region: the smallest region that contains it
    area = regions.geometry.area.to_numpy()
    order = np.lexsort((area[reg], rec))
    first = order[np.r_[True, rec[order][1:] != rec[order][:-1]]] if rec.size else order
    codes = np.full(len(dw), None, dtype=object)
    codes[dw.index.get_indexer(rec[first])] = regions["code"].to_numpy()[reg[first]]
    dw["region_code"] = codes
    pos = dw.index.get_indexer(rec)
    n_reg = len(regions)
    table: dict[str, Any] = {
        "region_code": regions["code"].to_numpy(),
        "name": regions["name"].to_numpy(),
    }
    if has_level:
        table["level"] = regions["level"].to_numpy()
    table["dwellings"] = np.bincount(reg, weights=weights[pos], minlength=n_reg).round().astype(int)
    for norm in norms.itertuples():
        if norm.indicator in dw:
            over = dw[norm.indicator].to_numpy(dtype=float)[pos] > float(norm.limit)
            table[f"over_{norm.id}"] = (
                np.bincount(reg[over], weights=weights[pos][over], minlength=n_reg)
                .round()
                .astype(int)
            )
    return pd.DataFrame(table)
