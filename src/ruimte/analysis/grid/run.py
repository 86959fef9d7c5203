# SPDX-License-Identifier: Apache-2.0
"""Workspace edge of the grid analysis: read the model and claims, run, store the result."""

from __future__ import annotations

import logging
import time
from typing import Any

import geopandas as gpd
import pandas as pd

from ruimte.analysis.grid.factors import read_table
from ruimte.analysis.grid.impact import GridImpact, grid_impact, space_use_from_vocabulary
from ruimte.analysis.grid.network import GridModel
from ruimte.analysis.grid.network_import import grid_datasets, model_from_workspace
from ruimte.errors import RuimteError, did_you_mean
from ruimte.names import key_part

logger = logging.getLogger(__name__)


class ScenarioNotFoundError(RuimteError, KeyError):
    """A scenario name the workspace does not have."""


def resolve_scenario(ws: Any, scenario: str | None) -> str | None:
    """Return ``scenario`` checked against the workspace, or its first root scenario.

    Parameters
    ----------
    ws : Workspace
    scenario : str, optional

    Returns
    -------
    str or None
        None when the workspace has no scenarios at all.

    Raises
    ------
    ScenarioNotFoundError
        If the name is not a scenario of the workspace.
    """
    table = ws.scenarios()
    names = table["name"].astype(str).tolist()
    if scenario is None:
        roots = table.loc[table["parent"].isna(), "name"].astype(str).tolist()
        return roots[0] if roots else (names[0] if names else None)
    if scenario not in names:
        raise ScenarioNotFoundError(
            f"{ws.path}: no scenario {scenario!r}. {did_you_mean(scenario, names)}"
        )
    return scenario


def result_key(scenario: str | None, year: int | None = None) -> str:
    """Return the result key of a grid run, e.g. ``grid_basis`` or ``grid_ambitie_2030``.

    Examples
    --------
    >>> result_key("ambitie", 2030)
    'grid_ambitie_2030'
    """
    key = "grid" if scenario is None else f"grid_{key_part(scenario)}"
    return key if year is None else f"{key}_{year}"


def scenario_claims(ws: Any, scenario: str | None, year: int | None = None) -> gpd.GeoDataFrame:
    """Return the effective claims of a scenario, up to a horizon year when given."""
    claims = ws.claims(scenario) if scenario is not None else ws.claims()
    if year is not None and "horizon_year" in claims:
        claims = claims[claims["horizon_year"].isna() | (claims["horizon_year"] <= year)]
    return claims


def traffic_light_layers(impact: GridImpact) -> dict[str, gpd.GeoDataFrame]:
    """Return the capacity-map layers: service areas coloured per direction.

    Parameters
    ----------
    impact : GridImpact

    Returns
    -------
    dict
        ``{"feedin": ..., "offtake": ...}`` polygons with ``class``, ``colour``,
        ``headroom_mw`` and the substation's id and name.
    """
    colours = read_table("traffic_light.csv").set_index("class")["colour"].to_dict()
    table = pd.DataFrame(impact.substations.drop(columns="geometry"))
    out = {}
    for d in ("feedin", "offtake"):
        part = table[["substation_id", f"class_{d}", f"headroom_{d}_mw", f"peak_{d}_after_mw"]]
        part = part.rename(
            columns={
                f"class_{d}": "class",
                f"headroom_{d}_mw": "headroom_mw",
                f"peak_{d}_after_mw": "peak_after_mw",
            }
        )
        layer = impact.service_areas.merge(part, on="substation_id")
        layer["colour"] = layer["class"].map(colours).fillna("#bdbdbd")
        out[d] = gpd.GeoDataFrame(layer, geometry="geometry", crs=impact.service_areas.crs)
    return out


def run_grid(
    ws: Any,
    scenario: str | None = None,
    *,
    year: int | None = None,
    model: GridModel | None = None,
    save: bool = True,
) -> tuple[GridImpact, str | None]:
    """Run the grid impact of a scenario on the workspace's grid and store it.

    Parameters
    ----------
    ws : Workspace
    scenario : str, optional
        Default: the first scenario without a parent.
    year : int, optional
        Only claims with a horizon year up to this one.
    model : GridModel, optional
        Default: built from the workspace datasets.
    save : bool
        Store the result (key :func:`result_key`, kind ``"grid"``).

    Returns
    -------
    (GridImpact, str or None)
        The impact and the result key (None when not saved).
    """
    started = time.perf_counter()
    scenario = resolve_scenario(ws, scenario)
    from_workspace = model is None
    model = model or model_from_workspace(ws)
    assumptions: dict[str, Any] = {}
    if scenario is not None:
        table = ws.scenarios().set_index("name")
        value = table.loc[scenario, "assumptions"]
        assumptions = value if isinstance(value, dict) else {}
    claims = scenario_claims(ws, scenario, year)
    impact = grid_impact(
        claims, model, space_use=space_use_from_vocabulary(ws.vocabulary), assumptions=assumptions
    )
    for message in impact.warnings:
        logger.info(message)
    if not save:
        return impact, None
    key = result_key(scenario, year)
    layers = {"substations": impact.substations, "claims": impact.claims}
    layers.update(traffic_light_layers(impact))
    grid_inputs = [f"dataset:{n}" for n in grid_datasets(ws)] if from_workspace else []
    ws.save_result(
        key,
        "grid",
        layers=layers,
        scenario=scenario,
        inputs=(
            *grid_inputs,
            f"claims:{scenario}" if scenario else "claims",
            f"scenario:{scenario}" if scenario else "scenarios",
            "vocabulary",
        ),
        parameters={"scenario": scenario, "year": year, "data": "ruimte/analysis/grid/data"},
        summary={**impact.summary, "warnings": impact.warnings},
        seconds=time.perf_counter() - started,
    )
    return impact, key


def run_loadflow(
    ws: Any,
    scenario: str | None = None,
    *,
    year: int | None = None,
    model: GridModel | None = None,
    save: bool = True,
) -> dict[str, Any]:
    """Run the feed-in and offtake peak AC load flows of a scenario and store them.

    Parameters
    ----------
    ws : Workspace
    scenario : str, optional
    year : int, optional
    model : GridModel, optional
        Default: built from the workspace datasets.
    save : bool
        Store tables ``{case}_lines``, ``{case}_buses``, ``{case}_trafos``
        under key ``loadflow_<scenario>``.

    Returns
    -------
    dict
        ``{"feedin": LoadFlowResult, "offtake": LoadFlowResult}``.
    """
    from ruimte.analysis.grid.loadflow import run_loadflows

    started = time.perf_counter()
    scenario = resolve_scenario(ws, scenario)
    model = model or model_from_workspace(ws)
    impact, _ = run_grid(ws, scenario, year=year, model=model, save=False)
    results = run_loadflows(model, impact.claims, impact.parents)
    if save:
        tables = {}
        for case, res in results.items():
            if res.converged:
                tables.update(
                    {f"{case}_lines": res.lines, f"{case}_buses": res.buses,
                     f"{case}_trafos": res.trafos}
                )  # fmt: skip
        ws.save_result(
            result_key(scenario, year).replace("grid", "loadflow", 1),
            "grid",
            tables=tables,
            scenario=scenario,
            inputs=(f"claims:{scenario}" if scenario else "claims", "vocabulary"),
            parameters={"scenario": scenario, "year": year, "solver": "pandapower runpp nr"},
            summary={c: {**r.summary, "violation_list": r.violations} for c, r in results.items()},
            seconds=time.perf_counter() - started,
        )
    return results
