# SPDX-License-Identifier: Apache-2.0
"""The dashboard: a scenario's indicators per region of one governance level."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ruimte.scenarios.indicators import workspace_indicators
from ruimte.web.deps import StudioDep
from ruimte.web.geojson import jsonable
from ruimte.web.state import Studio

router = APIRouter(prefix="/api", tags=["dashboard"])


def scenario_indicators(
    studio: Studio, scenario: str, *, level: str | None = None, region: str | None = None
) -> list[dict[str, Any]]:
    """Compute the indicators of ``scenario`` for the regions of ``level`` (or one ``region``)."""
    return workspace_indicators(studio.ws, scenario, level=level, region=region)


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
