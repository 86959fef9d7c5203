# SPDX-License-Identifier: Apache-2.0
"""Every write endpoint x every demo role: who may, who may not (data-driven).

The endpoints are read from ``app.routes``; a new write endpoint without a row
in :data:`MATRIX` fails :func:`test_every_write_endpoint_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

from ruimte.web.accounts import DEMO_PASSWORD
from ruimte.web.app import create_app
from ruimte.web.settings import Settings

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[5.98, 52.35], [5.985, 52.35], [5.985, 52.353], [5.98, 52.353], [5.98, 52.35]]
    ],
}
#: the demo's roles: account name (None: not logged in)
ROLES = {
    "admin": "admin",
    "planner_municipality": "lindeweer",
    "planner_res": "res",
    "resident": "anke",
    "viewer": "kijker",
    "anonymous": None,
}
A, PM, PR, RS, V, AN = ROLES  # column order of the matrix rows below

#: (method, route path) -> (request: url, json body; expected status per role in ROLES order)
#: "{v:C001}" in a url or body is the claim's current version at the time of the request.
MATRIX: dict[tuple[str, str], tuple[str, Any, tuple[int, ...]]] = {
    ("POST", "/api/login"): (
        "/api/login", {"username": "kijker", "password": DEMO_PASSWORD},
        (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/logout"): ("/api/logout", None, (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/password"): (
        "/api/password", {"current_password": DEMO_PASSWORD, "new_password": "nieuw-wachtwoord"},
        (200, 200, 200, 200, 200, 401)),
    ("POST", "/api/links"): (
        "/api/links", {"stakeholder_id": "S01", "scenario": "basis"},
        (200, 200, 200, 403, 403, 403)),
    ("POST", "/api/users"): (
        "/api/users", {"username": "nieuw", "password": "long-enough", "role": "viewer"},
        (201, 403, 403, 403, 403, 403)),
    ("POST", "/api/claims"): (
        "/api/claims", {"function": "housing", "scenario": "basis", "geometry": SQUARE},
        (201, 201, 201, 403, 403, 403)),
    ("PATCH", "/api/claims/{claim_id}"): (
        "/api/claims/C001", {"version": "{v:C001}", "status": "adopted"},
        (200, 200, 403, 403, 403, 403)),
    ("DELETE", "/api/claims/{claim_id}"): (
        "/api/claims/C006?version={v:C006}", None, (200, 403, 200, 403, 403, 403)),
    ("POST", "/api/scenarios"): (
        "/api/scenarios", {"name": "variant-x", "parent": "basis"},
        (201, 201, 201, 403, 403, 403)),
    ("POST", "/api/comments"): (
        "/api/comments", {"scenario": "basis", "text": "Waarom hier?"},
        (201, 201, 201, 201, 403, 403)),
    ("POST", "/api/ratings"): (
        "/api/ratings", {"scenario": "basis", "option": "basis", "score": 4},
        # ratings come from stakeholders: the RES planner's organisation is none in the demo
        (403, 201, 403, 201, 403, 403)),
}


def write_routes(routes: list[Any]) -> Iterator[tuple[str, str]]:
    """Yield (method, path) of every write route, inside included routers too."""
    for route in routes:
        inner = getattr(route, "original_router", None) or getattr(route, "app", None)
        if isinstance(route, APIRoute):
            for method in sorted(route.methods & WRITES):
                yield method, route.path
        elif inner is not None and hasattr(inner, "routes"):
            yield from write_routes(inner.routes)


def test_every_write_endpoint_is_in_the_matrix(tmp_path):
    app = create_app(Settings(workspace=tmp_path), open_workspace=False)
    found = set(write_routes(app.routes))
    assert found, "no write routes found: has FastAPI changed how routers are included?"
    assert found == set(MATRIX), f"missing {found - set(MATRIX)}, stale {set(MATRIX) - found}"


def _fill(value: Any, studio_ws) -> Any:
    """Replace ``{v:CLAIM}`` by the claim's current version."""
    if isinstance(value, dict):
        return {k: _fill(v, studio_ws) for k, v in value.items()}
    if isinstance(value, str) and "{v:" in value:
        claims = studio_ws.claims().set_index("claim_id")
        start = value.index("{v:")
        end = value.index("}", start)
        version = int(claims.loc[value[start + 3 : end], "version"])
        filled = value[:start] + str(version) + value[end + 1 :]
        return int(filled) if filled.isdigit() else filled
    return value


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_may_do_exactly_its_writes(client, studio_ws, role):
    column = list(ROLES).index(role)
    seen = {}
    # logging in or out ends the session, a new password ends the demo password: last
    last = ("/api/login", "/api/logout", "/api/password")
    for (method, path), (url, body, expected) in sorted(
        MATRIX.items(), key=lambda item: last.index(item[0][1]) if item[0][1] in last else -1
    ):
        c = client(ROLES[role])
        r = c.request(method, _fill(url, studio_ws), json=_fill(body, studio_ws))
        seen[(method, path)] = (r.status_code, expected[column], r.text[:200])
    wrong = {k: v for k, v in seen.items() if v[0] != v[1]}
    assert not wrong, f"{role}: (got, expected, body) {wrong}"
