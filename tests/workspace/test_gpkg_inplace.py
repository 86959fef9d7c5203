# SPDX-License-Identifier: Apache-2.0
"""In-place GeoPackage edits: the same rows as GDAL writes, atomic, safe under concurrency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, box

from ruimte.errors import StaleWriteError
from ruimte.workspace import Workspace, schema
from ruimte.workspace.gpkg_inplace import geometry_blobs
from ruimte.workspace.gpkg_store import WorkspaceBusyError

RD = "EPSG:28992"
SRC = str(Path(__file__).resolve().parents[2] / "src")


def make(path: Path, n: int = 5) -> Workspace:
    ws = Workspace.init(path)
    ws.add_scenarios(pd.DataFrame({"name": ["basis", "kind"], "parent": [None, "basis"]}))
    ws.add_claims(
        gpd.GeoDataFrame(
            {
                "claim_id": [f"c{i}" for i in range(n)],
                "function": "solar_field",
                "quantity": [1.0 + i for i in range(n)],
                "unit": "MWp",
                "scenario": "basis",
            },
            geometry=[box(10 * i, 0, 10 * i + 5, 5) for i in range(n)],
            crs=RD,
        )
    )
    return ws


def rows(gpkg: Path, table: str) -> list[tuple]:
    with sqlite3.connect(gpkg) as con:
        # the rows appended by the test (the claims of make() carry their own timestamps)
        return con.execute(f'SELECT * FROM "{table}" WHERE fid > 5 ORDER BY fid').fetchall()


def rtree(gpkg: Path, table: str) -> list[tuple]:
    with sqlite3.connect(gpkg) as con:
        return con.execute(f'SELECT * FROM "rtree_{table}_geom" ORDER BY id').fetchall()


def mixed_frame(ws: Workspace, table: schema.Table, geoms: list) -> gpd.GeoDataFrame:
    """Rows with every column type the schema has, with NULLs, NaN and booleans."""
    data = {}
    for column, kind in table.columns:
        if kind == "float":
            data[column] = [1.5, np.nan]
        elif kind == "int":
            data[column] = [2030.0, np.nan]
        elif kind == "bool":
            data[column] = [True, False]
        elif kind == "json":
            data[column] = ['{"a": [1, 2]}', None]
        else:
            data[column] = [f"{column}-ü", None]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=RD)


@pytest.mark.parametrize(
    ("table", "geoms"),
    [
        (schema.CLAIMS, [box(0, 0, 3, 2), MultiPolygon([box(5, 5, 6, 6), box(8, 8, 9, 9)])]),
        (schema.REGIONS, [box(0, 0, 3, 2), None]),  # a MULTIPOLYGON layer: promoted
        (schema.COMMENTS, [Point(1, 2), Point(3.25, -4)]),  # points carry no envelope
    ],
)
def test_an_in_place_append_stores_what_gdal_stores(tmp_path, table, geoms) -> None:
    a, b = make(tmp_path / "a"), make(tmp_path / "b")
    frame = mixed_frame(a, table, geoms)
    with a.store.transaction():  # copy-on-write: GDAL writes the rows
        a.store.append(table.name, frame)
    with b.store.edit_rows(table.name, table.column_names[0], []):
        b.store.append(table.name, frame)
        assert b.store._inplace is not None  # it stayed in place
    assert rows(b.store.gpkg, table.name) == rows(a.store.gpkg, table.name)
    assert rtree(b.store.gpkg, table.name) == rtree(a.store.gpkg, table.name)
    new_a, new_b = a.store.read(table.name).iloc[-2:], b.store.read(table.name).iloc[-2:]
    pd.testing.assert_frame_equal(new_b, new_a)
    # GDAL opens the file and finds the rows through the spatial index
    info = pyogrio.read_info(b.store.gpkg, layer=table.name)
    assert info["features"] == 2 if table is not schema.CLAIMS else 7
    hit = pyogrio.read_dataframe(b.store.gpkg, layer=table.name, bbox=(0.5, 0.5, 1.5, 2.5))
    assert len(hit) == (2 if table is schema.CLAIMS else 1)  # c0 (0..5) and the new box
    with sqlite3.connect(b.store.gpkg) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_geometry_blob_header_by_hand() -> None:
    (blob,) = geometry_blobs(gpd.GeoSeries([box(1, 2, 3, 4)]), 28992, multi=False)
    assert blob[:4] == b"GP\x00\x03"  # version 0, xy envelope, little endian
    assert int.from_bytes(blob[4:8], "little") == 28992
    assert np.frombuffer(blob[8:40], "<f8").tolist() == [1.0, 3.0, 2.0, 4.0]
    assert blob[40] == 1 and int.from_bytes(blob[41:45], "little") == 3  # WKB polygon


def test_a_claim_edit_runs_in_place_and_changes_the_version_token(tmp_path) -> None:
    ws = make(tmp_path / "w")
    inode = ws.store.gpkg.stat().st_ino
    tokens = {ws.store.version_token()}
    for version in range(1, 6):
        ws.update_claim("c1", {"quantity": 10.0 + version}, expected_version=version)
        tokens.add(ws.store.version_token())
    assert len(tokens) == 6  # five commits within milliseconds: five new tokens
    assert ws.store.gpkg.stat().st_ino == inode  # no copy replaced the file
    assert not (tmp_path / "w" / "workspace.staging.gpkg").exists()
    claim = ws.claims("basis").set_index("claim_id").loc["c1"]
    assert (claim["quantity"], claim["version"]) == (15.0, 6)
    assert len(ws.claim_history("c1")) == 5
    ws.remove_claim("c1", expected_version=6)
    assert "c1" not in set(ws.claims("basis")["claim_id"])
    with sqlite3.connect(ws.store.gpkg) as con:
        assert con.execute("SELECT count(*) FROM rtree_claims_geom").fetchone() == (4,)
        assert con.execute(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'claims'"
        ).fetchone() == (4,)


def test_an_error_inside_an_in_place_edit_leaves_nothing(tmp_path) -> None:
    ws = make(tmp_path / "w")
    before = rows(ws.store.gpkg, "claims")
    for exc in (RuntimeError, KeyboardInterrupt):
        with pytest.raises(exc), ws.store.edit_rows("claims", "claim_id", ["c0"]):
            ws.store.delete("claims", "claim_id", ["c0"])
            raise exc()
    assert rows(ws.store.gpkg, "claims") == before
    assert not Path(str(ws.store.gpkg) + "-journal").exists()


def test_a_write_that_needs_gdal_carries_the_edit_over_to_copy_on_write(tmp_path) -> None:
    ws = make(tmp_path / "w")
    with ws.store.edit_rows("claims", "claim_id", ["c0"]):
        ws.store.delete("claims", "claim_id", ["c0"])
        assert len(ws.store.read("claims")) == 4  # a read after a write: via the copy
        assert ws.store._inplace is None and ws.store._txn is not None
        ws.store.delete("claims", "claim_id", ["c1"])
    assert sorted(ws.store.read("claims")["claim_id"]) == ["c2", "c3", "c4"]


def test_a_gdal_read_in_another_thread_waits_for_the_open_transaction(tmp_path) -> None:
    # GDAL carries its own SQLite: its close of the file would drop this process's
    # lock on the open transaction (POSIX), so it must wait for COMMIT (gpkg_gate)
    ws = make(tmp_path / "w")
    seen: list[int] = []
    began, read_done = threading.Event(), threading.Event()

    def reader() -> None:
        began.wait()
        seen.append(len(ws.store.read("claims")))
        read_done.set()

    thread = threading.Thread(target=reader)
    thread.start()
    with ws.store.edit_rows("claims", "claim_id", ["c0"]):
        ws.store.delete("claims", "claim_id", ["c0"])  # the transaction is open now
        began.set()
        assert not read_done.wait(0.5)  # the read waits at the gate
        ws.store.delete("claims", "claim_id", ["c1"])
    thread.join(10)
    assert seen == [3]  # it read after COMMIT: both deletes
    assert ws.store._inplace is None and ws.store._txn is None


def test_a_read_before_the_first_write_stays_in_place(tmp_path) -> None:
    ws = make(tmp_path / "w")
    inode = ws.store.gpkg.stat().st_ino
    with ws.store.edit_rows("claims", "claim_id", ["c0"]):
        assert len(ws.store.read("claims")) == 5  # no transaction open yet: GDAL reads
        assert ws.store._inplace is not None and ws.store._inplace.con is None
        ws.store.delete("claims", "claim_id", ["c0"])
        assert ws.store._inplace.con is not None
    assert ws.store.gpkg.stat().st_ino == inode
    assert len(ws.store.read("claims")) == 4


def test_another_programs_write_during_a_carried_over_edit_is_kept_and_the_edit_refused(
    tmp_path,
) -> None:
    ws = make(tmp_path / "w")
    extra = gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=RD)
    with pytest.raises(WorkspaceBusyError), ws.store.edit_rows("claims", "claim_id", ["c0"]):
        ws.store.delete("claims", "claim_id", ["c0"])
        ws.store.write_layer("extra", extra)  # needs GDAL: the block goes on on a copy
        with sqlite3.connect(ws.store.gpkg) as con:  # QGIS writes the file meanwhile
            con.execute("INSERT INTO ruimte_meta (key, value) VALUES ('qgis', 'edit')")
    assert ws.store.get_meta("qgis") == "edit"  # its write is not replaced by the copy
    assert "extra" not in ws.store.layer_names() and len(ws.store.read("claims")) == 5
    assert not (tmp_path / "w" / "workspace.staging.gpkg").exists()


def test_another_programs_write_before_a_carry_over_refuses_the_edit(tmp_path) -> None:
    ws = make(tmp_path / "w")
    extra = gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=RD)
    with pytest.raises(WorkspaceBusyError), ws.store.edit_rows("claims", "claim_id", ["c0"]):
        assert len(ws.store.read("claims")) == 5  # what the edit decides on
        with sqlite3.connect(ws.store.gpkg) as con:
            con.execute("INSERT INTO ruimte_meta (key, value) VALUES ('qgis', 'edit')")
        ws.store.write_layer("extra", extra)
    assert ws.store.get_meta("qgis") == "edit" and "extra" not in ws.store.layer_names()


CHILD = """
import sys, pandas as pd
from ruimte.workspace import Workspace
ws = Workspace.open(sys.argv[1])
with ws.store.edit_rows("claims", "claim_id", ["c0"]):
    ws.store.delete("claims", "claim_id", ["c0", "c1"])
    ws.store.set_meta("half", "yes")
    print("ready", flush=True)
    sys.stdin.readline()  # the test kills us here, before COMMIT
