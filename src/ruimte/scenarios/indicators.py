# SPDX-License-Identifier: Apache-2.0
"""Scenario indicators for the dashboard, the comparison and the report.

Per region: hectares claimed per transition and per layer, claims, TWh per
year planned against the target, homes against the target, conflicts between
claims, and substations over capacity. Yields use the scenario's assumptions
(``full_load_hours_wind``, ``kwh_per_kwp``, ``ha_per_mwp``, ``homes_per_ha``,
sourced in FACTS.md §2-§5 and stored with the scenario).

The studio's dashboard and compare view and ``ruimte report`` all take their
numbers from :func:`workspace_indicators` and :func:`workspace_comparison`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from ruimte.governance.claim_regions import claim_regions
from ruimte.governance.hierarchy import workspace_hierarchy
from ruimte.names import key_part
from ruimte.vocab import Vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from ruimte.workspace import Workspace

SOLAR = ("solar_field", "floating_solar", "rooftop_solar")
_TO_MW = {"GW": 1000.0, "MW": 1.0, "kW": 0.001, "GWp": 1000.0, "MWp": 1.0, "kWp": 0.001}


def footprint_ha(claims: gpd.GeoDataFrame) -> pd.Series:
    """Return each claim's land in hectares: its polygon area, or its quantity when in ha.

    Claims combined on one footprint (one row of a file with several
    functions, ``combined_with``) share its land: each counts its part, so
    the land counts once.
    """
    area = claims.geometry.area.fillna(0.0) / 1e4
    unlocated = claims.geometry.isna() | claims.geometry.is_empty
    in_ha = unlocated & (claims["unit"] == "ha")
    ha = area.where(~in_ha, claims["quantity"].astype(float)).fillna(0.0)
    if "combined_with" in claims:
        partners = claims["combined_with"].fillna("").astype(str).str.count(";")
        partners = partners + (claims["combined_with"].notna() & claims["combined_with"].ne(""))
        ha = ha / (1 + partners.astype(int))
    return ha


def capacity_mw(claims: pd.DataFrame, assumptions: Mapping[str, Any], ha: pd.Series) -> pd.Series:
    """Return each claim's capacity in MW (MWp for solar); solar given in ha via ``ha_per_mwp``."""
    factor = claims["unit"].map(_TO_MW)
    mw = claims["quantity"].astype(float) * factor
    solar_ha = claims["function"].isin(SOLAR) & factor.isna()
    ha_per_mwp = float(assumptions.get("ha_per_mwp", 1.2))
    return mw.where(~solar_ha, ha / ha_per_mwp).fillna(0.0)


def yield_twh(claims: pd.DataFrame, assumptions: Mapping[str, Any], mw: pd.Series) -> pd.Series:
    """Return each claim's yearly yield in TWh: wind MW x full-load hours, solar MWp x kWh/kWp."""
    wind = (
        (claims["function"] == "wind_turbine")
        * mw
        * float(assumptions.get("full_load_hours_wind", 2960))
    )
    solar = claims["function"].isin(SOLAR) * mw * float(assumptions.get("kwh_per_kwp", 875))
    return (wind + solar) / 1e6


def homes(claims: pd.DataFrame, assumptions: Mapping[str, Any], ha: pd.Series) -> pd.Series:
    """Return each housing claim's homes: its quantity in homes, else hectares x homes per ha."""
    housing = claims["function"] == "housing"
    counted = claims["quantity"].astype(float).where(claims["unit"] == "homes")
    estimated = ha * float(assumptions.get("homes_per_ha", 30))
    return (counted.fillna(estimated) * housing).fillna(0.0)


def claim_conflicts(claims: gpd.GeoDataFrame, vocab: Vocabulary) -> gpd.GeoDataFrame:
    """Return pairs of located claims that overlap although the vocabulary says ``exclusive``.

    Returns
    -------
    GeoDataFrame
        ``claim_a``, ``claim_b``, ``function_a``, ``function_b``, ``overlap_ha`` and
        the shared land (or the point, for a point claim) as geometry.
    """
    located = claims[claims.geometry.notna() & ~claims.geometry.is_empty].reset_index(drop=True)
    rows = []
    if len(located) > 1:
        left, right = located.sindex.query(located.geometry, predicate="intersects")
        for i, j in zip(left, right, strict=True):
            if i >= j:
                continue
            a, b = located.iloc[i], located.iloc[j]
            if vocab.relation(a["function"], b["function"]).relation != "exclusive":
                continue
            shared = a.geometry.intersection(b.geometry)
            overlap = shared.area / 1e4
            if overlap > 0 or "Point" in (a.geometry.geom_type, b.geometry.geom_type):
                rows.append(
                    (a["claim_id"], b["claim_id"], a["function"], b["function"], overlap, shared)
                )
    columns = ["claim_a", "claim_b", "function_a", "function_b", "overlap_ha", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), crs=claims.crs)


