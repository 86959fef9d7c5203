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
    known = np.isfinite(capacity) & (capacity > 0)
    out["capacity_mw"] = capacity
    out["capacity_known"] = known
    present = {"feedin": subs["peak_feedin_mw"], "offtake": subs["peak_load_mw"]}
    for d in DIRECTIONS:
        peak = np.nan_to_num(present[d].to_numpy(dtype=float)) + added[d]
        room = capacity - peak
        out[f"peak_{d}_before_mw"] = present[d].to_numpy(dtype=float)
        out[f"added_{d}_mw"] = added[d]
        out[f"peak_{d}_after_mw"] = peak
        out[f"headroom_{d}_mw"] = room
        # Unknown capacity: the reinforcement is unknown too (NaN), never 0.
        out[f"reinforcement_{d}_mw"] = np.where(known, np.where(room < 0, -room, 0.0), np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"class_{d}"] = traffic_light(np.where(capacity > 0, room / capacity, np.nan))
    out["reinforcement_mw"] = out[["reinforcement_feedin_mw", "reinforcement_offtake_mw"]].max(
        axis=1, skipna=False
    )
    out["overloaded"] = (out["reinforcement_mw"] > 0).to_numpy()
    missing = [
        f"{name!r} ({sid})"
        for sid, name, ok in zip(ids, subs["name"], known, strict=True)
        if not ok
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


def summarise(table: pd.DataFrame) -> dict[str, float | int | None]:
    """Return the headline figures of a headroom table.

    Counts and MW are over the substations whose capacity is known; where no
    capacity is known at all they are None (unknown), never 0.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`headroom`.

    Returns
    -------
    dict
        ``substations``, ``capacity_known``, ``unknown_capacity``, the counts of
        substations over capacity (feed-in, offtake, either) and the MW of
        reinforcement (per direction and total).

    Examples
    --------
    >>> t = pd.DataFrame({"capacity_known": [False, False], "overloaded": [False, False],
    ...     "reinforcement_feedin_mw": [np.nan] * 2, "reinforcement_offtake_mw": [np.nan] * 2,
    ...     "reinforcement_mw": [np.nan] * 2})
    >>> s = summarise(t)
    >>> s["overloaded"], s["reinforcement_mw"], s["unknown_capacity"]
    (None, None, 2)
    """
    known = table["capacity_known"].astype(bool).to_numpy()
    n_known = int(known.sum())
    part = table[known]
    out: dict[str, float | int | None] = {
        "substations": int(len(table)),
        "capacity_known": n_known,
        "unknown_capacity": int(len(table) - n_known),
    }
    figures: dict[str, float | int] = {
        "overloaded_feedin": int((part["reinforcement_feedin_mw"] > 0).sum()),
        "overloaded_offtake": int((part["reinforcement_offtake_mw"] > 0).sum()),
        "overloaded": int(part["overloaded"].sum()),
        "reinforcement_feedin_mw": round(float(part["reinforcement_feedin_mw"].sum()), 3),
        "reinforcement_offtake_mw": round(float(part["reinforcement_offtake_mw"].sum()), 3),
        "reinforcement_mw": round(float(part["reinforcement_mw"].sum()), 3),
    }
    out.update({k: (v if n_known else None) for k, v in figures.items()})
    return out


def summary_text(summary: dict[str, object]) -> str:
    """Return the one-line headline of :func:`summarise`, saying what is unknown.

    Examples
    --------
    >>> summary_text({"substations": 30, "capacity_known": 0, "unknown_capacity": 30})
    'capacity unknown for 30 of 30 substations: headroom not computed.'
    >>> summary_text({"substations": 3, "capacity_known": 2, "unknown_capacity": 1,
    ...     "overloaded": 1, "overloaded_feedin": 1, "overloaded_offtake": 0,
    ...     "reinforcement_mw": 4.31}).split("; ")  # doctest: +NORMALIZE_WHITESPACE
    ['1 of 2 substations with known capacity over capacity (1 feed-in, 0 offtake)',
     '4.3 MW reinforcement', 'capacity unknown for 1 of 3: their headroom is not computed.']
    """
    total, known = int(summary["substations"]), int(summary["capacity_known"])  # type: ignore[call-overload]
    if known == 0:
        return f"capacity unknown for {total} of {total} substations: headroom not computed."
    scope = "substations" if known == total else "substations with known capacity"
    text = (
        f"{summary['overloaded']} of {known} {scope} over capacity "
        f"({summary['overloaded_feedin']} feed-in, {summary['overloaded_offtake']} offtake); "
        f"{float(summary['reinforcement_mw']):.1f} MW reinforcement"  # type: ignore[arg-type]
    )
    unknown = total - known
    if unknown:
        text += f"; capacity unknown for {unknown} of {total}: their headroom is not computed"
    return text + "."
