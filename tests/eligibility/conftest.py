"""A small synthetic workspace for eligibility tests: 4 × 4 km, two municipalities."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from ruimte.workspace import Workspace

X0, Y0 = 100_000.0, 400_000.0
CRS = "EPSG:28992"


def _write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, driver="GPKG")
    return path


@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the small workspace once per session (treat as read-only)."""
    tmp_path = tmp_path_factory.mktemp("small")
    ws = Workspace.init(tmp_path / "small")
    src = tmp_path / "src"
    src.mkdir()
    regions = gpd.GeoDataFrame(
        {
            "code": ["AA", "GM01", "GM02"],
            "name": ["Land", "West", "Oost"],
            "level": ["national", "municipality", "municipality"],
            "parent": [None, "AA", "AA"],
        },
        geometry=[
            shapely.box(X0, Y0, X0 + 4000, Y0 + 4000),
            shapely.box(X0, Y0, X0 + 2000, Y0 + 4000),
            shapely.box(X0 + 2000, Y0, X0 + 4000, Y0 + 4000),
        ],
        crs=CRS,
    )
    ws.import_regions(
        _write(regions, src / "regions.gpkg"),
        code_field="code",
        name_field="name",
        level_field="level",
        parent_field="parent",
    )
    layers = {
        "buildings": (
            "housing",
            [
                shapely.box(X0 + 900, Y0 + 900, X0 + 920, Y0 + 915),
                shapely.box(X0 + 3000, Y0 + 3100, X0 + 3012, Y0 + 3110),
            ],
        ),
        "roads": ("road", [shapely.LineString([(X0, Y0 + 2000), (X0 + 4000, Y0 + 2000)])]),
        "nature": ("nature_reserve", [shapely.Point(X0 + 3000, Y0 + 1000).buffer(300)]),
        "lakes": ("surface_water", [shapely.box(X0 + 500, Y0 + 3000, X0 + 1300, Y0 + 3600)]),
    }
    for name, (function, geoms) in layers.items():
        frame = gpd.GeoDataFrame({"function": [function] * len(geoms)}, geometry=geoms, crs=CRS)
        ws.import_file(_write(frame, src / f"{name}.gpkg"), name=name, function=function)
    return ws.path


@pytest.fixture
def small_ws(small_template: Path, tmp_path: Path) -> Workspace:
    """Regions AA (national) > GM01 (west half), GM02 (east half); four datasets."""
    copy = tmp_path / "small"
    shutil.copytree(small_template, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    return Workspace.open(copy)


@pytest.fixture
def rule_file(tmp_path: Path):
    """Write a rule file from YAML text; return its path."""

    def write(text: str, name: str = "rules.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
