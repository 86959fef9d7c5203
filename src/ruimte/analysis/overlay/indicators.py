# SPDX-License-Identifier: Apache-2.0
"""Indicators per region and governance level, and the comparison of two scenarios.

All indicators come as one long table (``scope``, ``key``, ``metric``,
``group``, ``value``, ``unit``) that stores, filters and compares easily:

- ``claimed_ha`` per ``transition:<id>``, ``layer:<id>``, ``governance_level:<id>``
  and ``total``: claim footprints (clipped to the region);
- ``land_claimed_ha``: the land under at least one claim;
- ``multiple_use_ratio``: claimed hectares / land claimed hectares (1 = no stacking);
- ``conflict_ha``, ``shared_use_ha``, ``saved_ha``: distinct land;
- ``distance_violations``, ``synergies``, ``suggestions``: counts of findings of
  claims in the region (or of the level).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.analysis.overlay.findings import M2_PER_HA
from ruimte.analysis.overlay.kernel import OverlayResult

INDICATOR_COLUMNS: tuple[str, ...] = ("scope", "key", "metric", "group", "value", "unit")


def region_indicators(result: OverlayResult, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Compute the indicators for each region (``code`` and geometry columns).

    Parameters
    ----------
    result : OverlayResult
        One scenario's overlay.
    regions : GeoDataFrame
        Regions with ``code``; same CRS as the result.

    Returns
    -------
    DataFrame
        Columns :data:`INDICATOR_COLUMNS`, ``scope == "region"``.
    """
    claims = result.features[result.features["is_claim"].to_numpy(dtype=bool)]
    footprint = claims["footprint"].to_numpy()
    rows: list[tuple[str, str, str, float, str]] = []
    for code, area in zip(regions["code"], regions.geometry.to_numpy(), strict=True):
        clipped, hit = _clip(footprint, area)
        ha = shapely.area(clipped) / M2_PER_HA
        sub = claims.iloc[hit]
        rows += _claimed_rows(code, sub, ha)
        land = shapely.area(shapely.union_all(clipped)) / M2_PER_HA if len(hit) else 0.0
        rows.append((code, "land_claimed_ha", "total", land, "ha"))
        rows.append((code, "multiple_use_ratio", "total", _ratio(ha.sum(), land), "ratio"))
        for metric, frame in (
            ("conflict_ha", result.conflicts),
            ("shared_use_ha", result.shared_use),
        ):
            pieces, _ = _clip(frame.geometry.to_numpy(), area)
            rows.append((code, metric, "total", shapely.area(pieces).sum() / M2_PER_HA, "ha"))
        saved, at = _clip(result.shared_use.geometry.to_numpy(), area)
        factor = result.shared_use["n_features"].to_numpy()[at] - 1
        rows.append(
            (
                code,
                "saved_ha",
                "total",
                float((shapely.area(saved) * factor).sum()) / M2_PER_HA,
                "ha",
            )
        )
        ids = set(sub["feature_id"])
        rows += _count_rows(code, result, "feature_a", ids)
    return _frame("region", rows)


def level_indicators(result: OverlayResult) -> pd.DataFrame:
    """Compute the indicators per governance level of the claims' owners.

    Returns
    -------
    DataFrame
        Columns :data:`INDICATOR_COLUMNS`, ``scope == "governance_level"``; hectares
        of conflict and shared use count the land where a claim of that level is involved.
    """
    claims = result.features[result.features["is_claim"].to_numpy(dtype=bool)]
    rows: list[tuple[str, str, str, float, str]] = []
    for level in sorted(claims["governance_level"].dropna().unique()):
        sub = claims[claims["governance_level"] == level]
        ha = shapely.area(sub["footprint"].to_numpy()) / M2_PER_HA
        rows += [r for r in _claimed_rows(level, sub, ha) if "governance_level:" not in r[2]]
        for metric, frame in (
            ("conflict_ha", result.conflicts),
            ("shared_use_ha", result.shared_use),
        ):
            mask = frame["governance_levels"].str.split(";").map(lambda v, lv=level: lv in v)
            rows.append((level, metric, "total", float(frame.loc[mask, "area_ha"].sum()), "ha"))
        rows += _count_rows(level, result, "governance_level_a", {level})
    return _frame("governance_level", rows)


