# SPDX-License-Identifier: Apache-2.0
"""Energy hubs: generation, storage and demand behind one grid connection, over 8760 hours.

A hub is a claim (an energy or mobility hub) plus every located claim within
``hub_radius_m`` of it. Each member becomes an hourly series through
``data/hub_members.csv`` (profile and size per unit) and the shipped profiles
(:mod:`.profiles`). The report compares the connection capacity needed

* with separate connections: peak generation + peak demand,
* with matching behind one connection: ``max |demand - generation|``,
* with the hub's battery dispatched to minimise the peak (:mod:`.dispatch`),

and the difference is the reinforcement the hub avoids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.analysis.grid.claim_power import convert_quantity
from ruimte.analysis.grid.dispatch import min_peak_dispatch
from ruimte.analysis.grid.factors import GridDataError, read_table
from ruimte.analysis.grid.profiles import load_profiles
from ruimte.errors import did_you_mean


class HubError(GridDataError):
    """A hub claim that does not exist, is not located, or has no members."""


@dataclass
class HubResult:
    """Outcome of :func:`evaluate_hub`.

    Attributes
    ----------
    members : DataFrame
        ``claim_id, function, kind, profile, size, unit`` per series.
    generation_mw, demand_mw, grid_mw : ndarray
        Hourly series; ``grid_mw`` is the exchange with the battery (import > 0).
    battery_mw, battery_mwh : float
    summary : dict
        ``separate_mw, matched_mw, hub_mw, avoided_mw`` and annual energies.
    """

    members: pd.DataFrame
    generation_mw: np.ndarray
    demand_mw: np.ndarray
    grid_mw: np.ndarray
    battery_mw: float
    battery_mwh: float
    summary: dict[str, Any] = field(default_factory=dict)


def hub_members(claims: gpd.GeoDataFrame, hub_id: str, radius_m: float) -> gpd.GeoDataFrame:
    """Return the hub claim and every located claim within ``radius_m`` of it.

    Parameters
    ----------
    claims : GeoDataFrame
    hub_id : str
    radius_m : float

    Returns
    -------
    GeoDataFrame

    Raises
    ------
    HubError
        If the claim does not exist or has no location.
    """
    ids = claims["claim_id"].astype(str)
    if hub_id not in set(ids):
        raise HubError(f"no claim {hub_id!r} in this scenario. {did_you_mean(hub_id, ids)}")
    hub = claims[ids == hub_id].geometry.iloc[0]
    if hub is None or hub.is_empty:
        raise HubError(f"claim {hub_id!r} has no location: locate it before the hub calculation.")
    located = claims[~(claims.geometry.isna() | claims.geometry.is_empty)]
    return located[located.geometry.distance(hub) <= radius_m]


def hub_series(
    members: pd.DataFrame,
    *,
    space_use: Mapping[str, tuple[float, str]] | None = None,
    profiles: pd.DataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray, float, float, pd.DataFrame, list[str]]:
    """Turn hub members into hourly generation and demand and a battery size.

    Parameters
    ----------
    members : DataFrame
        ``claim_id, function, quantity, unit``.
    space_use : mapping, optional
        For converting quantities (see :func:`.claim_power.convert_quantity`).
    profiles : DataFrame, optional
        Default the shipped profiles.

    Returns
    -------
    (generation_mw, demand_mw, battery_mw, battery_mwh, table, warnings)
    """
    profiles = load_profiles() if profiles is None else profiles
    rules = read_table("hub_members.csv")
    gen = np.zeros(len(profiles))
    dem = np.zeros(len(profiles))
    power = energy = 0.0
    rows, warnings = [], []
    for claim in members.itertuples(index=False):
        own = rules[rules["function"] == claim.function]
        if own.empty:
            warnings.append(f"claim {claim.claim_id} ({claim.function}): no hub profile; left out.")
            continue
        for rule in own.itertuples(index=False):
            size = convert_quantity(
                float(claim.quantity), str(claim.unit), str(rule.unit), str(claim.function),
                space_use or {},
            )  # fmt: skip
            if size is None:
                warnings.append(
                    f"claim {claim.claim_id}: {claim.unit!r} cannot be converted to {rule.unit!r}."
                )
                break
            if rule.kind == "storage":
                power += size * float(rule.power_per_unit)
                energy += size * float(rule.energy_mwh_per_unit)
            elif rule.kind == "generation":
                gen += size * float(rule.power_per_unit) * profiles[rule.profile].to_numpy()
            else:
                dem += size * float(rule.annual_mwh_per_unit) * profiles[rule.profile].to_numpy()
            rows.append(
                {"claim_id": claim.claim_id, "function": claim.function, "kind": rule.kind,
                 "profile": rule.profile if isinstance(rule.profile, str) else "",
                 "size": size, "unit": rule.unit}
            )  # fmt: skip
    return gen, dem, power, energy, pd.DataFrame(rows), warnings


def evaluate_hub(
    generation_mw: np.ndarray,
    demand_mw: np.ndarray,
    battery_mw: float,
    battery_mwh: float,
    *,
    round_trip_efficiency: float = 0.9,
    members: pd.DataFrame | None = None,
) -> HubResult:
    """Compare the connection capacity with separate connections, matching and storage.

    Parameters
    ----------
    generation_mw, demand_mw : ndarray
        Hourly series of equal length.
    battery_mw, battery_mwh : float
    round_trip_efficiency : float
    members : DataFrame, optional
        Carried into the result.

    Returns
    -------
    HubResult

    Examples
    --------
    >>> r = evaluate_hub(np.array([0.0, 2.0]), np.array([2.0, 0.0]), 0.0, 0.0)
    >>> r.summary["separate_mw"], r.summary["matched_mw"]
    (4.0, 2.0)
    """
    net = np.asarray(demand_mw, float) - np.asarray(generation_mw, float)
    separate = float(np.max(generation_mw, initial=0.0) + np.max(demand_mw, initial=0.0))
    matched = float(np.abs(net).max())
    if battery_mw > 0 and battery_mwh > 0:
        dispatch = min_peak_dispatch(
            net, battery_mw, battery_mwh, round_trip_efficiency=round_trip_efficiency
        )
        grid, hub_peak, status = dispatch.grid_mw, dispatch.peak_mw, dispatch.status
    else:
        grid, hub_peak, status = net, matched, "no battery"
    summary = {
        "separate_mw": round(separate, 3),
        "matched_mw": round(matched, 3),
        "hub_mw": round(hub_peak, 3),
        "avoided_mw": round(separate - hub_peak, 3),
        "avoided_by_battery_mw": round(matched - hub_peak, 3),
        "generation_mwh": round(float(np.sum(generation_mw)), 1),
        "demand_mwh": round(float(np.sum(demand_mw)), 1),
        "import_mwh": round(float(np.clip(grid, 0, None).sum()), 1),
        "export_mwh": round(float(np.clip(-grid, 0, None).sum()), 1),
        "battery_mw": battery_mw,
        "battery_mwh": battery_mwh,
        "dispatch_status": status,
    }
    table = members if members is not None else pd.DataFrame()
    return HubResult(
        table, np.asarray(generation_mw), np.asarray(demand_mw), grid, battery_mw, battery_mwh,
        summary,
    )  # fmt: skip
