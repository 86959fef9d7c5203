# SPDX-License-Identifier: Apache-2.0
"""The workspace store: creation, schema versions, records and transactions."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
from affine import Affine
from pyproj import Transformer
from shapely import Point, box

from ruimte.errors import (
    SchemaVersionError,
    WorkspaceError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
)
from ruimte.workspace import Workspace, schema
from ruimte.workspace.records import RecordError

RD = "EPSG:28992"


def test_init_creates_a_geopackage_gdal_opens(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "polder")
    gpkg = tmp_path / "polder" / "workspace.gpkg"
    assert gpkg.is_file() and (tmp_path / "polder" / "rasters").is_dir()
    layers = dict(pyogrio.list_layers(gpkg))
    assert set(schema.TABLES) <= set(layers)
    assert layers["regions"] == "MultiPolygon"
    assert layers["claims"] == "Unknown"
    assert layers["plans"] is None  # an attribute table
    assert pyogrio.read_info(gpkg, layer="claims")["crs"] == RD
    assert ws.crs.to_epsg() == 28992
    assert ws.schema_version == schema.SCHEMA_VERSION
    with sqlite3.connect(gpkg) as con:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
    assert app_id == 0x47504B47  # 'GPKG'


@pytest.mark.both_stores
def test_init_refuses_an_existing_workspace(ws: Workspace) -> None:
    with pytest.raises(WorkspaceExistsError, match="a workspace exists here already"):
        Workspace.init(ws.path)


@pytest.mark.parametrize(
    ("crs", "message"),
    [
        ("EPSG:4326", "not a projected CRS in metres"),
        ("EPSG:99999999", "not a coordinate reference system"),
    ],
)
def test_init_refuses_a_crs_without_metres(tmp_path: Path, crs: str, message: str) -> None:
    with pytest.raises(WorkspaceError, match=message):
        Workspace.init(tmp_path / "w", crs=crs)
    assert not (tmp_path / "w" / "workspace.gpkg").exists()


def test_init_with_another_projected_crs(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "w", crs="EPSG:3035")
    assert Workspace.open(ws.path).crs.to_epsg() == 3035


def test_open_missing_workspace_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFoundError, match=r"ruimte init .*nowhere"):
        Workspace.open(tmp_path / "nowhere")


@pytest.mark.both_stores
def test_open_refuses_a_newer_schema(ws: Workspace) -> None:
    with ws.transaction():
        ws.store.set_meta("schema_version", "99")
    with pytest.raises(SchemaVersionError, match="schema version 99 is newer"):
        Workspace.open(ws.path)


@pytest.mark.both_stores
def test_open_migrates_an_older_workspace(ws: Workspace) -> None:
    # Simulate a workspace written before the comments table existed.
    with ws.transaction():
        ws.store.drop_layer("comments")
        ws.store.set_meta("schema_version", "0")
    assert "comments" not in ws.layer_names()
    reopened = Workspace.open(ws.path)
    assert "comments" in reopened.layer_names()
    assert reopened.schema_version == schema.SCHEMA_VERSION


def _scenarios() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["basis", "ambitie"],
            "parent": [None, "basis"],
            "assumptions": [
                {"kwh_per_kwp": 875},
                {"kwh_per_kwp": 875, "full_load_hours_wind": 2960},
            ],
        }
    )


@pytest.mark.both_stores
def test_records_round_trip(ws: Workspace) -> None:
    ws.add_scenarios(_scenarios())
    scenarios = ws.scenarios()
    assert list(scenarios["name"]) == ["basis", "ambitie"]
    assert scenarios["assumptions"].iloc[1] == {"kwh_per_kwp": 875, "full_load_hours_wind": 2960}


@pytest.mark.both_stores
def test_claims_are_checked_completed_and_measured(ws: Workspace) -> None:
    ws.add_scenarios(_scenarios())
    claims = gpd.GeoDataFrame(
        {
            "claim_id": ["zon-1", "won-1"],
            "function": ["solar_field", "housing"],
            "quantity": [20.0, 1500],
            "unit": ["MWp", "homes"],
            "region_code": [None, "GM0001"],
        },
        geometry=[box(150_000, 450_000, 150_500, 450_400), None],
        crs=RD,
    )
    ws.add_regions(
        gpd.GeoDataFrame(
            {"code": ["GM0001"], "name": ["Proefdorp"], "level": ["municipality"]},
            geometry=[box(149_000, 449_000, 152_000, 452_000)],
            crs=RD,
        )
    )
    assert ws.add_claims(claims) == 2
    stored = ws.claims().set_index("claim_id")
    assert stored.loc["zon-1", "transition"] == "energy"
    assert stored.loc["zon-1", "layer"] == ws.vocabulary.function("solar_field").layer
    assert stored.loc["zon-1", "status"] == "idea"
    assert stored.loc["zon-1", "scenario"] == "basis"
    assert stored.loc["zon-1"].geometry.area == pytest.approx(500 * 400)
    assert stored.loc["won-1"].geometry is None
    assert ws.summary()["claims"]["by_transition"]["energy"]["area_ha"] == pytest.approx(20.0)


@pytest.mark.both_stores
def test_a_claim_in_another_crs_is_reprojected(ws: Workspace) -> None:
    ws.add_scenarios(_scenarios())
    lon, lat = 5.3872, 52.1552  # Amersfoort, the origin area of RD New
    claim = gpd.GeoDataFrame(
        {"function": ["mobility_hub"]}, geometry=[Point(lon, lat)], crs="EPSG:4326"
    )
    ws.add_claims(claim)
    x, y = Transformer.from_crs(4326, 28992, always_xy=True).transform(lon, lat)
    stored = ws.claims().geometry.iloc[0]
    assert (stored.x, stored.y) == pytest.approx((x, y), abs=1e-3)
    assert stored.x == pytest.approx(155_000, abs=50)  # RD's false origin at Amersfoort


@pytest.mark.both_stores
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"function": "windturbine"},
            r"row 1 \(claim_id 'bad'\), column 'function'.*Did you mean 'wind_turbine'",
        ),
        ({"geometry": None}, r"needs a geometry or a region_code"),
        ({"scenario": "utopia"}, r"scenario 'utopia' does not exist"),
        ({"status": "dreamt"}, r"column 'status'"),
        ({"colour": "red"}, r"unknown column\(s\) 'colour'"),
        ({"quantity": "lots"}, r"column 'quantity'.*expected a float"),
    ],
)
def test_a_bad_claim_is_refused_and_nothing_is_stored(
    ws: Workspace, change: dict, message: str, state
) -> None:
    ws.add_scenarios(_scenarios())
    good = {"claim_id": "ok", "function": "wind_turbine", "quantity": 4.2, "unit": "MW"}
    bad = {**good, "claim_id": "bad", **{k: v for k, v in change.items() if k != "geometry"}}
    frame = gpd.GeoDataFrame(
        [good, bad],
        geometry=[Point(150_000, 450_000), change.get("geometry", Point(151_000, 450_000))],
        crs=RD,
    )
    before = state(ws)
    with pytest.raises(RecordError, match=message):
        ws.add_claims(frame)
    assert state(ws) == before
    assert ws.claims().empty


@pytest.mark.both_stores
def test_duplicate_keys_are_refused(ws: Workspace) -> None:
    ws.add_scenarios(_scenarios())
    with pytest.raises(RecordError, match="name 'basis' exists already"):
        ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    with pytest.raises(RecordError, match="appears twice"):
        ws.add_scenarios(pd.DataFrame({"name": ["x", "x"]}))


def test_plans_and_targets_are_checked_against_the_vocabulary(ws: Workspace) -> None:
    ws.add_plans(
        pd.DataFrame(
            [
                {
                    "plan_id": "P1",
                    "name": "RES 2.0",
                    "plan_type": "res",
                    "governance_level": "res_region",
                    "phase": "adopted",
                    "adoption_date": "2023-07-01",
                    "horizon_year": 2030,
                }
            ]
        )
    )
    assert ws.plans()["horizon_year"].iloc[0] == 2030
    with pytest.raises(RecordError, match="plan_type"):
        ws.add_plans(pd.DataFrame([{"plan_id": "P2", "name": "x", "plan_type": "masterplan"}]))
    with pytest.raises(RecordError, match="YYYY-MM-DD"):
        ws.add_plans(
            pd.DataFrame(
                [{"plan_id": "P3", "name": "x", "plan_type": "res", "adoption_date": "1 juli"}]
            )
        )
    with pytest.raises(RecordError, match="region_code 'ES99' does not exist"):
        ws.add_targets(
            pd.DataFrame(
                [
                    {
                        "region_code": "ES99",
                        "transition": "energy",
                        "quantity": 1.2,
                        "unit": "TWh/yr",
                        "horizon_year": 2030,
                    }
                ]
            )
        )


@pytest.mark.both_stores
def test_region_hierarchy_with_extra_parents(ws: Workspace) -> None:
    square = box(0 + 150_000, 450_000, 151_000, 451_000)
    regions = gpd.GeoDataFrame(
        {
            "code": ["PV1", "PV2", "ES1", "GM1"],
            "name": ["Oost", "West", "Vallei", "Dorp"],
            "level": ["province", "province", "res_region", "municipality"],
            "parent_code": [None, None, "PV1", "ES1"],
            "extra_parents": [[], [], ["PV2"], ["PV1"]],
        },
        geometry=[square] * 4,
        crs=RD,
    )
    ws.add_regions(regions)
    links = ws.region_parents()
    assert set(map(tuple, links.to_numpy())) == {
        ("ES1", "PV1"),
        ("GM1", "ES1"),
        ("ES1", "PV2"),
        ("GM1", "PV1"),
    }
    assert ws.summary()["regions"] == {"municipality": 1, "province": 2, "res_region": 1}
    with pytest.raises(RecordError, match="column 'level'"):
        ws.add_regions(
            regions.iloc[[0]].assign(code="X", level="county").drop(columns="extra_parents")
        )


@pytest.mark.both_stores
def test_transaction_rolls_back_on_error_and_interrupt(ws: Workspace, state) -> None:
    before = state(ws)
    for exc in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(exc)):
            with ws.transaction():
                ws.add_scenarios(_scenarios())
                assert len(ws.scenarios()) == 2  # visible inside the transaction
                raise exc
        assert ws.scenarios().empty
        assert state(ws) == before
    assert not list(ws.folder.glob("*.staging*"))


@pytest.mark.both_stores
def test_raster_is_stored_as_cloud_optimised_geotiff(ws: Workspace) -> None:
    array = np.zeros((600, 800), dtype=np.uint8)
    array[100:300, 200:400] = 16  # 200 x 200 cells of water
    transform = Affine(25, 0, 150_000, 0, -25, 470_000)
    record = ws.add_raster(
        "landuse", array, transform, nodata=0, source="test", class_functions={16: "surface_water"}
    )
    assert record.layer == "rasters/landuse.tif"
    path = ws.raster_path("landuse")
    assert path == ws.folder / "rasters" / "landuse.tif"
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 28992
        assert src.profile["tiled"] and src.block_shapes[0] == (512, 512)
        assert src.overviews(1), "a COG carries overviews"
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        data = src.read(1)
    assert (data == 16).sum() * 25 * 25 == 200 * 200 * 625
    assert ws.dataset("landuse").function_mapping == {"classes": {"16": "surface_water"}}


@pytest.mark.gpkg_only("kills a copy-on-write writer between its staging copy and rename")
def test_a_killed_writer_leaves_the_workspace_intact(ws: Workspace, digest) -> None:
    ws.add_scenarios(_scenarios())
    before = digest(ws)
    script = textwrap.dedent(
        f"""
        import os, signal
        import geopandas as gpd
        from shapely import box
        from ruimte.workspace import Workspace
        ws = Workspace.open({str(ws.path)!r})
        with ws.transaction():
            frame = gpd.GeoDataFrame({{"function": ["housing"] * 500}},
                geometry=[box(i, 0, i + 1, 1) for i in range(500)], crs="EPSG:28992")
            ws.add_dataset("half_written", frame, source="test")
            os.kill(os.getpid(), signal.SIGKILL)  # die halfway, before the commit
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert digest(ws) == before
    reopened = Workspace.open(ws.path)
    assert "half_written" not in reopened.layer_names()
    assert reopened.datasets().empty
    assert len(reopened.scenarios()) == 2
    # the next writer clears the stale staging copy and works normally
    reopened.add_scenarios(pd.DataFrame({"name": ["derde"]}))
    assert not list(ws.path.glob("*.staging*"))
    assert len(Workspace.open(ws.path).scenarios()) == 3


