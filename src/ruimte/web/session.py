# SPDX-License-Identifier: Apache-2.0
"""Log in and out, the session's user and CSRF token, stakeholder links, accounts."""

from __future__ import annotations

import secrets
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ruimte.participation import make_link_token, read_link_token
from ruimte.web.auth import (
    ANONYMOUS,
    AuthError,
    new_account,
    require_admin,
    require_editor,
    user_from_row,
    verify_password,
)
from ruimte.web.deps import StudioDep, UserDep, csrf_token
from ruimte.web.errors import NotFoundError

router = APIRouter(tags=["session"])


class Login(BaseModel):
    """User name and password."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class LinkRequest(BaseModel):
    """Which stakeholder a link is for, and which scenario it opens."""

    stakeholder_id: str = Field(min_length=1, max_length=100)
    scenario: str = Field(min_length=1, max_length=100)


class Account(BaseModel):
    """A new studio account."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=8, max_length=200)
    role: str
    organisation: str | None = None
    governance_level: str | None = None
    stakeholder_id: str | None = None


@router.get("/api/session")
def get_session(request: Request, user: UserDep) -> dict[str, Any]:
    """Return the current user and the CSRF token to send with every write."""
    return {"user": user.public(), "csrf_token": csrf_token(request)}


@router.post("/api/login")
def login(body: Login, request: Request, studio: StudioDep) -> dict[str, Any]:
    """Log in with user name and password; the session cookie then identifies the user."""
    users = studio.ws.users()
    row = users[users["username"] == body.username]
    # verify against a dummy hash when the user is unknown, so timing does not tell
    stored = row.iloc[0]["password_hash"] if not row.empty else _DUMMY_HASH
    if not verify_password(stored, body.password) or row.empty:
        raise AuthError("wrong user name or password.")
    request.session.clear()
    request.session["user"] = body.username
    request.session["csrf"] = secrets.token_urlsafe(32)
    user = user_from_row(row.iloc[0])
    return {"user": user.public(), "csrf_token": request.session["csrf"]}


@router.post("/api/logout")
def logout(request: Request) -> dict[str, Any]:
    """End the session."""
    request.session.clear()
    return {"user": ANONYMOUS.public(), "csrf_token": csrf_token(request)}


@router.post("/api/links")
def make_link(body: LinkRequest, request: Request, studio: StudioDep, user: UserDep) -> dict:
    """Make a stakeholder link (planners, admins) that opens a scenario for comments."""
    require_editor(user)
    stakeholders = studio.ws.stakeholders()
    if body.stakeholder_id not in set(stakeholders["stakeholder_id"]):
        raise NotFoundError(f"no stakeholder {body.stakeholder_id!r}; add the stakeholder first.")
    studio.ws.scenario_lineage(body.scenario)  # raises UnknownScenarioError
    token = make_link_token(studio.settings.secret_key, body.stakeholder_id, body.scenario)
    return {"token": token, "url": str(request.base_url) + f"s/{token}"}


@router.get("/s/{token}", include_in_schema=False)
def open_link(token: str, request: Request, studio: StudioDep) -> RedirectResponse:
    """Open a stakeholder link: the session speaks for that stakeholder, in that scenario."""
    link = read_link_token(studio.settings.secret_key, token)
    request.session.clear()
    request.session["link"] = {"stakeholder_id": link.stakeholder_id, "scenario": link.scenario}
    request.session["csrf"] = secrets.token_urlsafe(32)
    return RedirectResponse(f"/?scenario={link.scenario}", status_code=303)


@router.get("/api/users")
def list_users(studio: StudioDep, user: UserDep) -> list[dict[str, Any]]:
    """List the accounts (admins only; never the password hashes)."""
    require_admin(user)
    users = studio.ws.users().drop(columns=["password_hash"])
    return users.astype(object).where(users.notna(), None).to_dict("records")


@router.post("/api/users", status_code=201)
def add_user(body: Account, studio: StudioDep, user: UserDep) -> dict[str, Any]:
    """Add an account (admins only)."""
    require_admin(user)
    row = new_account(
        body.username,
        body.password,
        body.role,
        organisation=body.organisation,
        governance_level=body.governance_level,
        stakeholder_id=body.stakeholder_id,
    )
    studio.ws.add_users(pd.DataFrame([row]))
    return user_from_row(row).public()


_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$" + "A" * 43
