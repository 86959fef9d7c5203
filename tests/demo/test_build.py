# SPDX-License-Identifier: Apache-2.0
"""The demo region as stored in a workspace, checked as a user and GDAL see it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyogrio
import pytest
import rasterio
from click.testing import CliRunner

from ruimte.cli.main import main
from ruimte.demo.build import build_demo
from ruimte.errors import WorkspaceExistsError
from ruimte.workspace import Workspace


@pytest.fixture(scope="module")
def demo(demo_path: Path) -> Workspace:
    return Workspace.open(demo_path)


def test_the_store_is_one_folder_gdal_opens(demo: Workspace) -> None:
    gpkg = demo.path / "workspace.gpkg"
    layers = dict(pyogrio.list_layers(gpkg))
    for name in (
        "buildings",
        "roads",
        "railway",
        "farmland",
        "substations",
        "claims",
        "regions",
        "targets",
    ):
        assert name in layers
    assert layers["buildings"] in ("Polygon", "MultiPolygon")
    assert sorted(p.name for p in (demo.path / "rasters").iterdir()) == ["landuse.tif"]
    with rasterio.open(demo.raster_path("landuse")) as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert src.crs.to_epsg() == 28992 and src.res == (25.0, 25.0)


@pytest.mark.skipif(
    shutil.which("ogrinfo") is None, reason="GDAL command-line tools (gdal-bin) not installed"
)
def test_ogrinfo_lists_the_demo_layers(demo: Workspace) -> None:
    out = subprocess.run(
        ["ogrinfo", "-ro", "-q", str(demo.path / "workspace.gpkg")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in ("buildings (Polygon)", "claims", "regions (Multi Polygon)", "plans"):
        assert name in out
    info = json.loads(
        subprocess.run(
            ["gdalinfo", "-json", str(demo.raster_path("landuse"))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert info["metadata"]["IMAGE_STRUCTURE"]["LAYOUT"] == "COG"


def test_contents(demo: Workspace) -> None:
    summary = demo.summary()
    assert summary["regions"] == {"municipality": 4, "national": 1, "province": 1, "res_region": 1}
    features = {d["name"]: d["features"] for d in summary["datasets"]}
    assert features["buildings"] >= 20_000
    assert features["railway"] >= 1 and features["substations"] >= 3
    municipalities = demo.regions("municipality")
    assert municipalities.geometry.area.sum() / 1e6 == pytest.approx(900.0, rel=1e-6)
    claims = summary["claims"]
    assert claims["not_located"] >= 2
    for transition in ("energy", "housing", "nature", "climate_adaptation", "mobility"):
        assert claims["by_transition"][transition]["claims"] >= 1
    assert set(claims["by_scenario"]) >= {"basis", "ambitie"}
    assert len(summary["plans"]) >= 4


def test_targets_add_up(demo: Workspace) -> None:
    targets = demo.targets()
    regions = demo.regions().set_index("code")
    energy = targets[(targets["unit"] == "TWh/yr")]
    by_level = energy.assign(level=energy["region_code"].map(regions["level"]))
    res_total = by_level[by_level["level"] == "res_region"]["quantity"].sum()
    municipal = by_level[by_level["level"] == "municipality"]["quantity"].sum()
    assert res_total > 0
    assert municipal == pytest.approx(res_total, rel=1e-9)
    assert (targets[targets["unit"] == "homes"]["quantity"] > 0).all()


def test_rebuilding_replaces_only_a_demo(demo: Workspace, tmp_path: Path) -> None:
    other = Workspace.init(tmp_path / "mine")
    with pytest.raises(WorkspaceExistsError, match="not empty"):
        build_demo(other.path)
    assert (other.path / "workspace.gpkg").is_file()


def test_demo_command_builds_analyses_and_prints_the_headlines(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "Provincie Middenwaard" in result.output
    for title in ("Eligibility and potential", "Claims overlay", "Grid impact", "Allocation",
                  "Turbine nuisance"):  # fmt: skip
        assert title in result.output
    assert "ruimte serve" in result.output and "ruimte info" in result.output
    ws = Workspace.open(tmp_path / "demo")
    kinds = set(ws.results()["kind"])
    assert {"eligibility", "potential", "overlay", "grid", "allocation", "nuisance"} <= kinds
    # the headline line carries the stored result's counts
    stored = ws.result("nuisance_basis").summary
    over = stored["over"]
    assert (
        f"nuisance basis: {stored['turbines']} turbines; dwellings over Bal 47 dB Lden: "
        f"{over['bal_lden_47']}, over Activiteitenregeling: >17 days with >20 min: "
        f"{over['ar_flicker_days']} (worst case) of {stored['dwellings']} dwellings"
    ) in result.output
    assert over["bal_lden_47"] > 0 and over["ar_flicker_days"] > 0
    assert ws.stale_results() == {}


def test_demo_json_without_analyses(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "demo"), "--json", "--no-analyses"])
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert summary["regions"]["municipality"] == 4
    assert summary["analyses"] == {} and summary["results"] == []


def test_ambitie_inherits_basis_and_replaces_one_housing_claim(demo: Workspace) -> None:
    basis = set(demo.claims("basis")["claim_id"])
    ambitie = set(demo.claims("ambitie")["claim_id"])
    assert len(basis) == 18
    assert ambitie == (basis - {"C001"}) | {"C101", "C102", "C103", "C104", "C105", "C106"}