def test_summary_is_json_serialisable(ws: Workspace) -> None:
    json.dumps(ws.summary(), default=str)
    where = ws.summary()["store"]
    if where["store"].startswith("GeoPackage"):
        assert os.path.basename(where["geopackage"]) == "workspace.gpkg"
    else:  # PostGIS: the schema, and the URL without a password
        assert where["store"] == "PostgreSQL/PostGIS (shared)" and where["schema"].startswith("t_")
        assert where["database"].startswith("postgresql://")


@pytest.mark.both_stores
def test_a_workspace_vocabulary_extends_the_common_language(ws: Workspace) -> None:
    import yaml

    base = ws.vocabulary
    rows = [
        {"function_a": "agrivoltaics", "function_b": f, "relation": "neutral"}
        for f in [*base.functions, "agrivoltaics"]
    ]
    rows[list(base.functions).index("dairy_farming")] = {
        "function_a": "agrivoltaics",
        "function_b": "dairy_farming",
        "relation": "shared",
        "condition": "panels high enough for grazing",
    }
    (ws.folder / "vocabulary.yaml").write_text(
        yaml.safe_dump(
            {
                "functions": [
                    {
                        "id": "agrivoltaics",
                        "label_nl": "Agri-PV",
                        "label_en": "Agrivoltaics",
                        "layer": "occupatie",
                        "transition": "energy",
                    }
                ],
                "compatibility": rows,
            }
        )
    )
    reopened = Workspace.open(ws.path)
    assert reopened.vocabulary.version.startswith(base.version + "+ws.")
    assert reopened.vocabulary.relation("dairy_farming", "agrivoltaics").relation == "shared"
    reopened.add_scenarios(_scenarios())
    reopened.add_claims(
        gpd.GeoDataFrame({"function": ["agrivoltaics"]}, geometry=[box(0, 0, 100, 100)], crs=RD)
    )
    assert reopened.claims()["layer"].tolist() == ["occupatie"]
    record = reopened.add_dataset(
        "agri",
        gpd.GeoDataFrame({"function": ["agrivoltaics"]}, geometry=[box(0, 0, 1, 1)], crs=RD),
        source="test",
    )
    assert reopened.datasets().set_index("name").loc[record.name, "vocabulary_version"] == (
        reopened.vocabulary.version
    )


