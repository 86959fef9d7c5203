# SPDX-License-Identifier: Apache-2.0
"""Workspace edge of the energy-hub calculation: members, 8760-hour series, dispatch, storage."""

from __future__ import annotations

import time
from typing import Any

import geopandas as gpd
import pandas as pd

from ruimte.analysis.grid.impact import space_use_from_vocabulary
from ruimte.analysis.grid.network_import import model_from_workspace
from ruimte.analysis.grid.run import resolve_scenario, run_grid, scenario_claims
from ruimte.names import key_part


def run_hub(ws: Any, hub_id: str, scenario: str | None = None, *, save: bool = True) -> Any:
    """Evaluate an energy hub (a hub claim and the claims around it) over 8760 hours.

    Parameters
    ----------
    ws : Workspace
    hub_id : str
        Claim id of the hub.
    scenario : str, optional
    save : bool
        Store the members and the hourly series under key ``hub_<id>_<scenario>``.

    Returns
    -------
    HubResult
    """
    from ruimte.analysis.grid.factors import factors
    from ruimte.analysis.grid.hubs import HubError, evaluate_hub, hub_members, hub_series

    started = time.perf_counter()
    scenario = resolve_scenario(ws, scenario)
    values = factors()
    claims = scenario_claims(ws, scenario)
    members = hub_members(claims, hub_id, values["hub_radius_m"])
    gen, dem, power, energy, table, warnings = hub_series(
        members, space_use=space_use_from_vocabulary(ws.vocabulary)
    )
    if table.empty:
        raise HubError(f"hub {hub_id!r}: none of its claims has a hub profile ({warnings}).")
    result = evaluate_hub(
        gen, dem, power, energy,
        round_trip_efficiency=values["battery_round_trip_efficiency"], members=table,
    )  # fmt: skip
    result.summary["warnings"] = warnings
    result.summary["members"] = table["claim_id"].drop_duplicates().tolist()
    result.summary.update(_hub_substation(ws, scenario, members, hub_id, result))
    if save:
        series = pd.DataFrame(
            {"hour": range(len(gen)), "generation_mw": gen, "demand_mw": dem,
             "grid_mw": result.grid_mw}
        )  # fmt: skip
        key = f"hub_{hub_id.lower()}" + (f"_{key_part(scenario)}" if scenario else "")
        ws.save_result(
            key,
            "grid",
            tables={"members": table, "hourly": series},
            scenario=scenario,
            inputs=(f"claims:{scenario}" if scenario else "claims", "vocabulary"),
            parameters={
                "hub": hub_id,
                "radius_m": values["hub_radius_m"],
                "profiles": "provisional",
            },
            summary=result.summary,
            seconds=time.perf_counter() - started,
        )
    return result


def _hub_substation(
    ws: Any, scenario: str | None, members: gpd.GeoDataFrame, hub_id: str, result: Any
) -> dict[str, Any]:
    """Return the hub's substation and its reinforcement with separate connections and with the hub.

    With separate connections the hub's generation peak adds to the
    substation's feed-in peak and its demand peak to the offtake peak; behind
    one connection with the battery, the peak export and import do.
    """
    import numpy as np

    from ruimte.analysis.grid.assignment import assign_claims

    model = model_from_workspace(ws)
    impact, _ = run_grid(ws, scenario, model=model, save=False)
    where = assign_claims(members[members["claim_id"] == hub_id], model).claims
    sub = where["substation_id"].iloc[0]
    if sub is None:
        return {"substation": None}
    row = impact.substations.set_index("substation_id").loc[sub]
    grid = result.grid_mw
    adds = {
        "separate": (float(np.max(result.generation_mw)), float(np.max(result.demand_mw))),
        "hub": (float(np.clip(-grid, 0, None).max()), float(np.clip(grid, 0, None).max())),
    }
    need = {}
    for case, (feedin, offtake) in adds.items():
        over_f = row["peak_feedin_after_mw"] + feedin - row["capacity_mw"]
        over_o = row["peak_offtake_after_mw"] + offtake - row["capacity_mw"]
        need[case] = max(0.0, float(over_f), float(over_o))
    return {
        "substation": str(row["name"]),
        "substation_reinforcement_separate_mw": round(need["separate"], 3),
        "substation_reinforcement_hub_mw": round(need["hub"], 3),
        "reinforcement_avoided_mw": round(need["separate"] - need["hub"], 3),
    }
