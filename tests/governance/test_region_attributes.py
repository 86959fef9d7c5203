# SPDX-License-Identifier: Apache-2.0
"""Regions keep their source attributes; a cascade splits by one of them, by name."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely import box

from ruimte.cli.main import main
from ruimte.workspace import Workspace

RD = "EPSG:28992"


def _workspace(tmp_path: Path, population: list[object]) -> Path:
    ws = Workspace.init(tmp_path / "ws")
    res = gpd.GeoDataFrame(
        {"code": ["ES01"], "name": ["RES"]}, geometry=[box(0, 0, 3000, 1000)], crs=RD
    )
    res.to_file(tmp_path / "res.gpkg")
    ws.import_regions(tmp_path / "res.gpkg", code_field="code", name_field="name",
                      level="res_region")  # fmt: skip
    gemeenten = gpd.GeoDataFrame(
        {"gm_code": ["GM01", "GM02", "GM03"], "gm_name": ["A", "B", "C"],
         "inwoners_2024": population, "huishoudens": [400.5, 900.0, 100.0],
         "stedelijkheid": ["Weinig", "Sterk", "Niet"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs=RD,
    )  # fmt: skip
    gemeenten.to_file(tmp_path / "gemeenten.gpkg")
    res = CliRunner().invoke(main, [
        "import", str(ws.path), str(tmp_path / "gemeenten.gpkg"), "--regions",
        "--code-field", "gm_code", "--name-field", "gm_name", "--level", "municipality",
        "--parent", "ES01", "--attribute", "population=inwoners_2024",
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    (tmp_path / "t.csv").write_text(
        "target_id,region_code,transition,quantity,unit,horizon_year\n"
        "T1,ES01,energy,1.2,TWh/yr,2030\n",
        encoding="utf-8",
    )
    assert CliRunner().invoke(main, ["import", str(ws.path), str(tmp_path / "t.csv"),
                                     "--targets"]).exit_code == 0  # fmt: skip
    return ws.path


def test_regions_keep_every_source_attribute(tmp_path):
    ws = Workspace.open(_workspace(tmp_path, [1000, 3000, 2000]))
    regions = ws.regions("municipality").set_index("code")
    kept = json.loads(regions.loc["GM01", "attributes"])
    # renamed by --attribute, the others under their own names; code and name not repeated
    assert kept == {"population": 1000, "huishoudens": 400.5, "stedelijkheid": "Weinig"}


def test_cascade_by_population_needs_no_key_file(tmp_path):
    ws = _workspace(tmp_path, [1000, 3000, 2000])
    res = CliRunner().invoke(main, ["targets", str(ws), "--cascade", "T1", "--key",
                                    "population", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    split = {r["code"]: r["quantity"] for r in json.loads(res.stdout)}
    # 1.2 TWh/yr by 1000 : 3000 : 2000 of 6000 people
    assert split == pytest.approx({"GM01": 0.2, "GM02": 0.6, "GM03": 0.4})
    # any numeric attribute by its own name
    res = CliRunner().invoke(main, ["targets", str(ws), "--cascade", "T1", "--key",
                                    "huishoudens", "--json"])  # fmt: skip
    split = {r["code"]: r["quantity"] for r in json.loads(res.stdout)}
    assert split["GM02"] == pytest.approx(1.2 * 900 / 1400.5)


def test_a_missing_value_is_named_not_taken_as_zero(tmp_path):
    ws = _workspace(tmp_path, [1000, None, 2000])
    res = CliRunner().invoke(main, ["targets", str(ws), "--cascade", "T1", "--key",
                                    "population"])  # fmt: skip
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "population is unknown for 1 of the 3 municipality regions in 'ES01': GM02" in (
        res.output
    )
    assert "not taken as 0" in res.output


def test_an_attribute_no_region_carries_is_named(tmp_path):
    ws = _workspace(tmp_path, [1000, 3000, 2000])
    res = CliRunner().invoke(main, ["targets", str(ws), "--cascade", "T1", "--key",
                                    "populaton"])  # fmt: skip
    assert res.exit_code == 2
    assert "no region carries an attribute 'populaton'" in res.output
    assert "Did you mean 'population'" in res.output
    bad = CliRunner().invoke(main, ["import", str(ws), str(tmp_path / "gemeenten.gpkg"),
                                    "--regions", "--code-field", "gm_code", "--level",
                                    "municipality", "--attribute", "population"])  # fmt: skip
    assert bad.exit_code == 2 and "give NAME=COLUMN" in bad.output


def test_a_key_file_missing_a_municipality_is_named_too(tmp_path):
    ws = _workspace(tmp_path, [1000, 3000, 2000])
    key = tmp_path / "key.csv"
    key.write_text("code,value\nGM01,5\nGM03,7\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["targets", str(ws), "--cascade", "T1", "--key",
                                    "population", "--key-file", str(key)])  # fmt: skip
    assert res.exit_code == 2
    assert "is unknown for 1 of the 3 municipality regions in 'ES01': GM02" in res.output
    key.write_text("code,value\nGM01,5\nGM02,1\nGM03,4\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["targets", str(ws), "--cascade", "T1", "--key-file",
                                    str(key), "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    split = {r["code"]: r["quantity"] for r in json.loads(res.stdout)}
    assert split == pytest.approx({"GM01": 0.6, "GM02": 0.12, "GM03": 0.48})  # 1.2 x 5:1:4 /10


def test_an_attribute_name_the_file_has_already_is_refused(tmp_path):
    ws = _workspace(tmp_path, [1000, 3000, 2000])
    res = CliRunner().invoke(main, ["import", str(ws), str(tmp_path / "gemeenten.gpkg"),
                                    "--regions", "--code-field", "gm_code", "--level",
                                    "municipality", "--attribute", "huishoudens=inwoners_2024",
                                    "--replace"])  # fmt: skip
    assert res.exit_code == 2
    assert "the file has a column 'huishoudens' already" in res.output
    # the refused replacement left the earlier import as it was
    kept = Workspace.open(ws).regions("municipality").set_index("code")
    assert json.loads(kept.loc["GM02", "attributes"])["population"] == 3000


def test_info_lists_the_attributes_the_regions_carry(tmp_path):
    ws = _workspace(tmp_path, [1000, None, 2000])
    info = json.loads(CliRunner().invoke(main, ["info", str(ws), "--json"]).stdout)
    assert info["region_attributes"] == {
        "municipality": {"huishoudens": 3, "population": 2, "stedelijkheid": 3}
    }
    text = CliRunner().invoke(main, ["info", str(ws)]).output
    assert "municipality attributes (for targets --cascade --key NAME): huishoudens, " in text
    assert "population (2 of 3)" in text
