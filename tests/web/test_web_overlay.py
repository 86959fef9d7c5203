# SPDX-License-Identifier: Apache-2.0
"""After a claim edit the scenario's overlay is recomputed in the background."""

from __future__ import annotations

import dataclasses
import time

import pytest

from ruimte.web.app import create_app
from ruimte.web.overlay_jobs import overlay_runner


def test_an_edit_refreshes_the_overlay_and_its_layers_appear(settings, studio_ws):
    if overlay_runner() is None:
        pytest.skip("the overlay kernel (ruimte.analysis.overlay) is not installed")
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
