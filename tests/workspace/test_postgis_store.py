# SPDX-License-Identifier: Apache-2.0
"""The PostGIS store: ``ruimte copy`` both ways, the CLI end to end, 20 writers at once.

Every test needs the throw-away PostgreSQL cluster of ``tests/conftest.py``
(skipped with the reason where PostgreSQL or PostGIS is not installed).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from click.testing import CliRunner
from shapely.geometry import box

from ruimte.cli.main import main
from ruimte.workspace import Workspace
from ruimte.workspace.rasters import RasterData
from ruimte.workspace.transfer import raster_locations


def _same_layers(a: Workspace, b: Workspace, *, skip_meta: bool = False) -> None:
    """Assert that two workspaces hold the same layers with the same rows, values and dtypes."""
    assert a.layer_names() == b.layer_names()
    for name in a.layer_names():
        fa, fb = a.store.read(name), b.store.read(name)
        if name == "ruimte_meta":
            ka = dict(zip(fa["key"], fa["value"], strict=True))
            kb = dict(zip(fb["key"], fb["value"], strict=True))
            ka.pop("folder", None), kb.pop("folder", None)
            assert ka == kb
            continue
        if "geometry" in fa:
            ga, gb = fa.pop("geometry"), fb.pop("geometry")
            assert len(ga) == len(gb), name
            for x, y in zip(ga, gb, strict=True):
                assert (x is None and y is None) or x.equals_exact(y, 0), name
        pd.testing.assert_frame_equal(fa, fb, obj=name)


@pytest.fixture
def rich_gpkg(demo_path: Path, tmp_path: Path) -> Path:
    """Return the demo plus a stored result (layer, table, raster) and an edited claim."""
    src = tmp_path / "src"
    shutil.copytree(demo_path, src, ignore=shutil.ignore_patterns(".ruimte.lock"))
    ws = Workspace.open(src)
    ws.save_result(
        "eligibility_x",
        "eligibility",
        layers={
            "area": gpd.GeoDataFrame(
                {"v": [1.0, 2.0]}, geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)], crs=ws.crs
            )
        },
        tables={"per_region": pd.DataFrame({"code": ["GM01"], "km2": [1.5]})},
        rasters={
            "mask": RasterData(
                np.arange(12, dtype="uint8").reshape(3, 4),
                Affine(25, 0, 180_000, 0, -25, 480_000),
                ws.crs,
                255,
                "uint8",
            )
        },
    )
    claim = ws.claims().iloc[0]
    ws.update_claim(claim["claim_id"], {"quantity": 3.0}, expected_version=1, user="anna")
    return src


def test_copy_gpkg_to_postgis_and_back_is_lossless(
    rich_gpkg: Path, postgis_url: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main, ["copy", str(rich_gpkg), postgis_url, "--folder", str(tmp_path / "pg-files")]
    )
    assert result.exit_code == 0, result.output
    back = tmp_path / "back"
    result = CliRunner().invoke(main, ["copy", postgis_url, str(back)])
    assert result.exit_code == 0, result.output
    source, shared, returned = (Workspace.open(p) for p in (rich_gpkg, postgis_url, back))
    # the PostGIS store reads the very frames the GeoPackage store reads, and back again
    _same_layers(source, shared)
    _same_layers(source, returned)
    assert len(source.claim_history()) == len(returned.claim_history()) >= 1
    assert returned.results()["key"].tolist() == ["eligibility_x"]
    assert returned.datasets().equals(source.datasets())  # provenance, sha256 and all
    locations = raster_locations(source)
    assert sorted(locations) == ["rasters/eligibility_x_mask.tif", "rasters/landuse.tif"]
    for location in locations:
        original = source.store.raster_path(location).read_bytes()
        assert shared.store.raster_path(location).read_bytes() == original
        assert returned.store.raster_path(location).read_bytes() == original
    # copying onto an existing workspace is refused with one line, nothing changed
    again = CliRunner().invoke(main, ["copy", str(rich_gpkg), postgis_url])
    assert again.exit_code == 2 and "exists here already" in again.output


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _drenthe_workspace(location: str, gpkg: Path, folder: Path) -> None:
    init = ["init", location] + (
        ["--folder", str(folder)] if location.startswith("postgres") else []
    )
    _cli(*init)
    _cli(
        "import",
        location,
        str(gpkg),
        "--layer",
        "gemeenten",
        "--regions",
        "--code-field",
        "gm_code",
        "--name-field",
        "gm_name",
        "--level",
        "municipality",
    )
    _cli(
        "import",
        location,
        str(gpkg),
        "--layer",
        "solar_parks",
        "--claims",
        "--function",
        "solar_field",
        "--quantity-field",
        "capacity_mw",
        "--unit",
        "MWp",
        "--status",
        "realised",
        "--scenario",
        "basis",
    )
    _cli(
        "import",
        location,
        str(gpkg),
        "--layer",
        "natura2000",
        "--as",
        "nature",
        "--function",
        "nature_reserve",
    )
    _cli(
        "import",
        location,
        str(gpkg),
        "--layer",
        "windturbines_rivm",
        "--claims",
        "--function",
        "wind_turbine",
        "--status",
        "realised",
        "--scenario",
        "basis",
    )
    _cli("conflicts", location, "--scenario", "basis")


def test_the_cli_end_to_end_on_postgis_matches_the_geopackage(
    shared_data: Path, postgis_url: str, tmp_path: Path
) -> None:
    gpkg = shared_data / "region_drenthe" / "drenthe_testregion.gpkg"
    _drenthe_workspace(postgis_url, gpkg, tmp_path / "pg-files")
    _drenthe_workspace(str(tmp_path / "ws"), gpkg, tmp_path / "unused")
    info = json.loads(_cli("info", postgis_url, "--json"))
    assert info["store"]["store"] == "PostgreSQL/PostGIS (shared)"
    solar = gpd.read_file(gpkg, layer="solar_parks")
    shared = Workspace.open(postgis_url)
    claims = shared.claims("basis")
    parks = claims[claims["function"] == "solar_field"]
    assert len(parks) == len(solar) == 35
    assert parks["quantity"].sum() == pytest.approx(solar["capacity_mw"].sum())
    assert (claims["function"] == "wind_turbine").sum() == 115
    assert len(shared.regions()) == 12
    # the same analysis on both stores: the stored conflicts are equal row for row
    local = Workspace.open(tmp_path / "ws")
    keys = shared.results()["key"].tolist()
    assert keys == local.results()["key"].tolist() and keys
    for layer in shared.results()["layers"].iloc[0].values():
        a, b = shared.store.read(layer), local.store.read(layer)
        assert len(a) == len(b)
        assert a.geometry.area.sum() == pytest.approx(b.geometry.area.sum())
    text = _cli("info", postgis_url)
    assert text.startswith(f"Workspace {postgis_url}") and "conflicts_basis" in text


WRITER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import geopandas as gpd
    from shapely.geometry import box
    from ruimte.errors import StaleWriteError
    from ruimte.workspace import Workspace

    location, k, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    ws = Workspace.open(location)
    while not go.exists():
        time.sleep(0.01)
    ids = [f"w{k}-{i}" for i in range(3)]
    ws.add_claims(gpd.GeoDataFrame(
        {"claim_id": ids, "function": ["solar_field"] * 3, "unit": ["MWp"] * 3,
         "quantity": [1.0] * 3},
        geometry=[box(1000 * k + 10 * i, 0, 1000 * k + 10 * i + 5, 5) for i in range(3)],
        crs="EPSG:28992"))
    for i, claim in enumerate(ids):
        ws.update_claim(claim, {"quantity": 10.0 * k + i}, expected_version=1, user=f"w{k}")
    won = 0
    try:  # everyone opened S at version 1: only the first edit may land
        ws.update_claim("S", {"status": "proposed"}, expected_version=1, user=f"w{k}")
        won = 1
    except StaleWriteError:
        pass
    retries = 0
    while True:  # then each adds 1 to S's quantity, reloading when refused
        row = ws.claims().set_index("claim_id").loc["S"]
        try:
            ws.update_claim("S", {"quantity": row["quantity"] + 1},
                            expected_version=int(row["version"]), user=f"w{k}")
            break
        except StaleWriteError:
            retries += 1
    print(json.dumps({"won": won, "retries": retries}))
    """
)


