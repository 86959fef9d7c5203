# SPDX-License-Identifier: Apache-2.0
"""Log in and out, the session's user and CSRF token, stakeholder links, accounts."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ruimte.participation import make_link_token, read_link_token
from ruimte.web.audit import SCOPE_USER, client_address
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
from ruimte.web.state import Studio
from ruimte.web.throttle import Throttle, ThrottledError

router = APIRouter(tags=["session"])


class Login(BaseModel):
    """User name and password."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    """The account's current password and the new one."""

    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=8, max_length=200)


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
    """Log in with user name and password; the session cookie then identifies the user.

    Failed attempts slow down and then lock out the account and the client
    address (429 with ``Retry-After``; see :mod:`ruimte.web.throttle`); every
    failure and lock-out is written to the audit log.
    """
    client = client_address(request.scope, studio.settings.behind_proxy)
    request.scope[SCOPE_USER] = {"username": body.username, "role": "viewer"}
    row = _check_password(studio, studio.login_throttle, "login", body.username,
                          body.password, client)
    if row is None:
        raise AuthError("wrong user name or password.")
    request.session.clear()
    request.session["user"] = body.username
    request.session["csrf"] = secrets.token_urlsafe(32)
    user = user_from_row(row)
    request.scope[SCOPE_USER] = {"username": user.username, "role": user.role}
    return {"user": user.public(), "csrf_token": request.session["csrf"]}


@router.post("/api/password")
def change_password(
    body: PasswordChange, request: Request, studio: StudioDep, user: UserDep
) -> dict[str, Any]:
    """Change the logged-in account's password; throttled like logging in."""
    if user.is_anonymous or user.username.startswith("link:"):
        raise AuthError("log in with your account to change its password.")
    client = client_address(request.scope, studio.settings.behind_proxy)
    row = _check_password(studio, studio.password_throttle, "password_change", user.username,
                          body.current_password, client)
    if row is None:
        raise AuthError("the current password is wrong; nothing was changed.")
    fields = {k: row.get(k) for k in ("organisation", "governance_level", "stakeholder_id")}
    new = new_account(user.username, body.new_password, user.role,
                      **{k: v if isinstance(v, str) and v else None for k, v in fields.items()})
    new["created_at"] = row.get("created_at")
    ws = studio.ws
    with ws.store.transaction():
        ws.remove_user(user.username)
        ws.add_users(pd.DataFrame([new]))
    studio.audit.write("password_changed", user=user.username, role=user.role, client=client)
    request.session["csrf"] = secrets.token_urlsafe(32)
    return {"user": user.public(), "csrf_token": request.session["csrf"]}


def _check_password(
    studio: Studio, throttle: Throttle, action: str, username: str, password: str, client: str
) -> pd.Series | None:
    """Return the account's row if ``password`` is right; count, log and throttle failures.

    Raises
    ------
    ThrottledError
        While the account or the client must wait or is locked out (the
        password is then not even checked).
    """
    try:
        throttle.check(username, client)
    except ThrottledError as exc:
        studio.audit.write(f"{action}_refused", user=username, client=client, status=429,
                           retry_after_s=exc.retry_after_s, locked=exc.locked)
        raise
    users = studio.ws.users()
    row = users[users["username"] == username]
    # verify against a dummy hash when the user is unknown, so timing does not tell
    stored = row.iloc[0]["password_hash"] if not row.empty else _DUMMY_HASH
    if verify_password(stored, password) and not row.empty:
        throttle.success(username)
        return row.iloc[0]
    locked = throttle.failure(username, client)
    studio.audit.write(f"{action}_failed", user=username, client=client, status=401)
    for key in locked:
        studio.audit.write(f"{action}_lockout", user=username, client=client, key=key,
                           status=429)
    return None


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


@router.get("/api/audit")
def audit_log(
    studio: StudioDep,
    user: UserDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[dict[str, Any]]:
    """Return the last ``limit`` audit entries, oldest first (admins only).

    Every write (who, role, endpoint, path, client, status), failed login,
    lock-out and password change is there.
    """
    require_admin(user, "read the audit log")
    return studio.audit.read(limit)


_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$" + "A" * 43
