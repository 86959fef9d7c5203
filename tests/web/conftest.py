# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the studio's API tests: the demo with its accounts, and clients per user."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ruimte.web.accounts import DEMO_PASSWORD, add_demo_accounts
from ruimte.web.app import create_app
from ruimte.web.settings import Settings
from ruimte.workspace import Workspace


@pytest.fixture(scope="session")
def studio_template(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Make the demo with the demo accounts once (argon2 hashing is slow on purpose)."""
    template = tmp_path_factory.mktemp("studio") / "demo-workspace"
    shutil.copytree(demo_path, template, ignore=shutil.ignore_patterns(".ruimte.lock"))
    add_demo_accounts(Workspace.open(template))
    return template


@pytest.fixture
def studio_ws(studio_template: Path, tmp_path: Path) -> Workspace:
    """Copy the demo with its accounts (admin, lindeweer, res, anke, kijker) for one test."""
    copy = tmp_path / "demo-workspace"
    shutil.copytree(studio_template, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    return Workspace.open(copy)


@pytest.fixture
def settings(studio_ws: Workspace) -> Settings:
    """Studio settings for :func:`studio_ws`: a small body limit to test it, no overlay re-runs."""
    return Settings(
        workspace=studio_ws.path,
        secret_key="test-secret",
        max_body_bytes=200_000,
        overlay_refresh=False,
    )


@pytest.fixture
def client(settings: Settings) -> Callable[[str | None], TestClient]:
    """Return a factory: ``client("lindeweer")`` is logged in with a CSRF header; None anonymous."""
    app = create_app(settings)

    def make(username: str | None = None) -> TestClient:
        c = TestClient(app)
        token = c.get("/api/session").json()["csrf_token"]
        if username is not None:
            r = c.post(
                "/api/login",
                json={"username": username, "password": DEMO_PASSWORD},
                headers={"X-CSRF-Token": token},
            )
            assert r.status_code == 200, r.text
            token = r.json()["csrf_token"]
        c.headers["X-CSRF-Token"] = token
        return c

    return make


@pytest.fixture
def gpkg(studio_ws: Workspace) -> Path:
    """Return the workspace's GeoPackage (to prove a refused write changed nothing)."""
    return studio_ws.path / "workspace.gpkg"