"""


def test_a_writer_killed_mid_edit_leaves_the_workspace_as_before(tmp_path, caplog) -> None:
    ws = make(tmp_path / "w")
    before = rows(ws.store.gpkg, "claims")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "w")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": SRC},
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    assert Path(str(ws.store.gpkg) + "-journal").exists()  # SQLite's journal of the edit
    child.send_signal(signal.SIGKILL)
    child.wait()
    again = Workspace.open(tmp_path / "w")  # the next open rolls it back
    assert rows(again.store.gpkg, "claims") == before
    assert again.store.get_meta("half") is None
    again.update_claim("c0", {"quantity": 9.0}, expected_version=1)  # the next writer proceeds
    assert again.claims("basis").set_index("claim_id").loc["c0", "quantity"] == 9.0
    assert "rolled back" in caplog.text


EDITOR = """
import sys
from ruimte.errors import StaleWriteError
from ruimte.workspace import Workspace
ws = Workspace.open(sys.argv[1])
done = stale = 0
while done < int(sys.argv[2]):
    row = ws.claims("basis").set_index("claim_id").loc["c0"]
    try:
        ws.update_claim("c0", {"quantity": float(row["quantity"]) + 1},
                        expected_version=int(row["version"]), user=sys.argv[3])
        done += 1
    except StaleWriteError:
        stale += 1