def compare_indicators(
    before: pd.DataFrame, after: pd.DataFrame, *, names: tuple[str, str] = ("before", "after")
) -> pd.DataFrame:
    """Put two scenarios' indicators side by side; keep the rows that changed.

    Returns
    -------
    DataFrame
        ``scope``, ``key``, ``metric``, ``group``, ``unit``, one value column per
        name and ``change`` (after - before; a missing value counts as 0).

    Examples
    --------
    >>> a = pd.DataFrame([("region", "X", "conflict_ha", "total", 2.0, "ha")],
    ...                  columns=INDICATOR_COLUMNS)
    >>> b = a.assign(value=5.0)
    >>> compare_indicators(a, b)["change"].tolist()
    [3.0]
    """
    keys = ["scope", "key", "metric", "group", "unit"]
    merged = before.merge(after, on=keys, how="outer", suffixes=("_a", "_b"))
    merged = merged.rename(columns={"value_a": names[0], "value_b": names[1]})
    merged[list(names)] = merged[list(names)].fillna(0.0)
    merged["change"] = merged[names[1]] - merged[names[0]]
    changed = ~np.isclose(merged[names[0]], merged[names[1]], rtol=1e-9, atol=1e-9)
    return merged[changed].sort_values(keys).reset_index(drop=True)


def compare_findings(before: OverlayResult, after: OverlayResult) -> dict[str, list[str]]:
    """Name what changed between two scenarios: claims and conflicting or synergy pairs.

    Returns
    -------
    dict
        ``claims_added``, ``claims_removed``, ``conflicts_added``, ``conflicts_resolved``,
        ``violations_added``, ``violations_resolved``, ``synergies_added``,
        ``synergies_lost``; pairs as ``"A x B"``.
    """
    out: dict[str, list[str]] = {}
    claims = [_claim_ids(before), _claim_ids(after)]
    out["claims_added"] = sorted(claims[1] - claims[0])
    out["claims_removed"] = sorted(claims[0] - claims[1])
    for name, get, labels in (
        ("conflicts", _conflict_pairs, ("added", "resolved")),
        ("violations", lambda r: _pairs(r.distance_violations), ("added", "resolved")),
        (
            "synergies",
            lambda r: _pairs(r.synergies[r.synergies["kind"] == "adjacent"]),
            ("added", "lost"),
        ),
    ):
        a, b = get(before), get(after)
        out[f"{name}_{labels[0]}"] = sorted(b - a)
        out[f"{name}_{labels[1]}"] = sorted(a - b)
    return out


def _clip(geoms: np.ndarray, area: object) -> tuple[np.ndarray, np.ndarray]:
    """Intersect ``geoms`` with one region; return the pieces and their positions."""
    if len(geoms) == 0:
        return np.array([], dtype=object), np.array([], dtype=np.intp)
    hit = shapely.STRtree(geoms).query(area, predicate="intersects")
    hit = np.sort(hit)
    return shapely.intersection(geoms[hit], area), hit


def _claimed_rows(
    key: str, claims: pd.DataFrame, ha: np.ndarray
) -> list[tuple[str, str, str, float, str]]:
    rows = [(key, "claimed_ha", "total", float(ha.sum()), "ha")]
    for column in ("transition", "layer", "governance_level"):
        sums = pd.Series(ha, index=claims[column].to_numpy()).groupby(level=0).sum()
        rows += [(key, "claimed_ha", f"{column}:{k}", float(v), "ha") for k, v in sums.items()]
    return rows


def _count_rows(
    key: str, result: OverlayResult, column: str, values: set[str]
) -> list[tuple[str, str, str, float, str]]:
    """Count violations, synergies and suggestions whose ``column`` is in ``values``."""
    viol, syn = result.distance_violations, result.synergies
    picked = syn[column].isin(values)
    adjacent = (picked & (syn["kind"] == "adjacent")).sum()
    suggested = (picked & (syn["kind"] == "suggestion")).sum()
    return [
        (key, "distance_violations", "total", float(viol[column].isin(values).sum()), "count"),
        (key, "synergies", "total", float(adjacent), "count"),
        (key, "suggestions", "total", float(suggested), "count"),
    ]


def _ratio(claimed: float, land: float) -> float:
    return float(claimed / land) if land > 0 else 0.0


def _frame(scope: str, rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS[1:]))
    frame.insert(0, "scope", scope)
    return frame


def _claim_ids(result: OverlayResult) -> set[str]:
    f = result.features
    return set(f.loc[f["is_claim"].to_numpy(dtype=bool), "feature_id"])


def _pairs(frame: pd.DataFrame) -> set[str]:
    return {f"{a} x {b}" for a, b in zip(frame["feature_a"], frame["feature_b"], strict=True)}


def _conflict_pairs(result: OverlayResult) -> set[str]:
    p = result.pairs
    bad = p[p["relation"].isin(["exclusive", "distance"])]
    return _pairs(bad)
