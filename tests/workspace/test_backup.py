# SPDX-License-Identifier: Apache-2.0
"""``ruimte backup`` / ``ruimte restore``: the online backup API, restore tested."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from affine import Affine
from click.testing import CliRunner

from ruimte.cli.main import main as cli
from ruimte.errors import WorkspaceError
from ruimte.workspace import Workspace
from ruimte.workspace.backup import backup_workspace, restore_workspace


def _state(ws: Workspace) -> tuple:
    return (
        sorted(ws.scenarios()["name"]),
        len(ws.claims()),
        sorted(ws.datasets()["name"]),
        sorted(p.name for p in (ws.path / "rasters").glob("*.tif")),
    )


def test_backup_then_restore_gives_back_the_workspace(demo_ws: Workspace, tmp_path: Path) -> None:
    before = _state(demo_ws)
    runner = CliRunner()
    backup = tmp_path / "demo.tar"
    done = runner.invoke(cli, ["backup", str(demo_ws.path), str(backup)])
    assert done.exit_code == 0, done.output
    n_rasters = len(before[3])
    assert f"{n_rasters} raster(s)" in done.output and "integrity checked" in done.output
    # change the workspace after the backup: a scenario and a raster more
    demo_ws.add_scenarios(pd.DataFrame({"name": ["later"]}))
    demo_ws.add_raster(
        "later_grid",
        np.ones((4, 4), dtype="uint8"),
        Affine(100, 0, 190_000, 0, -100, 480_000),
        source="test",
    )
    assert _state(demo_ws) != before
    refused = runner.invoke(cli, ["restore", str(backup), str(demo_ws.path)])
    assert refused.exit_code == 2 and "--overwrite" in refused.output
    assert _state(Workspace.open(demo_ws.path)) != before  # refused: nothing changed
    done = runner.invoke(cli, ["restore", str(backup), str(demo_ws.path), "--overwrite"])
    assert done.exit_code == 0, done.output
    assert _state(Workspace.open(demo_ws.path)) == before
    fresh = tmp_path / "elsewhere"
    assert runner.invoke(cli, ["restore", str(backup), str(fresh)]).exit_code == 0
    restored = Workspace.open(fresh)
    assert _state(restored) == before and restored.check() == demo_ws.check()


@pytest.mark.gpkg_only("backup packs a workspace folder; PostGIS moves with ruimte copy")
def test_a_backup_never_overwrites_and_refuses_a_hostile_archive(
    ws: Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "b.tar"
    target.write_text("keep me")
    with pytest.raises(WorkspaceError, match="exists already"):
        backup_workspace(ws.path, target)
    assert target.read_text() == "keep me"
    hostile = tmp_path / "evil.tar"
    with tarfile.open(hostile, "w") as tar:
        for name in ("workspace.gpkg", "../escaped.txt"):
            info = tarfile.TarInfo(name)
            info.size = 3
            tar.addfile(info, io.BytesIO(b"abc"))
    with pytest.raises(WorkspaceError, match="unexpected member"):
        restore_workspace(hostile, tmp_path / "new")
    assert not (tmp_path / "escaped.txt").exists()
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"\0" * 10)
    with pytest.raises(WorkspaceError, match="not a ruimte backup"):
        restore_workspace(garbage, tmp_path / "new2")


@pytest.mark.gpkg_only("backup packs a workspace folder; PostGIS moves with ruimte copy")
def test_the_studio_audit_log_is_backed_up_and_restored(ws: Workspace, tmp_path: Path) -> None:
    from ruimte.web.audit import AUDIT_FILE

    log = ws.folder / AUDIT_FILE
    log.write_text('{"user": "admin", "endpoint": "POST /api/claims"}\n', encoding="utf-8")
    backup = tmp_path / "ws.tar"
    backup_workspace(ws.path, backup)
    with tarfile.open(backup) as tar:
        assert AUDIT_FILE in tar.getnames()
    log.write_text("", encoding="utf-8")  # later entries lost ... until the restore
    restore_workspace(backup, ws.path, overwrite=True)
    assert '"user": "admin"' in log.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    restore_workspace(backup, fresh)
    assert (fresh / AUDIT_FILE).read_text(encoding="utf-8") == log.read_text(encoding="utf-8")
