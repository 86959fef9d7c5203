# SPDX-License-Identifier: Apache-2.0
"""Workspace-wide checks and removing datasets."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from click.testing import CliRunner
from shapely import box

from ruimte.cli.main import main
from ruimte.errors import UnknownLayerError
from ruimte.workspace import Workspace
from ruimte.workspace.checks import ConsistencyError

RD = "EPSG:28992"


def _regions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["PV1", "GM1", "GM2", "ES1"],
            "name": ["Provincie", "Dorp", "Stad", "Regio"],
            "level": ["province", "municipality", "municipality", "res_region"],
            "parent_code": [
                None,
                "ES1",
                "PV9",
                "GM1",
            ],  # PV9 is missing; ES1 under GM1 is upside down
        },
        geometry=[
            box(0, 0, 2000, 1000),
            box(0, 0, 1000, 1000),
            box(1000, 0, 2000, 1000),
            box(0, 0, 2000, 1000),
        ],
        crs=RD,
    )


def test_findings_name_the_item_and_the_fix(ws: Workspace) -> None:
    ws.add_regions(_regions())
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.add_claims(
        gpd.GeoDataFrame(
            {
                "claim_id": ["in", "out"],
                "function": ["housing", "housing"],
                "region_code": ["GM1", "GM1"],
            },
            geometry=[box(100, 100, 200, 200), box(5000, 5000, 5100, 5100)],
            crs=RD,
        )
    )
    ws.add_plans(
        pd.DataFrame(
            [
                {
                    "plan_id": "P1",
                    "name": "Visie",
                    "plan_type": "omgevingsvisie",
                    "start_date": "2024-05-01",
                    "adoption_date": "2023-01-01",
                }
            ]
        )
    )
    found = ws.check()
    cycles = {f.key for f in found if "cycle" in f.message}
    assert cycles == {"GM1", "ES1"}  # GM1 -> ES1 -> GM1
    findings = {(f.table, f.key): f for f in found if "cycle" not in f.message}
    assert set(findings) == {
        ("regions", "PV9"),
        ("regions", "ES1"),
        ("claims", "out"),
        ("plans", "P1"),
    }
    assert "1 region(s) (GM2) name parent 'PV9'" in findings[("regions", "PV9")].message
    assert "Import the 'PV9' boundaries" in findings[("regions", "PV9")].message
    assert findings[("regions", "ES1")].severity == "error"
    assert "outside its region 'GM1'" in findings[("claims", "out")].message
    with pytest.raises(ConsistencyError):
        ws.check(strict=True)
    result = CliRunner().invoke(main, ["check", str(ws.path), "--strict"])
    assert result.exit_code == 1 and "6 finding(s)" in result.output


def test_a_consistent_workspace_has_no_findings(ws: Workspace) -> None:
    ws.add_regions(_regions().assign(parent_code=[None, "ES1", "ES1", "PV1"]))
    assert ws.check() == []
    result = CliRunner().invoke(main, ["check", str(ws.path), "--strict"])
    assert result.exit_code == 0 and "consistent" in result.output


def test_remove_each_kind_of_dataset(ws: Workspace, tmp_path: Path) -> None:
    ws.add_dataset(
        "vlakken",
        gpd.GeoDataFrame({"function": ["forest"]}, geometry=[box(0, 0, 1, 1)], crs=RD),
        source="t",
    )
    ws.add_raster(
        "grid", np.ones((4, 4), dtype=np.uint8), Affine(25, 0, 0, 0, -25, 100), source="t"
    )
    path = tmp_path / "gemeenten.geojson"
    _regions().assign(parent_code=None).to_file(path)
    report = ws.import_regions(
        path, code_field="code", level_field="level", extra_parent_fields=["name"]
    )
    raster_file = ws.raster_path("grid")
    assert raster_file.is_file() and len(ws.regions()) == 4
    for name in ("vlakken", "grid", report.dataset):
        ws.remove_dataset(name)
    assert ws.datasets().empty
    assert "vlakken" not in ws.layer_names()
    assert not raster_file.exists()
    assert ws.regions().empty and ws.region_parents().empty
    with pytest.raises(UnknownLayerError, match="no dataset named 'grid'"):
        ws.remove_dataset("grid")
    result = CliRunner().invoke(main, ["remove", str(ws.path), "grid"])
    assert result.exit_code == 2 and "no dataset named 'grid'" in result.output
