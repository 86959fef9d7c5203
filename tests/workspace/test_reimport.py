# SPDX-License-Identifier: Apache-2.0
"""Importing a file again: the same options change nothing, other options need --replace."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely import box

from ruimte.cli.main import main
from ruimte.workspace import Workspace

RD = "EPSG:28992"
X0, Y0 = 136_000.0, 455_000.0


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    ws = Workspace.init(tmp_path / "ws")
    regions = gpd.GeoDataFrame(
        {"code": ["GM0001", "GM0002"], "name": ["West", "Oost"], "inwoners": [1200, 3400]},
        geometry=[box(X0, Y0, X0 + 2000, Y0 + 2000), box(X0 + 2000, Y0, X0 + 4000, Y0 + 2000)],
        crs=RD,
    )
    regions.to_file(tmp_path / "gemeenten.gpkg")
    ws.import_regions(tmp_path / "gemeenten.gpkg", code_field="code", level="municipality")
    claims = gpd.GeoDataFrame(
        {"soort": ["Zon", "Zon", "Wind"], "mw": [10.0, 5.0, 4.2]},
        geometry=[box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300),
                  box(X0 + 2100, Y0 + 100, X0 + 2200, Y0 + 200),
                  box(X0 + 3000, Y0 + 1000, X0 + 3100, Y0 + 1100)],
        crs=RD,
    )  # fmt: skip
    path = tmp_path / "zoekgebieden.gpkg"
    claims.to_file(path)
    return ws.path, path


def _run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def _first(ws: Path, file: Path) -> None:
    res = _run("import", str(ws), str(file), "--claims", "--function", "solar_field",
               "--quantity-field", "mw", "--unit", "MWp")  # fmt: skip
    assert res.exit_code == 0, res.output


def test_same_options_say_it_is_there(tmp_path):
    ws, file = _setup(tmp_path)
    _first(ws, file)
    res = _run("import", str(ws), str(file), "--claims", "--function", "solar_field",
               "--quantity-field", "mw", "--unit", "MWp", "--json")  # fmt: skip
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["duplicate_of"] == "claims_zoekgebieden" and report["replaced"] is None
    assert "nothing changed" in report["notes"][-1]
    assert len(Workspace.open(ws).claims()) == 3


def test_other_options_are_named_and_refused(tmp_path):
    ws, file = _setup(tmp_path)
    _first(ws, file)
    res = _run("import", str(ws), str(file), "--claims", "--function", "wind_turbine",
               "--quantity-field", "mw", "--unit", "MW", "--scenario", "plan")  # fmt: skip
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "imported before as 'claims_zoekgebieden' with other options" in res.output
    assert "--function: 'solar_field' → 'wind_turbine'" in res.output
    assert "--scenario: 'basis' → 'plan'" in res.output
    assert "--unit: 'MWp' → 'MW'" in res.output
    assert "--replace" in res.output
    as_json = _run("import", str(ws), str(file), "--claims", "--function", "wind_turbine",
                   "--quantity-field", "mw", "--unit", "MW", "--json")  # fmt: skip
    assert as_json.exit_code == 2
    refusal = json.loads(as_json.stdout)
    assert refusal["duplicate_of"] == "claims_zoekgebieden"
    assert {c["option"]: (c["old"], c["new"]) for c in refusal["changes"]} == {
        "--function": ("solar_field", "wind_turbine"),
        "--unit": ("MWp", "MW"),
    }
    claims = Workspace.open(ws).claims()
    assert set(claims["function"]) == {"solar_field"} and set(claims["scenario"]) == {"basis"}


def test_replace_swaps_the_import_in_one_go(tmp_path):
    ws, file = _setup(tmp_path)
    _first(ws, file)
    res = _run("import", str(ws), str(file), "--claims", "--function", "wind_turbine",
               "--quantity-field", "mw", "--unit", "MW", "--scenario", "plan", "--replace",
               "--json")  # fmt: skip
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["replaced"] == "claims_zoekgebieden" and report["feature_count"] == 3
    assert {c["option"] for c in report["changes"]} == {"--function", "--scenario", "--unit"}
    after = Workspace.open(ws)
    claims = after.claims()
    assert len(claims) == 3  # the old three are gone, the new three are there
    assert set(claims["function"]) == {"wind_turbine"} and set(claims["scenario"]) == {"plan"}
    assert claims["quantity"].sum() == pytest.approx(19.2)  # 10 + 5 + 4.2
    datasets = after.datasets()
    assert list(datasets["name"]).count("claims_zoekgebieden") == 1
    options = datasets.set_index("name").loc["claims_zoekgebieden", "import_options"]
    assert options["function"] == "wind_turbine" and options["defaults.scenario"] == "plan"
    text = _run("import", str(ws), str(file), "--claims", "--function", "solar_field",
                "--quantity-field", "mw", "--unit", "MWp", "--replace")  # fmt: skip
    assert text.exit_code == 0, text.output
    assert "replaced the earlier import 'claims_zoekgebieden'" in text.output
    assert "--function: 'wind_turbine' → 'solar_field'" in text.output


def test_edited_claims_block_replace_unless_force(tmp_path):
    ws, file = _setup(tmp_path)
    _first(ws, file)
    opened = Workspace.open(ws)
    opened.update_claim("claims_zoekgebieden:2", {"quantity": 6.0}, expected_version=1)
    args = ["import", str(ws), str(file), "--claims", "--function", "solar_field",
            "--quantity-field", "mw", "--unit", "MWp", "--owner", "Provincie",
            "--replace"]  # fmt: skip
    res = _run(*args)
    assert res.exit_code == 2
    assert "cannot replace 'claims_zoekgebieden': 1 of the 3 claims" in res.output
    assert "give --force to replace them too" in res.output
    claims = Workspace.open(ws).claims().set_index("claim_id")
    assert claims.loc["claims_zoekgebieden:2", "quantity"] == pytest.approx(6.0)  # kept
    forced = _run(*args, "--force")
    assert forced.exit_code == 0, forced.output
    claims = Workspace.open(ws).claims().set_index("claim_id")
    assert claims.loc["claims_zoekgebieden:2", "quantity"] == pytest.approx(5.0)
    assert set(claims["owner"]) == {"Provincie"}


@pytest.mark.parametrize("failure", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_failure_mid_replace_leaves_the_old_import(tmp_path, monkeypatch, failure):
    ws, file = _setup(tmp_path)
    _first(ws, file)
    before = Workspace.open(ws)
    old_claims = before.claims().sort_values("claim_id")
    old_row = before.datasets().set_index("name").loc["claims_zoekgebieden"]
    calls = []

    def add_then_fail(self, claims):  # the old claims are removed by now, in the transaction
        calls.append(len(self.claims()))
        raise failure

    monkeypatch.setattr(Workspace, "add_claims", add_then_fail)
    with pytest.raises(type(failure)):
        Workspace.open(ws).import_claims(
            file, function="wind_turbine", quantity_field="mw", defaults={"unit": "MW"},
            replace=True,
        )  # fmt: skip
    assert calls == [0]  # it failed after the old import was taken out of the staging copy
    after = Workspace.open(ws)
    claims = after.claims().sort_values("claim_id")
    assert list(claims["claim_id"]) == list(old_claims["claim_id"])
    assert list(claims["function"]) == ["solar_field"] * 3
    assert claims["quantity"].sum() == pytest.approx(19.2)
    row = after.datasets().set_index("name").loc["claims_zoekgebieden"]
    assert row["imported_at"] == old_row["imported_at"]
    assert row["import_options"]["function"] == "solar_field"


def test_regions_and_targets_are_replaced_too(tmp_path):
    ws, _ = _setup(tmp_path)
    regions = tmp_path / "gemeenten.gpkg"
    res = _run("import", str(ws), str(regions), "--regions", "--code-field", "code",
               "--level", "municipality", "--name-field", "name", "--replace")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "--name-field: none → 'name'" in res.output
    names = Workspace.open(ws).regions().set_index("code")["name"]
    assert names.to_dict() == {"GM0001": "West", "GM0002": "Oost"}
    csv = tmp_path / "doelen.csv"
    csv.write_text(
        "region_code,transition,quantity,unit,horizon_year\nGM0001,energy,0.4,TWh/yr,2030\n",
        encoding="utf-8",
    )
    assert _run("import", str(ws), str(csv), "--targets").exit_code == 0
    Workspace.open(ws).add_scenarios(pd.DataFrame({"name": ["plan"]}))
    res = _run("import", str(ws), str(csv), "--targets", "--scenario", "plan", "--replace")
    assert res.exit_code == 0, res.output
    targets = Workspace.open(ws).targets()
    assert list(targets["scenario"]) == ["plan"] and list(targets["target_id"]) == [
        "targets_doelen:2"
    ]


def test_an_edited_mapping_file_counts_as_another_option(tmp_path):
    ws, file = _setup(tmp_path)
    mapping = tmp_path / "soort.yaml"
    mapping.write_text("field: soort\nvalues:\n  Zon: solar_field\n  Wind: wind_turbine\n")
    args = ["import", str(ws), str(file), "--claims", "--mapping", str(mapping)]
    assert _run(*args).exit_code == 0
    assert _run(*args).exit_code == 0  # the same mapping: nothing changed
    mapping.write_text("field: soort\nvalues:\n  Zon: solar_field\n  Wind: solar_field\n")
    res = _run(*args)
    assert res.exit_code == 2 and "--mapping: 'soort.yaml' (sha256 " in res.output


def test_an_import_by_an_older_ruimte_is_there_and_replace_reimports_it(tmp_path):
    ws, file = _setup(tmp_path)
    _first(ws, file)
    opened = Workspace.open(ws)
    with opened.transaction():  # as a schema-4 workspace migrated to 5 has it: no options
        row = opened.store.read("datasets")
        row.loc[row["name"] == "claims_zoekgebieden", "import_options"] = None
        opened.store.delete("datasets", "name", list(row["name"]))
        opened.store.append("datasets", row)
    res = _run("import", str(ws), str(file), "--claims", "--function", "wind_turbine")
    assert res.exit_code == 0, res.output
    assert "options were not recorded" in res.output and "--replace" in res.output
    assert set(Workspace.open(ws).claims()["function"]) == {"solar_field"}
    res = _run("import", str(ws), str(file), "--claims", "--function", "wind_turbine",
               "--replace")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "(the earlier import's options were not recorded)" in res.output
    assert set(Workspace.open(ws).claims()["function"]) == {"wind_turbine"}
