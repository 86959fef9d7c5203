"""Viewshed of turbines on a DEM: flat plane, a ridge checked by hand, the CLI with a GeoTIFF."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from click.testing import CliRunner
from rasterio.transform import from_origin
from shapely import Point, box

from ruimte.analysis.nuisance.settings import load_bands
from ruimte.analysis.nuisance.viewshed import NOT_VISIBLE, load_viewshed_method, viewshed
from ruimte.cli.main import main
from ruimte.workspace import Workspace

RD = "EPSG:28992"
CELL = 50.0
# DEM 24 km x 24 km of 50 m cells; the turbine stands on the centre of a cell
ORIGIN = (-12_000.0, 12_000.0)
TURBINE = (25.0, 25.0)
HUB, ROTOR = 100.0, 100.0  # blade tip 150 m above the ground
RIDGE = (2_000.0, 2_100.0)  # x-range of a north-south ridge (two cell columns)
RIDGE_M = 80.0


def _write_dem(path: Path, ridge: bool) -> Path:
    z = np.zeros((480, 480), dtype=np.float32)
    if ridge:
        x = ORIGIN[0] + CELL * (np.arange(480) + 0.5)
        z[:, (x > RIDGE[0]) & (x < RIDGE[1])] = RIDGE_M
    with rasterio.open(path, "w", driver="GTiff", height=480, width=480, count=1,
                       dtype="float32", crs=RD, transform=from_origin(*ORIGIN, CELL, CELL),
                       nodata=-9999.0) as dst:  # fmt: skip
        dst.write(z, 1)
    return path


def _turbine() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"hub_height_m": [HUB], "rotor_m": [ROTOR]},
                            geometry=[Point(*TURBINE)], crs=RD)  # fmt: skip


def test_flat_plane_viewshed_is_the_distance_band_disc(tmp_path):
    bands = load_bands()
    view, warnings = viewshed(_write_dem(tmp_path / "flat.tif", False), "flat", _turbine(),
                              bands, load_viewshed_method())  # fmt: skip
    assert warnings == [] and view.cell_m == CELL
    frame = view.polygons(bands, RD).set_index("band")
    # on a plane every cell within 10 km sees the tip: the horizon of 150 m with
    # k = 0.13 lies at sqrt(2 * 150 * 6371 km / 0.87) = 47 km
    tol = {b.band: 2 * math.pi * b.max_m * CELL / 2 / 1e4 for b in bands.itertuples()}
    for b in bands.itertuples():
        analytic = math.pi * (b.max_m**2 - b.min_m**2) / 1e4
        assert frame.loc[b.band, "area_ha"] == pytest.approx(analytic, abs=2 * tol[b.band])
    assert frame.loc[NOT_VISIBLE, "area_ha"] == 0
    # the polygons carry the same area as the cell count
    assert frame.geometry.area.sum() / 1e4 == pytest.approx(frame["area_ha"].sum())


def test_ridge_hides_a_dwelling_behind_it_not_one_in_front_or_far_behind(tmp_path):
    bands = load_bands()
    view, _ = viewshed(_write_dem(tmp_path / "ridge.tif", True), "ridge", _turbine(), bands,
                       load_viewshed_method())  # fmt: skip
    y = TURBINE[1]
    # By hand, tip at 150 m over x = 25, eye 1.6 m, drop c(d) = 0.87 d^2 / (2 * 6371 km):
    # - x = 1525 (in front of the ridge): nothing in between -> visible (band 1-3 km).
    # - x = 3025 (d = 3000): the sight line at the ridge's near edge (d = 2000) stands at
    #   150 - (150 - 1.6 + c(3000)) * 2000/3000 = 150 - (148.4 + 0.62) * 0.667 = 50.7 m,
    #   the ridge there at 80 - c(2000) = 79.7 m: hidden -> "not visible".
    # - x = 8025 (d = 8000): the line at the ridge's far edge (d = 2100) stands at
    #   150 - (148.4 + 4.4) * 2100/8000 = 109.9 m > 80 m: visible again (band 3-10 km).
    xs = np.array([1525.0, 3025.0, 8025.0])
    got = view.band_of(xs, np.full(3, y), bands).tolist()
    assert got == ["1-3 km", NOT_VISIBLE, "3-10 km"]
    frame = view.polygons(bands, RD).set_index("band")
    assert frame.loc[NOT_VISIBLE, "area_ha"] > 0


def _ws_with_dem(tmp_path: Path) -> Workspace:
    ws = Workspace.init(tmp_path / "ws")
    ws.add_scenarios(pd.DataFrame({"name": ["basis"], "parent": [None]}))
    ws.add_claims(gpd.GeoDataFrame(
        {"claim_id": ["W1"], "function": ["wind_turbine"], "quantity": [3.8], "unit": ["MW"],
         "status": ["proposed"], "scenario": ["basis"], "horizon_year": [2030]},
        geometry=[Point(*TURBINE)], crs=RD,
    ))  # fmt: skip
    # the default type (RVO 2020 average) has its tip at 125.5 + 123 / 2 = 187 m; as in the
    # ridge test, the house at 3 km is hidden for any tip T with T/3 + 0.66 < 79.7 (T < 237 m)
    # and the one at 8 km seen for 0.7375 T - 0.73 > 80 (T > 110 m)
    # 3 houses in front of the ridge (1.5 km), 5 just behind it (3 km), 2 far behind (8 km)
    xs = [1525.0] * 3 + [3025.0] * 5 + [8025.0] * 2
    ys = [25.0 + 30 * i for i in range(10)]
    geoms = [box(x - 5, y - 4, x + 5, y + 4) for x, y in zip(xs, ys, strict=True)]
    houses = gpd.GeoDataFrame({"identificatie": [f"B{i}" for i in range(10)]}, geometry=geoms,
                              crs=RD)  # fmt: skip
    houses.to_file(tmp_path / "houses.geojson")
    ws.import_file(tmp_path / "houses.geojson", function="housing", name="buildings")
    dem = _write_dem(tmp_path / "ahn.tif", True)
    out = CliRunner().invoke(main, ["import", str(ws.path), str(dem), "--as", "ahn"])
    assert out.exit_code == 0, out.output
    return ws


def test_cli_viewshed_on_an_imported_dem(tmp_path):
    ws = _ws_with_dem(tmp_path)
    out = CliRunner().invoke(main, ["nuisance", str(ws.path), "--dem", "ahn", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    s = data["summary"]
    assert s["visibility_method"] == "viewshed"
    assert s["visibility"] == "viewshed on DEM ahn at 50 m (terrain only; no buildings or trees)"
    assert s["band_dwellings"] == {"0-1 km": 0, "1-3 km": 3, "3-10 km": 2, NOT_VISIBLE: 5}
    # stored with its band polygons; without --dem the distance bands stay
    assert ws.result(data["result"]).parameters["dem"] == "ahn"
    plain = json.loads(CliRunner().invoke(main, ["nuisance", str(ws.path), "--json",
                                                 "--no-save"]).stdout)  # fmt: skip
    assert plain["summary"]["visibility"] == "distance bands only; no terrain"
    assert plain["summary"]["band_dwellings"] == {"0-1 km": 0, "1-3 km": 3, "3-10 km": 7}
    text = CliRunner().invoke(main, ["nuisance", str(ws.path), "--dem", "ahn", "--no-save"])
    assert "viewshed on DEM ahn at 50 m" in text.stdout


def test_cli_dem_that_is_not_a_raster_is_a_clean_message(tmp_path):
    ws = _ws_with_dem(tmp_path)
    out = CliRunner().invoke(main, ["nuisance", str(ws.path), "--dem", "buildings"])
    assert out.exit_code != 0 and "is a vector dataset" in out.output
    out = CliRunner().invoke(main, ["nuisance", str(ws.path), "--dem", "ahm"])
    assert out.exit_code != 0 and "ahn" in out.output and "Traceback" not in out.output
