# SPDX-License-Identifier: Apache-2.0
"""Scenarios: list, branch a new one from another, compare two."""

from __future__ import annotations

import re
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ruimte.scenarios.indicators import claim_conflicts, workspace_comparison
from ruimte.web.auth import require_editor
from ruimte.web.deps import StudioDep, UserDep
from ruimte.web.geojson import feature_collection, jsonable
from ruimte.workspace.records import RecordError

router = APIRouter(prefix="/api", tags=["scenarios"])
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class Branch(BaseModel):
    """A new scenario that starts from ``parent`` and inherits its claims."""

    name: str = Field(min_length=1, max_length=40)
    parent: str = Field(min_length=1, max_length=100)
    description: str | None = Field(None, max_length=1000)


@router.get("/scenarios")
def list_scenarios(studio: StudioDep) -> list[dict[str, Any]]:
    """Return the scenarios with their parent, description, assumptions and claim count."""
    ws = studio.ws
    out = []
    for _, row in ws.scenarios().iterrows():
        item = {k: jsonable(row[k]) for k in ("name", "parent", "description", "assumptions")}
        item["claims"] = len(ws.claims(row["name"]))
        out.append(item)
    return out


@router.post("/scenarios", status_code=201)
def branch_scenario(body: Branch, studio: StudioDep, user: UserDep) -> dict[str, Any]:
    """Branch a scenario: the new one inherits the parent's claims and assumptions."""
    require_editor(user)
    if not _NAME.match(body.name):
        raise RecordError(
            f"scenario name {body.name!r}: use lower-case letters, digits, '-' or '_', "
            "starting with a letter (at most 40)."
        )
    ws = studio.ws
    ws.scenario_lineage(body.parent)
    parent = ws.scenarios().set_index("name").loc[body.parent]
    description = body.description or f"branched from {body.parent} by {user.username}"
    frame = pd.DataFrame(
        [
            {
                "name": body.name,
                "parent": body.parent,
                "description": description,
                "assumptions": parent["assumptions"],
            }
        ]
    )
    ws.add_scenarios(frame)
    return {"name": body.name, "parent": body.parent, "claims": len(ws.claims(body.name))}


@router.get("/scenarios/{scenario}/conflicts")
def scenario_conflicts(scenario: str, studio: StudioDep) -> dict[str, Any]:
    """Return where the scenario's claims overlap although their functions exclude each other."""
    conflicts = claim_conflicts(studio.ws.claims(scenario), studio.ws.vocabulary)
    # astype: with no conflicts (e.g. claims that are all points) the column is empty,
    # of object dtype
    conflicts["overlap_ha"] = conflicts["overlap_ha"].astype(float).round(2)
    return feature_collection(conflicts)


@router.get("/compare")
def compare(
    studio: StudioDep,
    a: Annotated[str, Query(max_length=100)],
    b: Annotated[str, Query(max_length=100)],
    region: Annotated[str | None, Query(max_length=50)] = None,
) -> dict[str, Any]:
    """Compare two scenarios for a region (default: the top region): indicator differences."""
    return workspace_comparison(studio.ws, a, b, region)
