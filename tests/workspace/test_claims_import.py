# SPDX-License-Identifier: Apache-2.0
"""Importing claims from files: round trip, not-yet-located claims, bad values."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely import Point, box

from ruimte.cli.main import main
from ruimte.errors import DatasetImportError
from ruimte.workspace import Workspace
from ruimte.workspace.records import RecordError

RD = "EPSG:28992"


def _prepare(ws: Workspace) -> None:
    ws.add_scenarios(pd.DataFrame({"name": ["basis", "ambitie"], "parent": [None, "basis"]}))
    ws.add_regions(
        gpd.GeoDataFrame(
            {"code": ["GM1"], "name": ["Dorp"], "level": ["municipality"]},
            geometry=[box(150_000, 450_000, 160_000, 460_000)],
            crs=RD,
        )
    )


def _claims() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "claim_id": ["Z1", "W1", "H1"],
            "function": ["solar_field", "wind_turbine", "housing"],
            "quantity": [12.5, 4.2, 800],
            "unit": ["MWp", "MW", "homes"],
            "region_code": ["GM1", "GM1", "GM1"],
            "status": ["proposed", "idea", "adopted"],
            "scenario": ["basis", "ambitie", "basis"],
            "horizon_year": [2030, 2030, 2035],
        },
        geometry=[box(151_000, 451_000, 151_300, 451_500), Point(155_000, 455_000), None],
        crs=RD,
    )


def test_exported_claims_import_back_unchanged(tmp_path: Path) -> None:
    first = Workspace.init(tmp_path / "a")
    _prepare(first)
    first.add_claims(_claims())
    first.export("claims", tmp_path / "claims.gpkg")
    second = Workspace.init(tmp_path / "b")
    _prepare(second)
    report = second.import_claims(tmp_path / "claims.gpkg")
    assert report.feature_count == 3
    assert report.functions == {"housing": 1, "solar_field": 1, "wind_turbine": 1}
    a = first.claims().set_index("claim_id").sort_index()
    b = second.claims().set_index("claim_id").sort_index()
    columns = ["function", "quantity", "unit", "status", "scenario", "horizon_year", "layer"]
    pd.testing.assert_frame_equal(pd.DataFrame(a[columns]), pd.DataFrame(b[columns]))
    assert b.loc["Z1"].geometry.area == pytest.approx(300 * 500)
    assert b.loc["H1"].geometry is None  # the not-yet-located claim stays unlocated
    assert second.dataset(report.dataset).kind == "claims"


def test_csv_claims_with_defaults_and_blank_geometry(ws: Workspace, tmp_path: Path) -> None:
    _prepare(ws)
    path = tmp_path / "res_zoekgebieden.csv"
    path.write_text(
        "naam,mwp,wkt,region_code\n"
        'Zoekgebied A,20,"POLYGON ((152000 452000, 152400 452000, 152400 452500, '
        '152000 452500, 152000 452000))",GM1\n'
        "Nog te zoeken,80,,GM1\n"
    )
    report = ws.import_claims(
        path,
        function="solar_field",
        quantity_field="mwp",
        source_crs=RD,
        defaults={"scenario": "ambitie", "status": "proposed", "unit": "MWp", "owner": "RES"},
    )
    assert report.feature_count == 2
    claims = ws.claims("ambitie").sort_values("quantity")
    assert list(claims["quantity"]) == [20.0, 80.0]
    assert set(claims["status"]) == {"proposed"} and set(claims["owner"]) == {"RES"}
    assert claims.geometry.iloc[0].area == pytest.approx(400 * 500)
    assert claims.geometry.iloc[1] is None


def test_claims_need_a_function(ws: Workspace, tmp_path: Path) -> None:
    _prepare(ws)
    path = tmp_path / "zonder.geojson"
    gpd.GeoDataFrame({"naam": ["x"]}, geometry=[Point(151_000, 451_000)], crs=RD).to_file(path)
    with pytest.raises(DatasetImportError, match="no 'function' column.*--function or --mapping"):
        ws.import_claims(path)


def test_a_bad_claim_value_stores_nothing(ws: Workspace, tmp_path: Path, digest) -> None:
    _prepare(ws)
    bad = _claims()
    bad.loc[1, "status"] = "gedroomd"
    path = tmp_path / "bad.gpkg"
    bad.to_file(path)
    before = digest(ws)
    with pytest.raises(RecordError, match=r"row 1 \(claim_id 'W1'\), column 'status'"):
        ws.import_claims(path)
    assert digest(ws) == before


def test_cli_import_claims(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    _prepare(ws)
    path = tmp_path / "parken.geojson"
    gpd.GeoDataFrame(
        {"mwp": [10.0, 6.0]},
        geometry=[box(151_000, 451_000, 151_200, 451_500), box(153_000, 451_000, 153_100, 451_500)],
        crs=RD,
    ).to_file(path)
    argv = [
        "import",
        str(ws.path),
        str(path),
        "--claims",
        "--function",
        "solar_field",
        "--quantity-field",
        "mwp",
        "--unit",
        "MWp",
        "--status",
        "proposed",
        "--owner",
        "Gemeente Dorp",
        "--level",
        "municipality",
        "--horizon",
        "2030",
    ]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 0, result.output
    assert "Imported 2 claims" in result.output
    claims = Workspace.open(ws.path).claims()
    assert claims["governance_level"].tolist() == ["municipality"] * 2
    assert claims.geometry.area.sum() / 1e4 == pytest.approx(15.0)  # 10 ha + 5 ha


def test_claims_into_a_fresh_workspace_create_their_scenario(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "parken.geojson"
    gpd.GeoDataFrame({"mwp": [10.0]}, geometry=[box(0, 0, 100, 100)], crs=RD).to_file(path)
    report = ws.import_claims(path, function="solar_field", quantity_field="mwp")
    assert report.notes == ["created scenario(s) basis"]
    assert ws.scenarios()["name"].tolist() == ["basis"]
    assert ws.claims()["scenario"].tolist() == ["basis"]
