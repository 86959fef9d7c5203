# SPDX-License-Identifier: Apache-2.0
"""Participation: located comments with answers, and ratings of a scenario's options.

Comment text is stored and returned as plain text; the front end renders it
with ``textContent`` and never as HTML.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
from fastapi import APIRouter
from pydantic import BaseModel, Field

from ruimte.participation import check_score, clean_comment_text, comment_threads, rating_summary
from ruimte.web.auth import PermissionDeniedError, User, require_participant
from ruimte.web.deps import StudioDep, UserDep
from ruimte.web.errors import NotFoundError
from ruimte.web.geojson import feature_collection, geometry_from_geojson, records
from ruimte.web.state import Studio
from ruimte.workspace.records import RecordError

router = APIRouter(prefix="/api", tags=["participation"])


class NewComment(BaseModel):
    """A comment on a scenario, optionally on a claim, at a point, or answering another."""

    scenario: str = Field(min_length=1, max_length=100)
    text: str = Field(max_length=20_000)
    claim_id: str | None = Field(None, max_length=100)
    reply_to: str | None = Field(None, max_length=100)
    geometry: dict[str, Any] | None = None


class NewRating(BaseModel):
    """A stakeholder's score (1-5) of an option (a claim id, or the scenario's name)."""

    scenario: str = Field(min_length=1, max_length=100)
    option: str = Field(min_length=1, max_length=100)
    score: int
    comment: str | None = Field(None, max_length=20_000)


def speaker(studio: Studio, user: User) -> str | None:
    """Return the stakeholder a user speaks for: their own, or their organisation's."""
    if user.stakeholder_id:
        return user.stakeholder_id
    stakeholders = studio.ws.stakeholders()
    match = stakeholders[stakeholders["organisation"] == user.organisation]
    return str(match.iloc[0]["stakeholder_id"]) if user.organisation and not match.empty else None


@router.get("/scenarios/{scenario}/comments")
def scenario_comments(scenario: str, studio: StudioDep) -> dict[str, Any]:
    """Return a scenario's comments: threads (with answers) and the located ones as GeoJSON."""
    ws = studio.ws
    ws.scenario_lineage(scenario)
    comments = ws.comments()
    comments = comments[comments["scenario"] == scenario]
    names = ws.stakeholders().set_index("stakeholder_id")["name"].to_dict()
    comments = comments.assign(author=comments["stakeholder_id"].map(names))
    plain = pd.DataFrame(comments.drop(columns="geometry"))
    threads = comment_threads(pd.DataFrame(records(plain)))
    located = comments[comments.geometry.notna() & ~comments.geometry.is_empty]
    return {"threads": threads, "located": feature_collection(located)}


@router.post("/comments", status_code=201)
def add_comment(body: NewComment, studio: StudioDep, user: UserDep) -> dict[str, Any]:
    """Leave a comment (stakeholders, planners, admins), located by a point or a claim."""
    require_participant(user, body.scenario)
    text = clean_comment_text(body.text)
    ws = studio.ws
    ws.scenario_lineage(body.scenario)
    geometry = None
    if body.geometry is not None:
        geometry = geometry_from_geojson(body.geometry, ws.crs)
        if geometry.geom_type != "Point":
            raise RecordError("a comment is located by a point; click one spot on the map.")
    if body.claim_id is not None and body.claim_id not in set(ws.claims(body.scenario)["claim_id"]):
        raise NotFoundError(f"no claim {body.claim_id!r} in scenario {body.scenario!r}.")
    if body.reply_to is not None:
        existing = ws.comments()
        if body.reply_to not in set(existing["comment_id"]):
            raise NotFoundError(f"no comment {body.reply_to!r} to answer; reload the comments.")
    row = {
        "scenario": body.scenario,
        "claim_id": body.claim_id,
        "stakeholder_id": speaker(studio, user),
        "text": text,
        "reply_to": body.reply_to,
    }
    frame = gpd.GeoDataFrame([row], geometry=[geometry], crs=ws.crs)
    before = set(ws.comments()["comment_id"])
    ws.add_comments(frame)
    stored = ws.comments()
    new = stored[~stored["comment_id"].isin(before)]
    return {"comment": records(pd.DataFrame(new.drop(columns="geometry")))[0]}


@router.get("/scenarios/{scenario}/options")
def scenario_options(scenario: str, studio: StudioDep) -> list[dict[str, Any]]:
    """Return the scenario's options (its claims, and the scenario as a whole) with ratings."""
    ws = studio.ws
    claims = ws.claims(scenario)
    summary = rating_summary(ws.ratings(), pd.DataFrame(ws.comments().drop(columns="geometry")))
    summary = summary[summary["scenario"] == scenario].set_index("option")
    options: list[dict[str, Any]] = [
        {"option": scenario, "label": f"scenario {scenario}", "function": None}
    ]
    options += [
        {
            "option": c["claim_id"],
            "label": c["description"] or c["claim_id"],
            "function": c["function"],
        }
        for _, c in claims.iterrows()
    ]
    for option in options:
        if option["option"] in summary.index:
            stats = records(summary.loc[[option["option"]]].reset_index())[0]
            option.update({k: v for k, v in stats.items() if k not in ("option", "scenario")})
        else:
            option.update(ratings=0, mean_score=None, comments=0)
    return options


@router.post("/ratings", status_code=201)
def add_rating(body: NewRating, studio: StudioDep, user: UserDep) -> dict[str, Any]:
    """Rate an option from 1 (against) to 5 (for); a later rating replaces your earlier one."""
    require_participant(user, body.scenario)
    score = check_score(body.score)
    stakeholder = speaker(studio, user)
    if stakeholder is None:
        raise PermissionDeniedError(
            "ratings are given by stakeholders; your account speaks for no stakeholder."
        )
    ws = studio.ws
    options = {body.scenario} | set(ws.claims(body.scenario)["claim_id"])
    if body.option not in options:
        raise NotFoundError(f"no option {body.option!r} in scenario {body.scenario!r}.")
    comment_id = None
    with ws.transaction():
        if body.comment:
            before = set(ws.comments()["comment_id"])
            row = {
                "scenario": body.scenario,
                "claim_id": body.option if body.option != body.scenario else None,
                "stakeholder_id": stakeholder,
                "text": clean_comment_text(body.comment),
            }
            ws.add_comments(gpd.GeoDataFrame([row], geometry=[None], crs=ws.crs))
            comment_id = next(iter(set(ws.comments()["comment_id"]) - before))
        rating = {
            "scenario": body.scenario,
            "option": body.option,
            "stakeholder_id": stakeholder,
            "score": score,
            "comment_id": comment_id,
        }
        ws.add_ratings(pd.DataFrame([rating]))
    return {"rating": rating}