def target_for(
    targets: pd.DataFrame, region: str, scenario: str, *, unit: str, **match: str
) -> float | None:
    """Return a region's target in ``unit`` matching e.g. ``transition="energy"``.

    A target stored for the scenario wins over one for ``all`` scenarios.
    """
    rows = targets[(targets["region_code"] == region) & (targets["unit"] == unit)]
    for column, value in match.items():
        rows = rows[rows[column] == value]
    own = rows[rows["scenario"] == scenario]
    rows = own if not own.empty else rows[rows["scenario"].isin(["all"]) | rows["scenario"].isna()]
    return float(rows["quantity"].sum()) if not rows.empty else None


def region_indicators(
    claims: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    links: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    scenario: str,
    assumptions: Mapping[str, Any],
    vocab: Vocabulary,
    substations: gpd.GeoDataFrame | None = None,
    every_region: gpd.GeoDataFrame | None = None,
) -> list[dict[str, Any]]:
    """Compute the dashboard indicators of one scenario for each region.

    A located claim counts for a region by the share of it that lies there,
    and a claim not yet located for the region it names (the rule of the gap
    report, :func:`~ruimte.governance.claim_regions.claim_regions`).
    ``every_region`` is the whole region table when ``regions`` is a subset
    (one level, one region): shares are taken over its municipalities.

    Returns
    -------
    list of dict
        Per region: ``code``, ``name``, ``level``, ``claims``, ``ha_by_transition``,
        ``ha_by_layer``, ``twh_planned``, ``twh_target``, ``homes_planned``,
        ``homes_target``, ``conflicts``, ``substations``, ``substations_over_capacity``.
    """
    ha = footprint_ha(claims)
    twh = yield_twh(claims, assumptions, capacity_mw(claims, assumptions, ha))
    n_homes = homes(claims, assumptions, ha)
    conflicts = claim_conflicts(claims, vocab)
    every_region = regions if every_region is None else every_region
    hierarchy = workspace_hierarchy(every_region, links)
    counted = claim_regions(claims, every_region, hierarchy)
    out = []
    for _, region in regions.iterrows():
        weight = counted.weights(str(region["code"]), hierarchy, len(claims))
        mask = weight > 0
        ids = set(claims.loc[mask, "claim_id"])
        clashes = conflicts["claim_a"].isin(ids) | conflicts["claim_b"].isin(ids)
        row: dict[str, Any] = {
            "code": region["code"],
            "name": region["name"],
            "level": region["level"],
            "claims": int(mask.sum()),
            "ha_by_transition": _sums((ha * weight)[mask], claims.loc[mask, "transition"]),
            "ha_by_layer": _sums((ha * weight)[mask], claims.loc[mask, "layer"]),
            "twh_planned": round(float((twh * weight).sum()), 4),
            "twh_target": target_for(
                targets, region["code"], scenario, unit="TWh/yr", transition="energy"
            ),
            "homes_planned": round(float((n_homes * weight).sum())),
            "homes_target": target_for(
                targets, region["code"], scenario, unit="homes", function="housing"
            ),
            "conflicts": int(clashes.sum()),
        }
        row.update(_substations(substations, region))
        out.append(row)
    return out


def _sums(values: pd.Series, keys: pd.Series) -> dict[str, float]:
    grouped = values.groupby(keys.to_numpy()).sum()
    return {str(k): round(float(v), 2) for k, v in grouped.items() if v > 0}


def _substations(substations: gpd.GeoDataFrame | None, region: Any) -> dict[str, Any]:
    if substations is None or substations.empty or region.geometry is None:
        return {"substations": 0, "substations_over_capacity": []}
    inside = substations[substations.geometry.within(region.geometry)]
    peak = inside[["peak_load_mw", "peak_feedin_mw"]].max(axis=1)
    over = inside[peak > inside["capacity_mva"]]
    return {
        "substations": len(inside),
        "substations_over_capacity": [str(n) for n in over.get("naam", over.index)],
    }


