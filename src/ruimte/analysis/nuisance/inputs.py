# SPDX-License-Identifier: Apache-2.0
"""Workspace edge of the nuisance analysis: the turbines of a scenario and the dwellings.

Turbines are the located ``wind_turbine`` claims of a scenario (points; a
multipoint is one turbine per point) plus the features of every vector dataset
mapped to ``wind_turbine``. Their dimensions and sound power come from the
feature's own columns (``turbine_type``, ``rotor_m``, ``hub_height_m``,
``lwa_dba``) where present, else from the default turbine type of the wind
rules; every value taken from the default is listed in the ``assumed`` column.

Dwellings are the features of vector datasets mapped to ``housing``, one
dwelling per feature at its representative point unless a ``dwellings``
column gives a count.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.rules import RuleError, load_rules, load_turbine_types

__all__ = ["datasets_of", "scenario_turbines", "workspace_dwellings", "TURBINE_FIELDS"]

#: per-turbine fields the kernels need, in the turbine type table's names
TURBINE_FIELDS = ("rotor_m", "hub_height_m", "lwa_dba", "capacity_mw")
DWELLING_FUNCTION = "housing"
TURBINE_FUNCTION = "wind_turbine"


def datasets_of(ws: Any, function: str) -> list[str]:
    """Return the vector datasets whose function mapping can yield ``function``."""
    names = []
    for rec in ws.datasets().itertuples():
        mapping = rec.function_mapping if isinstance(rec.function_mapping, dict) else {}
        values = mapping.get("values") or {}
        if rec.kind == "vector" and (
            mapping.get("function") == function or function in values.values()
        ):
            names.append(str(rec.name))
    return names


def _default_type(ws: Any) -> str:
    types = load_turbine_types()
    type_id = str(load_rules("wind", workspace=ws.folder).potential.get("turbine_type", ""))
    if type_id not in types:
        raise RuleError(
            f"the wind rules name turbine type {type_id!r}, which turbine_types.csv lacks. "
            "Set potential: turbine_type: to one of " + ", ".join(types) + "."
        )
    return type_id


def _specs(frame: pd.DataFrame, default_id: str) -> pd.DataFrame:
    """Fill the turbine fields from own columns, a named type or the default type."""
    types = load_turbine_types()
    n = len(frame)
    own_type = frame["turbine_type"].astype(object) if "turbine_type" in frame else None
    out = pd.DataFrame(index=frame.index)
    assumed: list[list[str]] = [[] for _ in range(n)]
    out["turbine_type"] = [
        t if isinstance(t, str) and t in types else default_id
        for t in (own_type if own_type is not None else [None] * n)
    ]
    for col in TURBINE_FIELDS:
        own = (
            pd.to_numeric(frame[col], errors="coerce").to_numpy(float)
            if col in frame else np.full(n, np.nan)
        )  # fmt: skip
        typed = np.array([types[t][col] for t in out["turbine_type"]], dtype=float)
        values = np.where(np.isfinite(own) & (own > 0), own, typed)
        for k in np.flatnonzero(~(np.isfinite(own) & (own > 0))):
            named = own_type is not None and out["turbine_type"].iloc[k] == own_type.iloc[k]
            if not named:
                assumed[k].append(col)
        out[col] = values
    out["assumed"] = [",".join(a) for a in assumed]
    return out


def scenario_turbines(ws: Any, scenario: str | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the turbines of a scenario: its located wind claims plus existing turbines.

    Parameters
    ----------
    ws : Workspace
    scenario : str, optional

    Returns
    -------
    (GeoDataFrame, list of str)
        Points with ``origin`` (``claim`` or ``existing``), ``claim_id``,
        ``name``, ``turbine_type``, ``rotor_m``, ``hub_height_m``, ``lwa_dba``,
        ``capacity_mw``, ``assumed`` (fields taken from the default type); and
        warnings about claims that could not be placed.
    """
    default_id = _default_type(ws)
    warnings: list[str] = []
    claims = ws.claims(scenario) if scenario is not None else ws.claims()
    wind = claims[claims["function"] == TURBINE_FUNCTION]
    parts = []
    located = wind[wind.geometry.notna() & ~wind.geometry.is_empty]
    unlocated = wind.loc[~wind.index.isin(located.index), "claim_id"].astype(str).tolist()
    if unlocated:
        warnings.append(
            f"{len(unlocated)} wind claim(s) have no location and are left out: "
            + ", ".join(unlocated[:10])
        )
    is_point = located.geometry.geom_type.isin(["Point", "MultiPoint"])
    areas = located.loc[~is_point, "claim_id"].astype(str).tolist()
    if areas:
        warnings.append(
            f"{len(areas)} wind claim(s) are areas, not turbine positions; place turbines "
            "(ruimte potential) to assess them. Left out: " + ", ".join(areas[:10])
        )
    points = located[is_point].copy()
    if "capacity_mw" not in points and {"quantity", "unit"} <= set(points.columns):
        # a claim of N MW over k turbine points: N / k MW each
        per = points.geometry.apply(lambda g: len(getattr(g, "geoms", [g])))
        mw = pd.to_numeric(points["quantity"], errors="coerce") / per
        points["capacity_mw"] = mw.where(points["unit"] == "MW")
    points = points.explode(index_parts=False)
    if len(points):
        frame = pd.DataFrame({"origin": "claim", "claim_id": points["claim_id"].astype(str),
                              "name": points["description"].astype(str)})  # fmt: skip
        frame = frame.join(_specs(points.drop(columns="geometry"), default_id))
        parts.append(gpd.GeoDataFrame(frame, geometry=points.geometry.values, crs=ws.crs))
    for name in datasets_of(ws, TURBINE_FUNCTION):
        data = ws.read_dataset(name)
        if "function" in data:
            data = data[data["function"] == TURBINE_FUNCTION]
        data = data[data.geometry.notna() & ~data.geometry.is_empty]
        pts = data.geometry.values
        if len(data) and not data.geometry.geom_type.isin(["Point"]).all():
            pts = shapely.point_on_surface(pts)
        label = data["naam"] if "naam" in data else data.get("name", pd.Series("", data.index))
        frame = pd.DataFrame({"origin": "existing", "claim_id": None,
                              "name": label.astype(str).to_numpy()}, index=data.index)  # fmt: skip
        frame = frame.join(_specs(data.drop(columns="geometry"), default_id))
        frame["dataset"] = name
        parts.append(gpd.GeoDataFrame(frame, geometry=pts, crs=ws.crs))
    if not parts:
        empty = pd.DataFrame(columns=["origin", "claim_id", "name", "turbine_type",
                                      *TURBINE_FIELDS, "assumed"])  # fmt: skip
        return gpd.GeoDataFrame(empty, geometry=[], crs=ws.crs), warnings
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=ws.crs), warnings


def workspace_dwellings(ws: Any) -> gpd.GeoDataFrame | None:
    """Return the dwellings of the workspace as points, or None when no dataset has any.

    Returns
    -------
    GeoDataFrame or None
        ``dataset``, ``feature``, ``dwellings`` (count) and point geometry.
        None means "no dwellings dataset": counts are unknown, not zero.
    """
    parts = []
    for name in datasets_of(ws, DWELLING_FUNCTION):
        data = ws.read_dataset(name)
        if "function" in data:
            data = data[data["function"] == DWELLING_FUNCTION]
        data = data[data.geometry.notna() & ~data.geometry.is_empty]
        count = (
            pd.to_numeric(data["dwellings"], errors="coerce").fillna(1).to_numpy()
            if "dwellings" in data else np.ones(len(data))
        )  # fmt: skip
        ident = data["identificatie"] if "identificatie" in data else pd.Series(data.index)
        parts.append(
            gpd.GeoDataFrame(
                {"dataset": name, "feature": ident.astype(str).to_numpy(), "dwellings": count},
                geometry=shapely.point_on_surface(data.geometry.values),
                crs=ws.crs,
            )
        )
    if not parts:
        return None
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=ws.crs)