@pytest.mark.both_stores
def test_twenty_writers_at_once_lose_nothing_and_stale_edits_are_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.add_claims(
        gpd.GeoDataFrame(
            {"claim_id": ["S"], "function": ["solar_field"], "quantity": [100.0], "unit": ["MWp"]},
            geometry=[box(0, -100, 50, -50)],
            crs=ws.crs,
        )
    )
    go = tmp_path / "go"
    location = str(ws.path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, location, str(k), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(20)
    ]
    go.touch()
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, [err[-2000:] for _, err in outputs]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert sum(r["won"] for r in reports) == 1  # 19 stale edits refused
    claims = Workspace.open(location).claims()
    assert len(claims) == 61 and claims["claim_id"].is_unique  # nothing lost, no duplicate
    mine = claims.set_index("claim_id")
    for k in range(20):
        for i in range(3):
            assert mine.loc[f"w{k}-{i}", "quantity"] == 10.0 * k + i
            assert int(mine.loc[f"w{k}-{i}", "version"]) == 2
    assert mine.loc["S", "quantity"] == 120.0  # each of the 20 increments landed once
    assert mine.loc["S", "status"] == "proposed"
    assert int(mine.loc["S", "version"]) == 22
    history = Workspace.open(location).claim_history("S")
    assert sorted(history["version"].astype(int)) == list(range(2, 23))