print(done, stale)
"""


def test_concurrent_in_place_edits_lose_nothing_and_refuse_stale(tmp_path) -> None:
    ws = make(tmp_path / "w")
    editors = [
        subprocess.Popen(
            [sys.executable, "-c", EDITOR, str(tmp_path / "w"), "6", f"u{k}"],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": SRC},
            text=True,
        )
        for k in range(3)
    ]
    results = [tuple(map(int, p.communicate(timeout=600)[0].split())) for p in editors]
    assert all(p.returncode == 0 for p in editors)
    assert [done for done, _ in results] == [6, 6, 6]
    claim = ws.claims("basis").set_index("claim_id").loc["c0"]
    # each landed edit added one to the quantity it read: 18 edits, none lost
    assert (claim["quantity"], claim["version"]) == (1.0 + 18, 19)
    assert sorted(ws.claim_history("c0")["version"].astype(int)) == list(range(2, 20))
    with pytest.raises(StaleWriteError):
        ws.update_claim("c0", {"quantity": 0.0}, expected_version=1)


READER = """
import sys, pyogrio
from ruimte.workspace import Workspace
store = Workspace.open(sys.argv[1]).store  # sets GDAL's busy timeout, as in every ruimte process
n = errors = 0
while n < 40:
    try:
        assert len(pyogrio.read_dataframe(store.gpkg, layer="claims")) == 5
        assert len(store.read("claims")) == 5
        n += 1
    except Exception as exc:
        errors += 1
        print(exc, file=sys.stderr)
