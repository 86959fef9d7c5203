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
            _result_entry(r["key"], r["kind"], r["summary"]) for _, r in relevant.iterrows()
        ],
    }


def _result_entry(key: str, kind: str, summary: Any) -> dict[str, Any]:
    """Describe a stored result for the dashboard: whether it is complete, and why not.

    ``complete`` is false when rules could not apply (eligibility, and the
    potential built on it); ``skipped_rules`` names each with the reason and
    ``warnings`` holds the lines ``ruimte info`` and the studio's layer list show.
    """
    summary = summary if isinstance(summary, dict) else {}
    skipped = summary.get("skipped_rules") or []
    return {
        "key": key,
        "kind": kind,
        "summary": jsonable(summary),
        "complete": bool(summary.get("complete", True)),
        "skipped_rules": [
            {"rule": s.get("rule"), "label": s.get("label"), "reason": s.get("reason")}
            for s in skipped
            if isinstance(s, dict)
        ],
        "warnings": [str(w) for w in summary.get("warnings") or []],
    }
