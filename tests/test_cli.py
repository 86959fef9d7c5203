# SPDX-License-Identifier: Apache-2.0
"""The command line, as a user runs it: init, import, info, export, errors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely import box

from ruimte.cli.main import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def parcels_file(tmp_path: Path) -> Path:
    path = tmp_path / "percelen.geojson"
    gpd.GeoDataFrame(
        {"gewas": ["gras", "mais"]},
        geometry=[box(150_000, 450_000, 150_100, 450_100), box(150_200, 450_000, 150_400, 450_100)],
        crs="EPSG:28992",
    ).to_file(path)
    return path


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "import", "info", "export", "vocab", "demo"):
        assert command in result.output


def test_init_import_info_export(runner: CliRunner, tmp_path: Path, parcels_file: Path) -> None:
    ws = tmp_path / "ws"
    result = runner.invoke(main, ["init", str(ws)])
    assert result.exit_code == 0, result.output
    assert "Created workspace" in result.output

    result = runner.invoke(
        main,
        ["import", str(ws), str(parcels_file), "--function", "arable_farming", "--licence", "CC0"],
    )
    assert result.exit_code == 0, result.output
    assert "Imported 2 features" in result.output and "arable_farming: 2" in result.output

    result = runner.invoke(
        main, ["import", str(ws), str(parcels_file), "--function", "arable_farming"]
    )
    assert "imported before as 'percelen'" in result.output

    result = runner.invoke(main, ["info", str(ws), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["crs"] == "EPSG:28992"
    assert [(d["name"], d["features"], d["licence"]) for d in info["datasets"]] == [
        ("percelen", 2, "CC0")
    ]

    result = runner.invoke(main, ["info", str(ws)])
    assert "percelen" in result.output and "Datasets" in result.output

    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["export", str(ws), "percelen", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().count("\n") == 3  # header and two rows


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["info", "{tmp}/nowhere"], "no workspace here"),
        (["import", "{ws}", "{tmp}/missing.gpkg", "--function", "housing"], "file not found"),
        (["import", "{ws}", "{parcels}", "--function", "windmolen"], "windmolen"),
        (["init", "{ws}"], "exists here already"),
        (["export", "{ws}", "nothing", "{tmp}/x.gpkg"], "no layer named 'nothing'"),
    ],
)
def test_errors_name_the_input_and_exit_2(
    runner: CliRunner, tmp_path: Path, parcels_file: Path, args: list[str], words: str
) -> None:
    ws = tmp_path / "ws"
    runner.invoke(main, ["init", str(ws)])
    argv = [a.format(tmp=tmp_path, ws=ws, parcels=parcels_file) for a in args]
    result = runner.invoke(main, argv)
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output
