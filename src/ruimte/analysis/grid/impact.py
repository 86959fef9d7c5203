# SPDX-License-Identifier: Apache-2.0
"""The grid impact of a set of claims: power per claim, assignment, headroom (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from ruimte.analysis.grid.assignment import assign_claims
from ruimte.analysis.grid.claim_power import claim_power
from ruimte.analysis.grid.factors import factors as default_factors
from ruimte.analysis.grid.factors import network_limits
from ruimte.analysis.grid.headroom import headroom, summarise
from ruimte.analysis.grid.network import GridModel


@dataclass
class GridImpact:
    """Result of :func:`grid_impact`.

    Attributes
    ----------
    substations : GeoDataFrame
        Headroom per substation (see :func:`~.headroom.headroom`).
    claims : GeoDataFrame
        Claims with power (``feedin_mw, offtake_mw``) and their substation.
    service_areas : GeoDataFrame
    parents : Series
        ``substation_id -> parent substation_id`` (or None).
    summary : dict
    warnings : list of str
    """

    substations: gpd.GeoDataFrame
    claims: gpd.GeoDataFrame
    service_areas: gpd.GeoDataFrame
    parents: pd.Series
    summary: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def grid_impact(
    claims: gpd.GeoDataFrame,
    model: GridModel,
    *,
    space_use: Mapping[str, tuple[float, str]] | None = None,
    assumptions: Mapping[str, Any] | None = None,
    factors: Mapping[str, float] | None = None,
) -> GridImpact:
    """Compute what ``claims`` do to the substations of ``model``.

    Parameters
    ----------
    claims : GeoDataFrame
        ``claim_id, function, quantity, unit`` and geometry (null = not located).
    model : GridModel
    space_use : mapping, optional
        ``{function: (value, unit)}`` to convert claims given in other units.
    assumptions : mapping, optional
        The scenario's assumptions.
    factors : mapping, optional
        Overrides ``data/factors.csv``.

    Returns
    -------
    GridImpact
    """
    values = {**default_factors(), **(factors or {})}
    power, warnings = claim_power(claims, values, space_use or {}, assumptions=assumptions)
    warnings = [*model.notes, *warnings]
    powered = power[(power["feedin_mw"] > 0) | (power["offtake_mw"] > 0)]
    frame = claims[["claim_id", "geometry"]].merge(powered, on="claim_id", how="inner")
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=claims.crs)
    unlocated = frame[frame.geometry.isna() | frame.geometry.is_empty]
    warnings += [
        f"claim {r.claim_id} ({r.function}, {max(r.feedin_mw, r.offtake_mw):.1f} MW) has no "
        "location: left out of the substation headroom; locate it (or allocate it) first."
        for r in unlocated.itertuples()
    ]
    assignment = assign_claims(
        frame,
        model,
        max_distance_km=values.get("max_claim_distance_km", 10.0),
        snap_tolerance_m=network_limits()["snap_tolerance_m"],
        max_connection_kv=values.get("max_connection_kv", 25.0),
    )
    warnings += assignment.warnings
    stranded = assignment.claims[
        assignment.claims["substation_id"].isna() & assignment.claims["method"].notna()
    ]
    warnings += [
        f"claim {r.claim_id} connects to a part of the grid without a substation: not assigned."
        for r in stranded.itertuples()
    ]
    table, cap_warnings = headroom(
        model, assignment.claims, assignment.parents, power_factor=values.get("power_factor", 1.0)
    )
    warnings += cap_warnings
    summary: dict[str, Any] = summarise(table)
    summary["claims_assigned"] = int(assignment.claims["substation_id"].notna().sum())
    summary["claims_unlocated"] = int(len(unlocated))
    summary["added_feedin_mw"] = round(float(powered["feedin_mw"].sum()), 3)
    summary["added_offtake_mw"] = round(float(powered["offtake_mw"].sum()), 3)
    summary["overloaded_names"] = table.loc[table["overloaded"], "name"].astype(str).tolist()
    claims_out = assignment.claims.copy()
    claims_out["substation_id"] = claims_out["substation_id"].astype(object)
    return GridImpact(
        table, claims_out, assignment.service_areas, assignment.parents, summary, warnings
    )


def space_use_from_vocabulary(vocabulary: Any) -> dict[str, tuple[float, str]]:
    """Return ``{function: (space_use_value, space_use_unit)}`` from a vocabulary.

    Parameters
    ----------
    vocabulary : Vocabulary

    Returns
    -------
    dict
    """
    out: dict[str, tuple[float, str]] = {}
    for fid, fn in vocabulary.functions.items():
        value = getattr(fn, "space_use_value", None)
        unit = getattr(fn, "space_use_unit", None)
        if value is not None and unit and not pd.isna(value):
            out[str(fid)] = (float(value), str(unit))
    return out