def compare_indicators(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the rows of a comparison table: indicator, value in a, value in b, difference.

    Examples
    --------
    >>> rows = compare_indicators({"claims": 3, "ha_by_transition": {"energy": 2.0}},
    ...                           {"claims": 5, "ha_by_transition": {"energy": 3.5}})
    >>> [(r["indicator"], r["a"], r["b"], r["difference"]) for r in rows]
    [('claims', 3, 5, 2), ('ha energy', 2.0, 3.5, 1.5)]
    """
    rows = []
    for key in a:
        va, vb = a.get(key), b.get(key)
        if isinstance(va, dict) or isinstance(vb, dict):
            va, vb = va or {}, vb or {}
            prefix = "ha" if key.startswith("ha_") else key
            for sub in sorted(set(va) | set(vb)):
                x, y = va.get(sub, 0.0), vb.get(sub, 0.0)
                rows.append(
                    {"indicator": f"{prefix} {sub}", "a": x, "b": y, "difference": round(y - x, 4)}
                )
        elif isinstance(va, int | float) and isinstance(vb, int | float):
            diff = vb - va
            rows.append({"indicator": key, "a": va, "b": vb, "difference": round(diff, 4)})
    return rows


def workspace_indicators(
    ws: Workspace, scenario: str, *, level: str | None = None, region: str | None = None
) -> list[dict[str, Any]]:
    """Compute the indicators of ``scenario`` for the regions of ``level`` (or one ``region``).

    Where the scenario's grid impact and overlay are stored, their substations
    over capacity, reinforcement, and hectares in conflict and shared use
    replace the estimates from the claims alone.

    Returns
    -------
    list of dict
        One dict per region, as :func:`region_indicators`, plus
        ``substations_capacity_unknown``, ``reinforcement_mw`` (None when no
        capacity is known), ``conflict_ha``, ``shared_use_ha`` and
        ``distance_violations`` where those results are stored.
    """
    scenarios = ws.scenarios()
    ws.scenario_lineage(scenario)  # raises UnknownScenarioError with a hint
    row = scenarios[scenarios["name"] == scenario].iloc[0]
    regions = ws.regions(level) if level else ws.regions()
    if region is not None:
        regions = regions[regions["code"] == region]
    names = set(ws.datasets()["name"])
    substations = ws.read_dataset("substations") if "substations" in names else None
    rows = region_indicators(
        ws.claims(scenario),
        regions,
        ws.region_parents(),
        ws.targets(),
        scenario=scenario,
        assumptions=row["assumptions"] or {},
        vocab=ws.vocabulary,
        substations=substations,
        every_region=ws.regions(),
    )
    stored = set(ws.results()["key"])
    if f"grid_{key_part(scenario)}" in stored:
        _grid_figures(rows, regions, ws.read_result(f"grid_{key_part(scenario)}", "substations"))
    if f"conflicts_{key_part(scenario)}" in stored:
        _overlay_figures(rows, ws.read_result(f"conflicts_{key_part(scenario)}", "indicators"))
    return rows


def _grid_figures(rows: list[dict[str, Any]], regions: Any, stations: Any) -> None:
    """Replace the stored substation loads by the grid-impact result of the scenario."""
    by_code = regions.set_index("code").geometry
    for row in rows:
        inside = stations[stations.geometry.within(by_code[row["code"]])]
        over = inside[inside["overloaded"].astype(bool)]
        known = inside["reinforcement_mw"].notna()
        row["substations"] = len(inside)
        row["substations_over_capacity"] = [str(n) for n in over["name"]]
        row["substations_capacity_unknown"] = int((~known).sum())
        # Unknown capacity is unknown reinforcement: None when no station here has one.
        row["reinforcement_mw"] = (
            round(float(inside.loc[known, "reinforcement_mw"].sum()), 1) if known.any() else None
        )


def _overlay_figures(rows: list[dict[str, Any]], indicators: Any) -> None:
    """Add the overlay's hectares in conflict and in shared use, and its distance violations."""
    regional = indicators[(indicators["scope"] == "region") & (indicators["group"] == "total")]
    for row in rows:
        mine = regional[regional["key"] == row["code"]].set_index("metric")["value"]
        for metric in ("conflict_ha", "shared_use_ha", "distance_violations"):
            if metric in mine:
                row[metric] = round(float(mine[metric]), 1)


def top_region(ws: Workspace) -> str:
    """Return the code of the workspace's top region (the first without a parent)."""
    regions = ws.regions()
    top = regions[regions["parent_code"].isna()]
    return str((top if not top.empty else regions).iloc[0]["code"])


def workspace_comparison(
    ws: Workspace, a: str, b: str, region: str | None = None
) -> dict[str, Any]:
    """Compare scenarios ``a`` and ``b`` for ``region`` (default: the top region).

    Returns
    -------
    dict
        ``a``, ``b``, ``region``, ``rows`` (indicator, a, b, difference, as
        :func:`compare_indicators`), ``only_in_a`` and ``only_in_b`` (claim ids).
    """
    from ruimte.workspace.records import RecordError

    region = region or top_region(ws)
    ind_a = workspace_indicators(ws, a, region=region)
    ind_b = workspace_indicators(ws, b, region=region)
    if not ind_a:
        codes = ", ".join(ws.regions()["code"])
        raise RecordError(f"no region {region!r}; choose one of {codes}.")
    ids_a = set(ws.claims(a)["claim_id"])
    ids_b = set(ws.claims(b)["claim_id"])
    return {
        "a": a,
        "b": b,
        "region": region,
        "rows": compare_indicators(_flat(ind_a[0]), _flat(ind_b[0])),
        "only_in_a": sorted(ids_a - ids_b),
        "only_in_b": sorted(ids_b - ids_a),
    }


def _flat(indicators: dict[str, Any]) -> dict[str, Any]:
    keep = ("claims", "twh_planned", "twh_target", "homes_planned", "homes_target", "conflicts")
    out = {k: indicators[k] for k in keep if indicators.get(k) is not None}
    out["ha_by_transition"] = indicators["ha_by_transition"]
    out["ha_by_layer"] = indicators["ha_by_layer"]
    return out