print(n, errors)
"""


def test_readers_in_other_processes_and_threads_never_see_a_locked_file(tmp_path) -> None:
    ws = make(tmp_path / "w")
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(ws.store.root)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    errors: list[str] = []
    stop = threading.Event()

    def read_loop() -> None:
        while not stop.is_set():
            try:
                assert len(ws.store.read("claims")) == 5
            except Exception as exc:  # noqa: BLE001 - counted and shown
                errors.append(repr(exc))

    thread = threading.Thread(target=read_loop)
    thread.start()
    version = 1
    while any(p.poll() is None for p in readers):
        ws.update_claim("c2", {"quantity": float(version)}, expected_version=version)
        version += 1
    stop.set()
    thread.join()
    outs = [p.communicate()[0].split() for p in readers]
    assert errors == []
    assert outs == [["40", "0"], ["40", "0"]]
    assert version > 2


def cow(ws: Workspace) -> Workspace:
    """Make ``ws`` run its edits copy-on-write (the path before in-place edits)."""
    ws.store.edit_rows = lambda *args: ws.store.transaction()  # type: ignore[method-assign]
    return ws


EDIT = st.tuples(
    st.sampled_from(["quantity", "status", "geometry", "remove", "child"]),
    st.integers(0, 4),
    st.floats(0, 1000, allow_nan=False),
)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_a_sequence_of_in_place_edits_reads_back_as_copy_on_write(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("seq")
    fast, slow = make(root / "fast"), cow(make(root / "slow"))
    inodes = {fast: fast.store.gpkg.stat().st_ino}
    for ws in (fast, slow):
        for kind, k, value in edits:
            claim_id = f"c{k}"
            scenario = "kind" if kind == "child" else "basis"
            current = ws.claims(scenario).set_index("claim_id")
            target = f"{claim_id}@kind" if f"{claim_id}@kind" in current.index else claim_id
            if target not in current.index:
                continue
            version = int(current.loc[target, "version"])
            if kind == "remove":
                ws.remove_claim(target, expected_version=version)
            elif kind == "geometry":
                shape = box(value, 0, value + 1, 1)
                ws.update_claim(target, {"geometry": shape}, expected_version=version)
            elif kind == "status":
                ws.update_claim(target, {"status": "proposed"}, expected_version=version)
            elif kind == "child" and target == claim_id:  # the first edit there: an override
                ws.update_claim(
                    claim_id, {"quantity": value}, expected_version=version, scenario="kind"
                )
            else:
                ws.update_claim(target, {"quantity": value}, expected_version=version)
    # every edit ran in place, on the one file (copy-on-write replaces it by rename)
    assert fast.store.gpkg.stat().st_ino == inodes[fast]
    for scenario in ("basis", "kind"):
        a = fast.claims(scenario).drop(columns=["updated_at"])
        b = slow.claims(scenario).drop(columns=["updated_at"])
        pd.testing.assert_frame_equal(a, b)
    ha = fast.claim_history().drop(columns=["updated_at"])
    hb = slow.claim_history().drop(columns=["updated_at"])
    pd.testing.assert_frame_equal(ha, hb)
    assert rtree(fast.store.gpkg, "claims") == rtree(slow.store.gpkg, "claims")
