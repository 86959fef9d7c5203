"""Coordinates outside the area of use of their CRS are refused at import."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point, box

from ruimte.cli.main import main
from ruimte.errors import DatasetImportError
from ruimte.workspace import Workspace

RD = "EPSG:28992"


def _parcels(tmp_path: Path, far: Point | None) -> Path:
    geoms = [box(230_000, 550_000, 231_000, 551_000), box(232_000, 550_000, 233_000, 551_000)]
    if far is not None:
        geoms.append(far)
    path = tmp_path / "parcels.gpkg"
    gpd.GeoDataFrame(
        {"code": [f"P{i}" for i in range(len(geoms))]}, geometry=geoms, crs=RD
    ).to_file(path)
    return path


def test_a_coordinate_of_1e30_is_refused_naming_file_count_and_feature(
    ws: Workspace, tmp_path: Path, digest
) -> None:
    path = _parcels(tmp_path, Point(1e30, 5e5))
    before = digest(ws)
    with pytest.raises(DatasetImportError) as info:
        ws.import_file(path, function="arable_farming")
    message = str(info.value)
    assert message.startswith("parcels.gpkg")
    assert "1 of 3 features lie outside the area of use of EPSG:28992" in message
    assert "feature 2 at (1e+30, 500000)" in message
    assert digest(ws) == before
    assert ws.datasets().empty


def test_the_same_file_without_the_far_point_imports(ws: Workspace, tmp_path: Path) -> None:
    report = ws.import_file(_parcels(tmp_path, None), function="arable_farming")
    assert report.feature_count == 2


def test_claims_and_the_cli_refuse_it_too(ws: Workspace, tmp_path: Path) -> None:
    path = _parcels(tmp_path, Point(2e5, -1e30))
    with pytest.raises(DatasetImportError, match="1 of 3 features lie outside"):
        ws.import_claims(path, function="solar_field")
    result = CliRunner().invoke(main, ["import", str(ws.path), str(path), "--function", "forest"])
    assert result.exit_code == 2
    assert "parcels.gpkg" in result.output and "lie outside the area of use" in result.output
    assert "Traceback" not in result.output


def test_csv_points_in_lon_lat_beyond_the_globe_are_refused(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "turbines.csv"
    path.write_text("id,lon,lat\nT1,6.5,52.8\nT2,6.6,52.9\nT3,652000,5290000\n", encoding="utf-8")
    with pytest.raises(DatasetImportError) as info:
        ws.import_file(path, function="wind_turbine", source_crs="EPSG:4326")
    assert "turbines.csv: 1 of 3 features lie outside the area of use of EPSG:4326" in str(
        info.value
    )
