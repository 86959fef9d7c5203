# SPDX-License-Identifier: Apache-2.0
"""Crash recovery: SIGKILL a real ``ruimte`` process at random moments of a write.

Each trial starts from a fresh copy of the demo workspace, runs one command in
a subprocess and kills it (half the trials at a random moment of the whole
run, half at a random moment after its staging copy appeared, so the write
itself is hit). Afterwards the workspace must hold exactly the state before
or the state after the command, ``check`` must find nothing new, and the same
command must then succeed.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from ruimte.workspace import Workspace
from ruimte.workspace.gpkg_store import (
    GPKG_NAME,
    JOURNAL_NAME,
    RASTER_DIR,
    STAGING_GPKG,
    STAGING_SUFFIX,
    GpkgStore,
)

TRIALS = 10
RUIMTE = [sys.executable, "-c", "from ruimte.cli.main import main; main()"]


def state(path: Path) -> tuple:
    """Return what a command changes, minus timestamps: rows per table, raster files."""
    ws = Workspace.open(path)  # opening finishes or undoes a killed write
    with contextlib.closing(sqlite3.connect(path / GPKG_NAME)) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")]
        rows = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    rasters = sorted(p.name for p in (path / RASTER_DIR).glob("*.tif"))
    datasets = sorted(ws.datasets()["name"])
    findings = sorted((f.severity, f.table, f.key) for f in ws.check())
    return tuple(sorted(rows.items())), tuple(rasters), tuple(datasets), tuple(findings)


def leftovers(path: Path) -> bool:
    """Whether a killed write left anything to recover."""
    return any(
        p.exists()
        for p in (path / STAGING_GPKG, path / JOURNAL_NAME, path / RASTER_DIR / STAGING_SUFFIX)
    )


def run_and_kill(args: list[str], at: float, after_staging: bool, ws_path: Path) -> None:
    proc = subprocess.Popen(
        RUIMTE + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        if after_staging:  # wait for the write to begin, then kill inside it
            deadline = time.monotonic() + 60
            while not (ws_path / STAGING_GPKG).exists() and proc.poll() is None:
                if time.monotonic() > deadline:  # pragma: no cover
                    break
                time.sleep(0.002)
        try:
            proc.wait(timeout=at)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Write a small dataset file and a small claims file inside the demo region."""
    x0, y0 = 190_000.0, 480_000.0
    cells = [box(x0 + 300 * i, y0, x0 + 300 * i + 200, y0 + 200) for i in range(30)]
    dataset = tmp_path / "parcels.geojson"
    gpd.GeoDataFrame({"kind": ["grass"] * 30}, geometry=cells, crs="EPSG:28992").to_file(dataset)
    claims = tmp_path / "new_claims.geojson"
    gpd.GeoDataFrame(
        {"function": ["solar_field"] * 3, "quantity": [1.0, 2.0, 3.0], "unit": ["MWp"] * 3},
        geometry=cells[:3],
        crs="EPSG:28992",
    ).to_file(claims)
    return {"dataset": dataset, "claims": claims}


COMMANDS = {
    "import": lambda ws, f: ["import", ws, str(f["dataset"]), "--function", "dairy_farming"],
    "claims import": lambda ws, f: ["import", ws, str(f["claims"]), "--claims"],
    "eligibility": lambda ws, f: ["eligibility", ws, "--tech", "solar", "--resolution", "200"],
    "conflicts": lambda ws, f: ["conflicts", ws, "-s", "basis"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_sigkill_leaves_the_state_before_or_after(
    command: str, demo_path: Path, tmp_path: Path, files: dict[str, Path]
) -> None:
    rng = random.Random(f"crash-{command}")
    pristine = tmp_path / "pristine"
    shutil.copytree(demo_path, pristine, ignore=shutil.ignore_patterns(".ruimte.lock"))
    before = state(pristine)

    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    started = time.monotonic()
    done = subprocess.run(
        RUIMTE + COMMANDS[command](str(reference), files), capture_output=True, text=True
    )
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    after = state(reference)
    assert after != before  # the command changes something worth protecting

    recovered = 0
    for trial in range(TRIALS):
        work = tmp_path / f"trial{trial}"
        shutil.copytree(pristine, work)
        after_staging = trial % 2 == 1
        at = rng.uniform(0.0, 0.08) if after_staging else rng.uniform(0.2, 1.0) * duration
        run_and_kill(COMMANDS[command](str(work), files), at, after_staging, work)
        recovered += leftovers(work)
        now = state(work)
        assert now in (before, after), f"trial {trial} (kill at {at:.2f} s): neither state"
        assert not leftovers(work)
        if trial == TRIALS - 1:  # the same command then just works
            again = subprocess.run(
                RUIMTE + COMMANDS[command](str(work), files), capture_output=True, text=True
            )
            assert again.returncode == 0, again.stderr
            assert state(work) == after
        shutil.rmtree(work)
    # the kills after the staging copy appeared did hit writes in progress
    assert recovered >= 1


@pytest.mark.gpkg_only("the GeoPackage's copy-on-write journal and staging copy")
def test_a_commit_killed_after_its_journal_is_completed(ws: Workspace, monkeypatch) -> None:
    """Killed between the journal and the rename: the next opener finishes the commit."""
    import ruimte.workspace.gpkg_store as gs

    real_replace = os.replace
    calls = []

    def dying_replace(src, dst):
        calls.append(dst)
        if Path(dst).name == GPKG_NAME:  # the journal is written, the rename not made
            raise SystemExit("killed")
        return real_replace(src, dst)

    monkeypatch.setattr(gs.os, "replace", dying_replace)
    with pytest.raises(SystemExit):
        with ws.transaction():
            ws.add_scenarios(pd.DataFrame({"name": ["kept"]}))
    monkeypatch.setattr(gs.os, "replace", real_replace)
    assert (ws.path / JOURNAL_NAME).exists() and (ws.path / STAGING_GPKG).exists()
    reopened = Workspace.open(ws.path)
    assert "kept" in set(reopened.scenarios()["name"])
    assert not leftovers(ws.path)


@pytest.mark.gpkg_only("the GeoPackage's copy-on-write journal and staging copy")
def test_an_unfinished_write_is_rolled_back_with_a_message(ws: Workspace, caplog) -> None:
    """A staging copy without a journal is undone; the warning names the dead writer."""
    shutil.copyfile(ws.path / GPKG_NAME, ws.path / STAGING_GPKG)
    (ws.path / ".ruimte.lock").write_text('{"pid": 4242, "host": "elsewhere", "started": 0}')
    with caplog.at_level("WARNING"):
        ws.add_scenarios(pd.DataFrame({"name": ["next"]}))
    assert "pid 4242 on host elsewhere" in caplog.text and "rolled back" in caplog.text
    assert not leftovers(ws.path)
    assert "next" in set(Workspace.open(ws.path).scenarios()["name"])


@pytest.mark.gpkg_only("the GeoPackage's writer lock file")
def test_a_live_writer_is_left_alone(ws: Workspace) -> None:
    """A reader that opens while another process holds the lock does not touch its staging."""
    staging = ws.path / STAGING_GPKG
    shutil.copyfile(ws.path / GPKG_NAME, staging)
    script = (
        "import fcntl, sys, time; f = open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); "
        "print('held', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(ws.path / ".ruimte.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        GpkgStore(ws.path, ws.crs).recover()
        assert staging.exists()
    finally:
        holder.kill()
        holder.wait()