@pytest.mark.both_stores
def test_concurrent_writers_lose_nothing(ws: Workspace) -> None:
    script = textwrap.dedent(
        """
        import sys
        import pandas as pd
        from ruimte.workspace import Workspace
        ws = Workspace.open(sys.argv[1])
        for i in range(8):
            ws.add_scenarios(pd.DataFrame({"name": [f"{sys.argv[2]}-{i}"]}))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(ws.path), tag]) for tag in ("a", "b")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    names = set(Workspace.open(ws.path).scenarios()["name"])
    assert names == {f"{tag}-{i}" for tag in "ab" for i in range(8)}


@pytest.mark.gpkg_only("QGIS's WAL edits of the GeoPackage file")
def test_edits_made_in_qgis_wal_mode_are_kept_or_the_write_waits(ws: Workspace) -> None:
    from ruimte.workspace.gpkg_store import WorkspaceBusyError

    ws.add_scenarios(_scenarios())
    # Another program (as QGIS does) edits the GeoPackage in WAL mode and keeps it open.
    other = sqlite3.connect(ws.store.gpkg)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("UPDATE scenarios SET description = 'edited in QGIS' WHERE name = 'basis'")
    other.commit()
    assert (ws.path / "workspace.gpkg-wal").exists()
    with pytest.raises(WorkspaceBusyError, match="open for editing in another program"):
        ws.add_scenarios(pd.DataFrame({"name": ["derde"]}))
    other.close()  # QGIS closes the layer; its edit may still sit in the WAL
    ws.add_scenarios(pd.DataFrame({"name": ["derde"]}))
    scenarios = Workspace.open(ws.path).scenarios().set_index("name")
    assert scenarios.loc["basis", "description"] == "edited in QGIS"
    assert "derde" in scenarios.index
    assert not (ws.path / "workspace.gpkg-wal").exists()


@pytest.mark.gpkg_only("another program writing the GeoPackage file during a copy-on-write")
def test_a_change_by_another_program_during_a_write_aborts_it(ws: Workspace) -> None:
    from ruimte.workspace.gpkg_store import WorkspaceBusyError

    ws.add_scenarios(_scenarios())
    with pytest.raises(WorkspaceBusyError, match="changed by another program"):
        with ws.transaction():
            ws.add_scenarios(pd.DataFrame({"name": ["mine"]}))
            with sqlite3.connect(ws.store.gpkg) as con:  # someone else writes meanwhile
                con.execute("UPDATE scenarios SET description = 'theirs' WHERE name = 'basis'")
    scenarios = Workspace.open(ws.path).scenarios().set_index("name")
    assert scenarios.loc["basis", "description"] == "theirs"  # their edit is not overwritten
    assert "mine" not in scenarios.index


@pytest.mark.gpkg_only("a crashed editor's WAL beside the GeoPackage file")
def test_a_crashed_editor_leaves_a_wal_that_is_folded_in(ws: Workspace) -> None:
    ws.add_scenarios(_scenarios())
    script = textwrap.dedent(
        f"""
        import os, sqlite3
        con = sqlite3.connect({str(ws.store.gpkg)!r})
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("UPDATE scenarios SET description = 'unsaved crash' WHERE name = 'basis'")
        con.commit()
        os._exit(0)  # die without closing: the edit lives only in the -wal file
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    wal = ws.path / "workspace.gpkg-wal"
    assert wal.exists() and wal.stat().st_size > 0
    ws.add_scenarios(pd.DataFrame({"name": ["derde"]}))
    scenarios = Workspace.open(ws.path).scenarios().set_index("name")
    assert scenarios.loc["basis", "description"] == "unsaved crash"
    assert not wal.exists()
