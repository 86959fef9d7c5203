# SPDX-License-Identifier: Apache-2.0
"""Concurrent writers: two identical imports at once land once; ``check`` finds duplicates."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from ruimte.errors import DuplicateImportError
from ruimte.workspace import Workspace, schema
from ruimte.workspace.dataset_writer import DatasetRecord
from ruimte.workspace.records import now_iso

RUIMTE = [sys.executable, "-c", "from ruimte.cli.main import main; main()"]


def _cells(n: int) -> list:
    x0, y0 = 190_000.0, 480_000.0
    return [box(x0 + 300 * i, y0, x0 + 300 * i + 200, y0 + 200) for i in range(n)]


@pytest.mark.parametrize("claims", [False, True], ids=["dataset", "claims"])
def test_two_identical_imports_at_once_land_once(
    claims: bool, demo_path: Path, tmp_path: Path
) -> None:
    work = tmp_path / "ws"
    shutil.copytree(demo_path, work, ignore=shutil.ignore_patterns(".ruimte.lock"))
    source = tmp_path / "parcels.geojson"
    gpd.GeoDataFrame(
        {"function": ["solar_field"] * 4, "quantity": [1.0] * 4, "unit": ["MWp"] * 4},
        geometry=_cells(4),
        crs="EPSG:28992",
    ).to_file(source)
    before = Workspace.open(work)
    n_datasets, n_claims = len(before.datasets()), len(before.claims())
    args = ["import", str(work), str(source)] + (["--claims"] if claims else [])
    procs = [
        subprocess.Popen(RUIMTE + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    said_before = ["imported before" in out for out, _ in outputs]
    assert sorted(said_before) == [False, True], outputs  # exactly one landed
    after = Workspace.open(work)
    assert len(after.datasets()) == n_datasets + 1
    assert len(after.claims()) == n_claims + (4 if claims else 0)
    assert [f for f in after.check() if "same file" in f.message] == []


def test_the_duplicate_check_runs_under_the_writer_lock(ws: Workspace, tmp_path: Path) -> None:
    """An import that passed the early check but finds the file stored by then stores nothing."""
    frame = gpd.GeoDataFrame({"function": ["forest"]}, geometry=_cells(1), crs="EPSG:28992")
    ws.add_dataset("first", frame, source="a.gpkg", sha256="abc123", source_layer="parcels")
    with pytest.raises(DuplicateImportError) as raised:
        ws.add_dataset("second", frame, source="a.gpkg", sha256="abc123", source_layer="parcels")
    assert raised.value.dataset == "first"
    assert list(ws.datasets()["name"]) == ["first"]
    assert "second" not in ws.layer_names()


def test_check_reports_duplicate_claims_and_provenance(ws: Workspace) -> None:
    claims = gpd.GeoDataFrame(
        {"function": ["solar_field", "solar_field", "forest"], "scenario": ["basis"] * 3},
        geometry=[_cells(1)[0], _cells(1)[0].reverse(), _cells(1)[0]],
        crs="EPSG:28992",
    )
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.add_claims(claims)
    record = DatasetRecord(
        name="x",
        kind="claims",
        layer=schema.CLAIMS.name,
        source="x.gpkg",
        sha256="feedbeef" * 8,
        licence="",
        imported_at=now_iso(),
        original_crs="EPSG:28992",
        feature_count=3,
        function_mapping={},
    )
    with ws.transaction():  # as two older ruimte versions racing could have left it
        for name in ("x", "x_2"):
            row = {**record.__dict__, "name": name, "geometry_type": "Polygon"}
            row["source_layer"] = "claims"
            ws.store.append(schema.DATASETS.name, pd.DataFrame([row]))
    findings = ws.check()
    dup_claims = [f for f in findings if "same geometry" in f.message]
    # the first two are the same square (one drawn the other way round); the forest differs
    assert len(dup_claims) == 1 and dup_claims[0].message.startswith("2 claims")
    dup_sets = [f for f in findings if "same file" in f.message]
    assert len(dup_sets) == 1 and "'x', 'x_2'" in dup_sets[0].message