def test_a_bad_url_or_a_missing_schema_is_one_line_naming_it(tmp_path: Path, request) -> None:
    runner = CliRunner()
    nowhere = f"postgresql://ruimte:secret@/nodb?host={tmp_path}"
    result = runner.invoke(main, ["info", nowhere])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "cannot connect to PostgreSQL" in result.output and "secret" not in result.output
    assert result.output.count("\n") == 1
    server = request.getfixturevalue("postgis_server")
    missing = runner.invoke(main, ["info", f"{server}&schema=nothing_here"])
    assert missing.exit_code == 2 and "no workspace in schema 'nothing_here'" in missing.output
    assert "ruimte init" in missing.output
    backup = runner.invoke(main, ["backup", f"{server}&schema=nothing_here", str(tmp_path / "b")])
    assert backup.exit_code == 2 and "Traceback" not in backup.output


def _two_claims(ws: Workspace) -> None:
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.add_claims(
        gpd.GeoDataFrame(
            {"claim_id": ["A", "B"], "function": ["solar_field"] * 2, "quantity": [1.0, 2.0]},
            geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)],
            crs=ws.crs,
        )
    )


def test_edits_lock_only_their_rows(postgis_url: str, tmp_path: Path) -> None:
    """While one edit holds claim A, an edit of B lands; a second edit of A waits for the lock."""
    import threading

    import psycopg

    from ruimte.errors import StaleWriteError

    ws = Workspace.init(postgis_url, folder=tmp_path / "files")
    _two_claims(ws)
    holding, release = threading.Event(), threading.Event()

    def hold_a() -> None:
        with ws.store.edit_rows("claims", "claim_id", ["A"]):
            ws.update_claim("A", {"quantity": 10.0}, expected_version=1, user="anna")
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold_a)
    holder.start()
    assert holding.wait(60)
    other = Workspace.open(postgis_url)
    other.update_claim("B", {"quantity": 20.0}, expected_version=1, user="bob")  # not blocked
    assert not release.is_set()
    late: list[BaseException] = []

    def edit_a() -> None:
        try:
            Workspace.open(postgis_url).update_claim("A", {"quantity": 5.0}, expected_version=1)
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            late.append(exc)

    waiter = threading.Thread(target=edit_a)
    waiter.start()
    with psycopg.connect(ws.store.conninfo, autocommit=True) as con:
        for _ in range(600):  # until the second edit of A waits for the row lock
            row = con.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()
            if row[0] >= 1:
                break
            release.wait(0.05)  # (not set yet: a 50 ms pause)
        assert row[0] == 1
    release.set()
    holder.join(60)
    waiter.join(60)
    assert len(late) == 1 and isinstance(late[0], StaleWriteError)  # it read version 2
    claims = Workspace.open(postgis_url).claims().set_index("claim_id")
    assert claims.loc["A", "quantity"] == 10.0 and claims.loc["B", "quantity"] == 20.0


@pytest.mark.both_stores
def test_an_edit_inside_a_failed_transaction_is_rolled_back(ws: Workspace) -> None:
    _two_claims(ws)
    with pytest.raises(RuntimeError, match="boom"):
        with ws.transaction():
            ws.update_claim("A", {"quantity": 7.0}, expected_version=1)
            assert ws.claims().set_index("claim_id").loc["A", "quantity"] == 7.0
            raise RuntimeError("boom")
    row = ws.claims().set_index("claim_id").loc["A"]
    assert row["quantity"] == 1.0 and int(row["version"]) == 1
    assert ws.claim_history().empty


def test_init_refuses_a_schema_holding_other_tables_of_those_names(postgis_url: str) -> None:
    import psycopg

    from ruimte.workspace.pg_connection import split_url

    conninfo, schema = split_url(postgis_url)
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute(f'CREATE SCHEMA "{schema}"')
        con.execute(f'CREATE TABLE "{schema}".regions (id int)')
    result = CliRunner().invoke(main, ["init", postgis_url, "--folder", "unused"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "has tables of other data" in result.output and "regions" in result.output


def test_an_init_stopped_halfway_can_be_run_again(postgis_url: str, tmp_path: Path) -> None:
    """Killed between its two transactions, init left an empty settings table: init again works.

    The first step (``PgStore.create``) is what a process killed right after it leaves;
    a finished workspace is still refused.
    """
    from pyproj import CRS

    from ruimte.errors import WorkspaceExistsError
    from ruimte.workspace.pg_store import PgStore

    PgStore.create(postgis_url, CRS.from_epsg(28992), tmp_path / "files")
    ws = Workspace.init(postgis_url, folder=tmp_path / "files")
    assert ws.schema_version >= 5 and ws.claims().empty
    with pytest.raises(WorkspaceExistsError, match="a workspace exists here already"):
        Workspace.init(postgis_url, folder=tmp_path / "files")
