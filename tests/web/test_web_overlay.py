# SPDX-License-Identifier: Apache-2.0
"""After a claim edit the scenario's overlay is recomputed in the background."""

from __future__ import annotations

import dataclasses
import time

import pytest

from ruimte.web.app import create_app
from ruimte.web.overlay_jobs import overlay_runner


def _planner_client(settings):
    """Return the app (overlay refresh on) and a client logged in as the Lindeweer planner."""
    from fastapi.testclient import TestClient

    app = create_app(dataclasses.replace(settings, overlay_refresh=True))
    c = TestClient(app)
    token = c.get("/api/session").json()["csrf_token"]
    token = c.post(
        "/api/login",
        json={"username": "lindeweer", "password": "middenwaard"},
        headers={"X-CSRF-Token": token},
    ).json()["csrf_token"]
    c.headers["X-CSRF-Token"] = token
    return app, c


def test_an_edit_refreshes_the_overlay_and_its_layers_appear(settings, studio_ws):
    if overlay_runner() is None:
        pytest.skip("the overlay kernel (ruimte.analysis.overlay) is not installed")
    app, c = _planner_client(settings)
    # move the mobility hub (C004) into the nature reserve claim (C002)
    nature = studio_ws.claims("basis").set_index("claim_id").loc["C002"].geometry
    point = studio_ws.claims("basis").set_index("claim_id").to_crs(4326).loc["C002"].geometry
    inside = point.representative_point()
    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [inside.x - 0.001, inside.y - 0.0006],
                [inside.x + 0.001, inside.y - 0.0006],
                [inside.x + 0.001, inside.y + 0.0006],
                [inside.x - 0.001, inside.y + 0.0006],
                [inside.x - 0.001, inside.y - 0.0006],
            ]
        ],
    }
    r = c.patch("/api/claims/C004", json={"version": 1, "geometry": square})
    assert r.status_code == 200, r.text
    assert r.json()["overlay"] in ("queued", "running")
    deadline = time.monotonic() + 120
    while (state := c.get("/api/overlay/basis").json())["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the overlay did not finish in 2 minutes"
        time.sleep(0.5)
    assert state == {"state": "done", "message": "conflicts_basis"}
    findings = studio_ws.read_result("conflicts_basis", "conflicts")
    hub = findings[findings["claim_ids"].str.contains("C004")]
    assert hub.intersects(nature).any()
    layers = {e["id"] for e in c.get("/api/layers").json()["layers"]}
    assert "conflicts_basis_conflicts" in layers


def _wait_done(c, scenario: str) -> dict:
    deadline = time.monotonic() + 120
    while (state := c.get(f"/api/overlay/{scenario}").json())["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the overlay did not finish in 2 minutes"
        time.sleep(0.2)
    return state


def test_the_second_edit_updates_only_near_the_claim_and_equals_a_full_run(settings, studio_ws):
    """The studio keeps its last run: the next edit recomputes near the edited claim only."""
    if overlay_runner() is None:
        pytest.skip("the overlay kernel (ruimte.analysis.overlay) is not installed")
    from ruimte.analysis.overlay.run import run_overlay
    from ruimte.workspace import Workspace

    app, c = _planner_client(settings)
    claims = studio_ws.claims("basis").set_index("claim_id").to_crs(4326)
    versions = {"C004": 1, "C001": 1}
    for claim_id, (dx, dy) in (("C004", (0.002, 0.001)), ("C001", (-0.0015, 0.001))):
        shape = claims.loc[claim_id].geometry
        moved = {
            "type": "Polygon",
            "coordinates": [[[x + dx, y + dy] for x, y in shape.exterior.coords]],
        }
        r = c.patch(
            f"/api/claims/{claim_id}", json={"version": versions[claim_id], "geometry": moved}
        )
        assert r.status_code == 200, r.text
        assert _wait_done(c, "basis")["state"] == "done"
    last = app.state.studio.overlays._last["basis"]
    assert last.changed == 1  # the second run was an update: one claim changed
    stored = studio_ws.read_result("conflicts_basis", "conflicts")
    full = run_overlay(Workspace.open(studio_ws.path), "basis", save=False).result.conflicts
    assert len(stored) == len(full)
    assert stored["area_ha"].sum() == pytest.approx(full["area_ha"].sum(), rel=1e-9)
    assert sorted(stored["claim_ids"] + "|" + stored["existing"]) == sorted(
        full["claim_ids"] + "|" + full["existing"]
    )
