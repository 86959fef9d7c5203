# SPDX-License-Identifier: Apache-2.0
"""FastAPI dependencies: the studio state, the current user, and the CSRF check.

Sessions are signed cookies (Starlette's ``SessionMiddleware``, itsdangerous)
that hold the user name (or a stakeholder link's grant) and a CSRF token.
Every request that writes (POST, PUT, PATCH, DELETE) must send that token in
the ``X-CSRF-Token`` header; ``GET /api/session`` hands it out.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

from ruimte.web.audit import SCOPE_USER
from ruimte.web.auth import ANONYMOUS, AuthError, User, user_from_row
from ruimte.web.errors import CSRFError
from ruimte.web.state import Studio

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


def get_studio(request: Request) -> Studio:
    """Return the studio state kept on the app."""
    return request.app.state.studio  # type: ignore[no-any-return]


StudioDep = Annotated[Studio, Depends(get_studio)]


def csrf_token(request: Request) -> str:
    """Return the session's CSRF token, making one for a new session."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request) -> None:
    """Refuse a write whose ``X-CSRF-Token`` header does not match the session's token.

    Raises
    ------
    CSRFError
        On a write without the header or with a wrong token.
    """
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER, "")
    if not expected or not hmac.compare_digest(str(expected), sent):
        raise CSRFError(
            f"this write has no valid {CSRF_HEADER} header. Fetch GET /api/session first "
            "and send its csrf_token with every POST, PATCH or DELETE (reload the page)."
        )


def current_user(request: Request, studio: StudioDep) -> User:
    """Return the request's user (see :func:`find_user`) and note it for the audit log."""
    user = find_user(request, studio)
    request.scope[SCOPE_USER] = {"username": user.username, "role": user.role}
    return user


def find_user(request: Request, studio: Studio) -> User:
    """Return the logged-in user, a stakeholder link's user, or the anonymous viewer.

    Raises
    ------
    AuthError
        If nobody is logged in and the studio is not public.
    """
    session = request.session
    link = session.get("link")
    if isinstance(link, dict):
        return User(
            username=f"link:{link['stakeholder_id']}",
            role="stakeholder",
            stakeholder_id=link["stakeholder_id"],
            scenario=link["scenario"],
        )
    username = session.get("user")
    if username:
        _, users = studio.reads.get("users", studio.ws.users)
        row = users[users["username"] == username]
        if not row.empty:
            return user_from_row(row.iloc[0])
        session.pop("user", None)  # the account was removed meanwhile
    if not studio.settings.public_read:
        raise AuthError("log in to use this studio.")
    return ANONYMOUS


UserDep = Annotated[User, Depends(current_user)]
