# SPDX-License-Identifier: Apache-2.0
"""Fixtures shared by all tests: a fresh workspace, and the real Dutch data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ruimte.workspace import Workspace

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """Return the real open Dutch data in ../shared/data; skip where it is absent."""
    if not (SHARED_DATA / "MANIFEST.md").is_file():
        pytest.skip(f"real data not found at {SHARED_DATA} (../shared/data beside the repository)")
    return SHARED_DATA


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """Return a fresh, empty workspace in RD New."""
    return Workspace.init(tmp_path / "ws")


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, to prove a failed write changed nothing."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def digest():
    """Return the :func:`file_digest` helper."""
    return file_digest


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the demo region once per test session; return its folder (treat as read-only)."""
    from ruimte.demo.build import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "demo-workspace").path


@pytest.fixture
def demo_ws(demo_path: Path, tmp_path: Path) -> Workspace:
    """Return a private copy of the demo workspace that a test may write to."""
    import shutil

    copy = tmp_path / "demo-workspace"
    shutil.copytree(demo_path, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    return Workspace.open(copy)


def _import_real_hierarchy(ws: Workspace, admin: Path) -> Workspace:
    """Import the 2024 hierarchy (NL > 12 provinces, 30 RES regions > 342 municipalities)."""
    import pyogrio

    provinces = pyogrio.read_dataframe(admin, layer="provincies_derived")
    ws.add_regions(
        provinces.dissolve().assign(code="NL", name="Nederland", level="national")[
            ["code", "name", "level", "geometry"]
        ]
    )
    ws.import_regions(
        admin,
        layer="provincies_derived",
        code_field="pv_code",
        name_field="pv_name",
        level="province",
        parent_code="NL",
        licence="CBS/PDOK open data",
    )
    ws.import_regions(
        admin,
        layer="res_regios_derived",
        code_field="res_code",
        name_field="res_name",
        level="res_region",
        parent_code="NL",
    )
    ws.import_regions(
        admin,
        layer="gemeenten",
        code_field="gm_code",
        name_field="gm_name",
        level="municipality",
        parent_field="res_code",
        extra_parent_fields=["pv_code"],
    )
    return ws


@pytest.fixture
def import_real_hierarchy():
    """Return a function that imports the real 2024 region hierarchy into a workspace."""
    return _import_real_hierarchy
