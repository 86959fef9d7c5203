# SPDX-License-Identifier: Apache-2.0
"""The studio on a PostGIS workspace: layers, claim edits, a stale edit refused (409).

Needs the throw-away PostgreSQL cluster of ``tests/conftest.py`` (skipped with
the reason where PostgreSQL or PostGIS is not installed).
"""

from __future__ import annotations

from pathlib import Path

from ruimte.workspace import Workspace
from ruimte.workspace.transfer import copy_workspace


def test_the_studio_serves_a_postgis_workspace_and_refuses_a_stale_edit(
    studio_template: Path, postgis_url: str, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from ruimte.web.accounts import DEMO_PASSWORD
    from ruimte.web.app import create_app
    from ruimte.web.settings import Settings

    copy_workspace(studio_template, postgis_url, folder=tmp_path / "files")
    settings = Settings.from_env({"RUIMTE_WORKSPACE": postgis_url}, secret_key="test")
    assert settings.workspace == postgis_url
    app = create_app(settings.__class__(**{**settings.__dict__, "overlay_refresh": False}))

    def login() -> TestClient:
        c = TestClient(app)
        token = c.get("/api/session").json()["csrf_token"]
        r = c.post(
            "/api/login",
            json={"username": "lindeweer", "password": DEMO_PASSWORD},
            headers={"X-CSRF-Token": token},
        )
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return c

    first, second = login(), login()
    layers = first.get("/api/layers")
    assert layers.status_code == 200 and len(layers.json()) > 5
    r = first.patch("/api/claims/C001", json={"version": 1, "status": "adopted"})
    assert r.status_code == 200, r.text
    late = second.patch("/api/claims/C001", json={"version": 1, "quantity": 2000})
    assert late.status_code == 409 and "status proposed -> adopted" in late.json()["detail"]
    row = Workspace.open(postgis_url).claims("basis").set_index("claim_id").loc["C001"]
    assert (row["status"], row["quantity"]) == ("adopted", 1800)
    assert (tmp_path / "files" / "audit.jsonl").is_file()
