# SPDX-License-Identifier: Apache-2.0
"""Claims: read a scenario's claims as GeoJSON; add, edit and remove them.

Edits carry the version the editor started from; the workspace refuses a
stale one (HTTP 409) with a message saying who changed what since. After a
write, a stored overlay of the scenario is recomputed when the overlay
kernel is installed.
"""

from __future__ import annotations

import logging
import uuid
from typing import Annotated, Any

import geopandas as gpd
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from ruimte.web.auth import PermissionDeniedError, User, require_claim_owner, require_editor
from ruimte.web.cache import etag_response
from ruimte.web.deps import StudioDep, UserDep
from ruimte.web.errors import NotFoundError
from ruimte.web.geojson import feature_collection, geometry_from_geojson, jsonable
from ruimte.web.state import Studio

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["claims"])


class ClaimFields(BaseModel):
    """Editable fields of a claim; geometry as GeoJSON in WGS84."""

    function: str | None = Field(None, max_length=100)
    quantity: float | None = Field(None, ge=0, le=1e9)
    unit: str | None = Field(None, max_length=30)
    status: str | None = Field(None, max_length=30)
    plan_id: str | None = Field(None, max_length=100)
    owner: str | None = Field(None, max_length=200)
    governance_level: str | None = Field(None, max_length=50)
    region_code: str | None = Field(None, max_length=50)
    horizon_year: int | None = Field(None, ge=2000, le=2100)
    description: str | None = Field(None, max_length=2000)
    geometry: dict[str, Any] | None = None


class NewClaim(ClaimFields):
    """A claim to add to a scenario."""

    function: str = Field(max_length=100)
    scenario: str = Field(min_length=1, max_length=100)


class ClaimEdit(ClaimFields):
    """Changes to a claim, with the version they start from."""

    version: int = Field(ge=1)
    scenario: str | None = Field(None, max_length=100)


def claim_properties(row: dict[str, Any], scenario: str, user: User) -> dict[str, Any]:
    """Add what the front end needs to a claim's properties: inherited, editable."""
    row["version"] = row.get("version") or 1
    row["inherited"] = row.get("scenario") != scenario
    row["editable"] = user.role == "admin" or (
        user.role == "planner" and row.get("owner") == user.organisation
    )
    return row


@router.get("/scenarios/{scenario}/claims", response_model=None)
def scenario_claims(scenario: str, studio: StudioDep, user: UserDep, request: Request) -> Response:
    """Return a scenario's effective claims (inherited ones included) as GeoJSON.

    Cached per workspace version, with an ETag per version and user (the
    ``editable`` flags depend on the user); ``If-None-Match`` gets 304.
    """
    version, base = studio.reads.get(
        ("claims", scenario), lambda: feature_collection(studio.ws.claims(scenario))
    )

    def body() -> dict[str, Any]:
        features = [
            {**f, "properties": claim_properties(dict(f["properties"]), scenario, user)}
            for f in base["features"]
        ]
        return {"type": "FeatureCollection", "features": features}

    tag = f"claims:{scenario}:{version}:{user.username}:{user.role}:{user.organisation}"
    return etag_response(request, tag, body)


@router.get("/claims/{claim_id}/history")
def claim_history(claim_id: str, studio: StudioDep) -> list[dict[str, Any]]:
    """Return who changed what in a claim, oldest first."""
    history = studio.ws.claim_history(claim_id).sort_values("version")
    return [jsonable(r) for r in history.to_dict("records")]


def _find(studio: Studio, claim_id: str) -> dict[str, Any]:
    rows = studio.ws.claims()
    row = rows[rows["claim_id"] == claim_id]
    if row.empty:
        raise NotFoundError(f"no claim {claim_id!r}; it may have been removed. Reload the map.")
    return dict(row.iloc[0])


def _changes(body: ClaimFields, studio: Studio) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"version", "scenario"})
    if changes.get("geometry") is not None:
        changes["geometry"] = geometry_from_geojson(changes["geometry"], studio.ws.crs)
    return changes


@router.post("/claims", status_code=201)
def add_claim(body: NewClaim, studio: StudioDep, user: UserDep) -> dict[str, Any]:
    """Add a claim; a planner's claims belong to the planner's organisation."""
    require_editor(user)
    fields = _changes(body, studio)
    fields["scenario"] = body.scenario
    if user.role == "planner":
        if fields.get("owner") not in (None, "", user.organisation):
            raise PermissionDeniedError(
                f"as a planner of {user.organisation} you add claims for that organisation, "
                f"not for {fields['owner']!r}."
            )
        fields["owner"] = user.organisation
        fields.setdefault("governance_level", user.governance_level)
    geometry = fields.pop("geometry", None)
    claim_id = f"claim-{uuid.uuid4().hex[:10]}"
    fields.update(claim_id=claim_id, version=1, updated_by=user.username)
    frame = gpd.GeoDataFrame([fields], geometry=[geometry], crs=studio.ws.crs)
    studio.ws.add_claims(frame)
    stored = studio.ws.claims(inherit=False, scenario=body.scenario)
    new = stored[stored["claim_id"] == claim_id]
    refresh = refresh_overlay(studio, body.scenario)
    feature = feature_collection(new)["features"][0]
    claim_properties(feature["properties"], body.scenario, user)
    return {"claim": feature, "overlay": refresh}


@router.patch("/claims/{claim_id}")
def edit_claim(claim_id: str, body: ClaimEdit, studio: StudioDep, user: UserDep) -> dict:
    """Change a claim; refused (409) when someone changed it since ``version``."""
    row = _find(studio, claim_id)
    require_claim_owner(user, row.get("owner"))
    changes = _changes(body, studio)
    if user.role == "planner" and changes.get("owner", user.organisation) != user.organisation:
        raise PermissionDeniedError(
            f"as a planner of {user.organisation} you cannot hand a claim to another organisation."
        )
    if not changes:
        raise NotFoundError("nothing to change: send at least one field besides the version.")
    scenario = body.scenario or row["scenario"]
    stored = studio.ws.update_claim(
        claim_id, changes, expected_version=body.version, user=user.username, scenario=scenario
    )
    refresh = refresh_overlay(studio, scenario)
    feature = feature_collection(stored)["features"][0]
    claim_properties(feature["properties"], scenario, user)
    return {"claim": feature, "overlay": refresh}


@router.delete("/claims/{claim_id}")
def remove_claim(
    claim_id: str,
    studio: StudioDep,
    user: UserDep,
    version: Annotated[int, Query(ge=1, description="the version the removal starts from")],
    scenario: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    """Remove a claim (in a child scenario: withdraw the inherited claim there only)."""
    row = _find(studio, claim_id)
    require_claim_owner(user, row.get("owner"))
    scenario = scenario or row["scenario"]
    studio.ws.remove_claim(
        claim_id, expected_version=version, user=user.username, scenario=scenario
    )
    return {"removed": claim_id, "overlay": refresh_overlay(studio, scenario)}


def refresh_overlay(studio: Studio, scenario: str) -> str:
    """Schedule the scenario's overlay to be recomputed (when the overlay kernel exists).

    Returns
    -------
    str
        ``"queued"`` or ``"running"`` (poll ``GET /api/overlay/{scenario}``), or
        ``"unavailable"`` when no overlay kernel is installed.
    """
    return studio.overlays.refresh(scenario)


@router.get("/overlay/{scenario}")
def overlay_state(scenario: str, studio: StudioDep) -> dict[str, Any]:
    """Return whether the scenario's overlay is being recomputed after an edit."""
    return studio.overlays.state(scenario)
