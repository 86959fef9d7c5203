# SPDX-License-Identifier: Apache-2.0
"""Headroom per substation for feed-in and offtake, with capacity-map traffic lights.

After the scenario, a substation's peak feed-in is its present peak feed-in
plus the feed-in of the claims assigned to it and to the stations it feeds
(its children, following :attr:`Assignment.parents`); offtake likewise.
Headroom is ``capacity_mva * power_factor - peak``; a negative headroom is the
MW of reinforcement needed. The traffic-light class follows the remaining
share of capacity with thresholds from ``data/traffic_light.csv``, one layer
for feed-in (invoeding) and one for offtake (afname), as on the grid
operators' capaciteitskaart.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.analysis.grid.factors import read_table
from ruimte.analysis.grid.network import GridModel

DIRECTIONS = ("feedin", "offtake")


def upstream_chain(substation_id: str, parents: pd.Series) -> list[str]:
    """Return the substation and every station above it, following ``parents``.

    Parameters
    ----------
    substation_id : str
    parents : Series
        ``substation_id -> parent_id or None``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> upstream_chain("c", pd.Series({"a": None, "b": "a", "c": "b"}))
    ['c', 'b', 'a']
    """
    chain = [substation_id]
    while (parent := parents.get(chain[-1])) is not None and parent not in chain:
        chain.append(str(parent))
    return chain


def traffic_light(share: np.ndarray, thresholds: pd.DataFrame | None = None) -> np.ndarray:
    """Return the traffic-light class of each remaining headroom share.

    Parameters
    ----------
    share : ndarray
        ``headroom / capacity`` (NaN where the capacity is unknown).
    thresholds : DataFrame, optional
        ``class, min_headroom_share`` ordered from best to worst; default
        ``data/traffic_light.csv``.

    Returns
    -------
    ndarray of str
        Class names; ``"unknown"`` where the share is NaN.

    Examples
    --------
    >>> traffic_light(np.array([0.5, 0.1, 0.01, -0.2, np.nan])).tolist()
    ['green', 'yellow', 'orange', 'red', 'unknown']
    """
    table = read_table("traffic_light.csv") if thresholds is None else thresholds
    out = np.full(len(share), "unknown", dtype=object)
    todo = np.isfinite(share)
    for cls, minimum in zip(table["class"], table["min_headroom_share"].astype(float), strict=True):
        hit = todo & (share >= minimum)
        out[hit] = cls
        todo &= ~hit
    return out


def headroom(
    model: GridModel,
    assigned: pd.DataFrame,
    parents: pd.Series,
    *,
    power_factor: float = 1.0,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return headroom per substation after the assigned claims.

    Parameters
    ----------
    model : GridModel
    assigned : DataFrame
        ``substation_id, feedin_mw, offtake_mw`` per claim (unassigned rows ignored).
    parents : Series
        ``substation_id -> parent_id or None``.
    power_factor : float
        MW per MVA of transformer capacity.

    Returns
    -------
    (GeoDataFrame, list of str)
        One row per substation with, for ``d`` in feed-in and offtake:
        ``added_d_mw, peak_d_after_mw, headroom_d_mw, reinforcement_d_mw,
        class_d``; plus ``capacity_mw``, ``overloaded`` and
        ``reinforcement_mw`` (the larger of the two directions); and warnings
        naming substations without capacity.
    """
    subs = model.substations
    ids = subs["substation_id"].astype(str).to_numpy()
    index = {s: i for i, s in enumerate(ids)}
    added = {d: np.zeros(len(ids)) for d in DIRECTIONS}
    rows = assigned.dropna(subset=["substation_id"])
    for sub, group in rows.groupby("substation_id"):
        for station in upstream_chain(str(sub), parents):
            for d in DIRECTIONS:
                added[d][index[station]] += float(group[f"{d}_mw"].sum())
    out = gpd.GeoDataFrame(
        subs[["substation_id", "name", "voltage_hv_kv", "voltage_lv_kv", "capacity_mva"]].copy(),
        geometry=subs.geometry,
        crs=subs.crs,
    )
    out["parent_id"] = [parents.get(s) for s in ids]
    capacity = subs["capacity_mva"].to_numpy(dtype=float) * power_factor
    out["capacity_mw"] = capacity
    present = {"feedin": subs["peak_feedin_mw"], "offtake": subs["peak_load_mw"]}
    for d in DIRECTIONS:
        peak = np.nan_to_num(present[d].to_numpy(dtype=float)) + added[d]
        room = capacity - peak
        out[f"peak_{d}_before_mw"] = present[d].to_numpy(dtype=float)
        out[f"added_{d}_mw"] = added[d]
        out[f"peak_{d}_after_mw"] = peak
        out[f"headroom_{d}_mw"] = room
        out[f"reinforcement_{d}_mw"] = np.where(room < 0, -room, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"class_{d}"] = traffic_light(np.where(capacity > 0, room / capacity, np.nan))
    out["reinforcement_mw"] = out[["reinforcement_feedin_mw", "reinforcement_offtake_mw"]].max(
        axis=1
    )
    out["overloaded"] = (out["reinforcement_mw"] > 0).to_numpy()
    missing = [
        f"{name!r} ({sid})"
        for sid, name, cap in zip(ids, subs["name"], capacity, strict=True)
        if not np.isfinite(cap) or cap <= 0
    ]
    fix = "Add the transformer capacity (capacity_mva) to the substations dataset."
    if len(missing) <= 5:
        warnings = [f"substation {m} has no capacity_mva: its headroom is unknown. {fix}"
                    for m in missing]  # fmt: skip
    else:
        warnings = [
            f"{len(missing)} substations have no capacity_mva, so their headroom is unknown: "
            f"{', '.join(missing[:5])} and {len(missing) - 5} more. {fix}"
        ]
    return out, warnings


def summarise(table: pd.DataFrame) -> dict[str, float | int]:
    """Return the headline figures of a headroom table.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`headroom`.

    Returns
    -------
    dict
        Counts of substations over capacity (feed-in, offtake, either) and the
        MW of reinforcement (per direction and total).
    """
    return {
        "substations": int(len(table)),
        "overloaded_feedin": int((table["reinforcement_feedin_mw"] > 0).sum()),
        "overloaded_offtake": int((table["reinforcement_offtake_mw"] > 0).sum()),
        "overloaded": int(table["overloaded"].sum()),
        "reinforcement_feedin_mw": round(float(table["reinforcement_feedin_mw"].sum()), 3),
        "reinforcement_offtake_mw": round(float(table["reinforcement_offtake_mw"].sum()), 3),
        "reinforcement_mw": round(float(table["reinforcement_mw"].sum()), 3),
        "unknown_capacity": int((table["class_feedin"] == "unknown").sum()),
    }
