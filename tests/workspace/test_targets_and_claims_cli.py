# SPDX-License-Identifier: Apache-2.0
"""Targets from a CSV, claims listed and removed, imports taken out again, from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely import Point, box

from ruimte.cli.main import main
from ruimte.errors import DatasetImportError
from ruimte.workspace import Workspace

RD = "EPSG:28992"
X0, Y0 = 136_000.0, 455_000.0


def _ws_with_regions(tmp_path: Path) -> Workspace:
    ws = Workspace.init(tmp_path / "ws")
    regions = gpd.GeoDataFrame(
        {"code": ["PV01", "GM0001", "GM0002"], "name": ["Provincie", "West", "Oost"],
         "level": ["province", "municipality", "municipality"], "parent": [None, "PV01", "PV01"]},
        geometry=[box(X0, Y0, X0 + 4000, Y0 + 2000), box(X0, Y0, X0 + 2000, Y0 + 2000),
                  box(X0 + 2000, Y0, X0 + 4000, Y0 + 2000)],
        crs=RD,
    )  # fmt: skip
    path = tmp_path / "regions.gpkg"
    regions.to_file(path)
    ws.import_regions(
        path, code_field="code", name_field="name", level_field="level", parent_field="parent"
    )
    return ws


TARGETS = (
    "region_code;transition;quantity;unit;horizon_year;description\n"
    "PV01;energy;1,5;TWh/yr;2030;RES 1.0 bod\n"
    "GM0001;energy;0.4;TWh/yr;2030;\n"
    "GM0002;energy;0,6;TWh/yr;2030;\n"
)


def test_targets_csv_import_and_remove(tmp_path):
    ws = _ws_with_regions(tmp_path)
    ws.import_claims(_claims_file(tmp_path))  # the gap report needs a scenario (basis)
    csv = tmp_path / "doelen.csv"
    csv.write_text(TARGETS, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["import", str(ws.path), str(csv), "--targets", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["kind"] == "targets" and report["feature_count"] == 3
    targets = Workspace.open(ws.path).targets().set_index("region_code")
    # decimal commas read as decimals; codes kept as text
    assert targets.loc["PV01", "quantity"] == pytest.approx(1.5)
    assert targets["quantity"].sum() == pytest.approx(2.5)
    assert targets.loc["GM0002", "horizon_year"] == 2030
    assert set(targets["target_id"]) == {f"targets_doelen:{n}" for n in (2, 3, 4)}
    # the same file again changes nothing and says so
    again = runner.invoke(main, ["import", str(ws.path), str(csv), "--targets"])
    assert "was imported before as 'targets_doelen': nothing changed" in again.output
    assert len(Workspace.open(ws.path).targets()) == 3
    # the gap report sees them
    gaps = runner.invoke(main, ["targets", str(ws.path), "--json"])
    assert gaps.exit_code == 0, gaps.output
    assert {"PV01", "GM0001", "GM0002"} <= set(gaps.stdout.replace('"', " ").split())
    out = runner.invoke(main, ["remove", str(ws.path), "targets_doelen"])
    assert out.exit_code == 0 and "(3 targets)" in out.output
    assert Workspace.open(ws.path).targets().empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("region_code,quantity,unit,horizon_year\nPV01,1,TWh/yr,2030\n", "transition or function"),
        ("region_code,transition,quantity,unit\nPV01,energy,1,TWh/yr\n",
         "no column 'horizon_year'"),
        ("region_code,transition,quantity,unit,horizon_year\nPV01,energy,nan,TWh/yr,2030\n",
         "line 2, column 'quantity': 'nan' is not a number"),
        ("region_code,transition,quantity,unit,horizon_year\nPV01,energy,-3,TWh/yr,2030\n",
         "line 2, column 'quantity': '-3'"),
        ("region_code,transition,quantity,unit,horizon_year\nPV01,energy,1,TWh/yr,20300\n",
         "line 2, column 'horizon_year': '20300' is not a year"),
        ("region_code,transition,quantity,unit,horizon_year,kleur\nPV01,energy,1,TWh/yr,2030,"
         "rood\n", "unknown column(s) 'kleur'"),
        ("region_code,transition,quantity,unit,horizon_year\nPV01,energy,1,TWh/yr\n",
         "line 2 has 4 values, the header 5"),
    ],
)  # fmt: skip
def test_bad_targets_files_are_named_and_store_nothing(tmp_path, text, message):
    ws = _ws_with_regions(tmp_path)
    csv = tmp_path / "bad.csv"
    csv.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetImportError, match="bad.csv") as info:
        ws.import_targets(csv)
    assert message in str(info.value)
    assert ws.targets().empty and "targets_bad" not in set(ws.datasets()["name"])


def test_unknown_region_in_targets_is_refused_by_the_cli(tmp_path):
    ws = _ws_with_regions(tmp_path)
    csv = tmp_path / "t.csv"
    csv.write_text(TARGETS.replace("GM0002", "GM0003"), encoding="utf-8")
    res = CliRunner().invoke(main, ["import", str(ws.path), str(csv), "--targets"])
    assert res.exit_code == 2 and "GM0003" in res.output and "Traceback" not in res.output
    assert Workspace.open(ws.path).targets().empty


def _claims_file(tmp_path: Path) -> Path:
    claims = gpd.GeoDataFrame(
        {"function": ["solar_field", "solar_field", "wind_turbine"], "quantity": [10.0, 5.0, 4.2],
         "unit": ["MWp", "MWp", "MW"]},
        geometry=[box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300),
                  box(X0 + 2100, Y0 + 100, X0 + 2200, Y0 + 200), Point(X0 + 3000, Y0 + 1000)],
        crs=RD,
    )  # fmt: skip
    path = tmp_path / "plannen.gpkg"
    claims.to_file(path)
    return path


def test_claims_list_remove_and_remove_an_import(tmp_path):
    ws = _ws_with_regions(tmp_path)
    runner = CliRunner()
    path = str(_claims_file(tmp_path))
    assert runner.invoke(main, ["import", str(ws.path), path, "--claims"]).exit_code == 0
    listed = json.loads(runner.invoke(main, ["claims", "list", str(ws.path), "--json"]).stdout)
    assert listed["count"] == 3
    ids = sorted(c["claim_id"] for c in listed["claims"])
    assert ids == [f"claims_plannen:{n}" for n in (1, 2, 3)]
    solar = json.loads(
        runner.invoke(
            main, ["claims", "list", str(ws.path), "--function", "solar_field", "--json"]
        ).stdout
    )
    assert sum(c["quantity"] for c in solar["claims"]) == pytest.approx(15.0)
    text = runner.invoke(main, ["claims", "list", str(ws.path), "--scenario", "basis"])
    assert "3 claims in scenario basis" in text.output
    bad = runner.invoke(main, ["claims", "list", str(ws.path), "--scenario", "bassis"])
    assert bad.exit_code == 2 and "Did you mean 'basis'" in bad.output
    # all or none: one unknown id removes nothing
    bad = runner.invoke(main, ["claims", "remove", str(ws.path), ids[0], "claims_plannen:9"])
    assert bad.exit_code == 2 and "no claim 'claims_plannen:9'" in bad.output
    assert len(Workspace.open(ws.path).claims()) == 3
    ok = runner.invoke(main, ["claims", "remove", str(ws.path), ids[0], "--user", "tester"])
    assert ok.exit_code == 0 and "Removed 1 claim " in ok.output
    history = Workspace.open(ws.path).claim_history(ids[0])
    assert history["updated_by"].tolist()[-1] == "tester"
    # the rest of the import goes with `ruimte remove`, and the file can come in again
    out = runner.invoke(main, ["remove", str(ws.path), "claims_plannen"])
    assert out.exit_code == 0 and "(2 claims)" in out.output
    assert Workspace.open(ws.path).claims().empty
    again = runner.invoke(main, ["import", str(ws.path), path, "--claims"])
    assert again.exit_code == 0 and "Imported 3 claims" in again.output


def test_removing_an_import_with_edited_claims_needs_force(tmp_path):
    ws = _ws_with_regions(tmp_path)
    ws.import_claims(_claims_file(tmp_path))
    ws.update_claim("claims_plannen:1", {"quantity": 12.0}, expected_version=1, user="planner")
    runner = CliRunner()
    res = runner.invoke(main, ["remove", str(ws.path), "claims_plannen"])
    assert res.exit_code == 2 and "1 of the 3 claims" in res.output and "--force" in res.output
    assert len(Workspace.open(ws.path).claims()) == 3
    res = runner.invoke(main, ["remove", str(ws.path), "claims_plannen", "--force"])
    assert res.exit_code == 0 and Workspace.open(ws.path).claims().empty


def test_targets_in_the_columns_of_the_gap_report_import(tmp_path):
    ws = _ws_with_regions(tmp_path)
    csv = tmp_path / "gaps.csv"
    csv.write_text(
        "target_id,region_code,transition,unit,horizon_year,target,planned,status\n"
        "T1,PV01,energy,TWh/yr,2030,1.5,0.2,short\n",
        encoding="utf-8",
    )
    ws.import_targets(csv)
    stored = ws.targets().set_index("target_id")
    assert stored.loc["T1", "quantity"] == pytest.approx(1.5)  # 'target' is the quantity


def test_claims_of_a_scenario_are_removed_together(tmp_path):
    ws = _ws_with_regions(tmp_path)
    ws.import_claims(_claims_file(tmp_path), defaults={"scenario": "ambitie"})
    runner = CliRunner()
    res = runner.invoke(main, ["claims", "remove", str(ws.path), "--scenario", "ambitie", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["removed"] == 3
    assert Workspace.open(ws.path).claims().empty
    none = runner.invoke(main, ["claims", "remove", str(ws.path)])
    assert none.exit_code == 2 and "CLAIM_ID ... or --scenario" in none.output
