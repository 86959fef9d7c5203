# SPDX-License-Identifier: Apache-2.0
"""The dashboard: a scenario's indicators per region of one governance level."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ruimte.names import key_part
from ruimte.web.deps import StudioDep
from ruimte.web.geojson import jsonable
from ruimte.web.indicators import region_indicators
from ruimte.web.state import Studio

router = APIRouter(prefix="/api", tags=["dashboard"])


def scenario_indicators(
    studio: Studio, scenario: str, *, level: str | None = None, region: str | None = None
) -> list[dict[str, Any]]:
    """Compute the indicators of ``scenario`` for the regions of ``level`` (or one ``region``)."""
    ws = studio.ws
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


@router.get("/dashboard")
def dashboard(
    studio: StudioDep,
    scenario: Annotated[str, Query(max_length=100)],
    level: Annotated[str, Query(max_length=50)] = "municipality",
) -> dict[str, Any]:
    """Return a scenario's indicators per region of a governance level, and stored results."""
    studio.ws.vocabulary.check_level(level)
    results = studio.ws.results()
    relevant = results[results["scenario"].isna() | (results["scenario"] == scenario)]
    return {
        "scenario": scenario,
        "level": level,
        "regions": scenario_indicators(studio, scenario, level=level),
        "results": [
            {"key": r["key"], "kind": r["kind"], "summary": jsonable(r["summary"])}
            for _, r in relevant.iterrows()
        ],
    }
