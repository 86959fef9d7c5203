# SPDX-License-Identifier: Apache-2.0
"""Stored results: atomic replacement, read-back, fingerprints and staleness."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from pyproj import CRS
from shapely.geometry import Point, box

from ruimte.errors import ResultNotFoundError, WorkspaceError
from ruimte.workspace import Workspace
from ruimte.workspace.rasters import RasterData

RD = CRS.from_epsg(28992)

#: every test here runs on the GeoPackage and on the PostGIS store
pytestmark = pytest.mark.both_stores


def _squares(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"value": np.arange(n, dtype=float)},
        geometry=[box(i * 10, 0, i * 10 + 5, 5) for i in range(n)],
        crs=RD,
    )


def _raster() -> RasterData:
    array = np.arange(12, dtype="uint8").reshape(3, 4)
    return RasterData(array, Affine(25, 0, 180000, 0, -25, 480000), RD, 255, "uint8")


def _with_dataset(ws: Workspace) -> Workspace:
    pts = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[Point(0, 0), Point(5, 5)], crs=RD)
    ws.add_dataset("punten", pts, source="test")
    return ws


def test_save_and_read_back_every_output(ws: Workspace) -> None:
    _with_dataset(ws)
    rec = ws.save_result(
        "eligibility_wind",
        "eligibility",
        layers={"polygons": _squares(3)},
        rasters={"mask": _raster()},
        tables={"per_region": pd.DataFrame({"code": ["A"], "km2": [1.5]})},
        inputs=("dataset:punten", "vocabulary"),
        parameters={"resolution": np.int64(25)},
        summary={"eligible_km2": np.float64(1.5)},
        seconds=2.5,
    )
    assert rec.layers == {"polygons": "eligibility_wind_polygons"}
    back = ws.result("eligibility_wind")
    assert back.parameters == {"resolution": 25} and back.summary == {"eligible_km2": 1.5}
    assert back.vocabulary_version == ws.vocabulary.version
    assert set(back.inputs) == {"dataset:punten", "vocabulary"}
    polygons = ws.read_result("eligibility_wind", "polygons")
    assert polygons.area.sum() == pytest.approx(75.0)
    assert ws.read_result("eligibility_wind", "per_region")["km2"].tolist() == [1.5]
    with rasterio.open(ws.result_raster_path("eligibility_wind", "mask")) as src:
        assert src.read(1).sum() == sum(range(12))
    assert ws.results()["key"].tolist() == ["eligibility_wind"]


def test_a_new_run_replaces_the_old_one_whole(ws: Workspace) -> None:
    ws.save_result("conflicts_basis", "overlay", layers={"a": _squares(2), "b": _squares(1)})
    ws.save_result("conflicts_basis", "overlay", layers={"a": _squares(4)})
    assert len(ws.read_result("conflicts_basis", "a")) == 4
    assert "conflicts_basis_b" not in ws.layer_names()
    assert len(ws.results()) == 1


def test_a_failed_save_keeps_the_earlier_result(ws: Workspace, state) -> None:
    ws.save_result("grid_basis", "grid", layers={"stations": _squares(2)})
    before = state(ws)
    with pytest.raises(WorkspaceError, match="JSON"):
        ws.save_result("grid_basis", "grid", layers={"x": _squares(1)}, summary={"f": object()})
    with pytest.raises(WorkspaceError, match="exists already"):
        ws.save_result("grid", "grid", layers={"basis_stations": _squares(1)})
    assert state(ws) == before
    assert len(ws.read_result("grid_basis", "stations")) == 2


def test_names_are_checked(ws: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="lower-case"):
        ws.save_result("Bad Key", "x")
    with pytest.raises(WorkspaceError, match="unknown result input 'datset:x'"):
        ws.save_result("ok", "x", inputs=("datset:x",))
    with pytest.raises(ResultNotFoundError, match="no result 'eligibilty_wind'"):
        ws.result("eligibilty_wind")
    ws.save_result("eligibility_wind", "eligibility")
    with pytest.raises(ResultNotFoundError, match="Did you mean 'eligibility_wind'"):
        ws.result("eligibilty_wind")


def test_staleness_follows_the_inputs(ws: Workspace) -> None:
    _with_dataset(ws)
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.add_regions(
        gpd.GeoDataFrame(
            {"code": ["GM1"], "name": ["G"], "level": ["municipality"]},
            geometry=[box(0, 0, 100, 100)],
            crs=RD,
        )
    )
    ws.save_result("a", "overlay", inputs=("dataset:punten", "claims:basis", "targets"))
    ws.save_result("b", "grid", inputs=("result:a", "vocabulary"))
    assert ws.stale_results() == {}
    ws.add_claims(
        gpd.GeoDataFrame(
            {"function": ["solar_field"], "quantity": [10.0], "unit": ["MWp"]},
            geometry=[box(0, 0, 10, 10)],
            crs=RD,
        )
    )
    assert ws.stale_results() == {"a": ["claims:basis"]}
    ws.save_result("a", "overlay", inputs=("dataset:punten", "claims:basis", "targets"))
    assert ws.stale_results() == {"b": ["result:a"]}
    ws.add_targets(
        pd.DataFrame(
            [{"region_code": "GM1", "quantity": 1.0, "unit": "TWh/yr", "horizon_year": 2030}]
        )
    )
    assert set(ws.stale_results()) == {"a", "b"}
    assert ws.stale_results()["a"] == ["targets"]


def test_the_summary_lists_results_and_what_made_them_stale(ws: Workspace) -> None:
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.save_result("conflicts_basis", "overlay", scenario="basis", inputs=("scenarios",))
    (row,) = ws.summary()["results"]
    assert (row["key"], row["kind"], row["scenario"], row["stale_inputs"]) == (
        "conflicts_basis",
        "overlay",
        "basis",
        [],
    )
    ws.add_scenarios(pd.DataFrame({"name": ["ambitie"], "parent": ["basis"]}))
    assert ws.summary()["results"][0]["stale_inputs"] == ["scenarios"]


def test_a_result_with_a_raster_can_be_saved_again(ws: Workspace) -> None:
    ws.save_result("eligibility_solar", "eligibility", rasters={"mask": _raster()})
    bigger = _raster()
    bigger.array[:] = 7
    ws.save_result("eligibility_solar", "eligibility", rasters={"mask": bigger})
    with rasterio.open(ws.result_raster_path("eligibility_solar", "mask")) as src:
        assert (src.read(1) == 7).all()
    ws.remove_result("eligibility_solar")
    assert not list((ws.folder / "rasters").glob("eligibility_solar*"))


def test_a_new_branch_does_not_make_its_parents_results_stale(ws: Workspace) -> None:
    ws.add_scenarios(
        pd.DataFrame(
            {
                "name": ["basis", "ambitie"],
                "parent": [None, "basis"],
                "assumptions": [{"a": 1}, {"a": 2}],
            }
        )
    )
    ws.save_result("grid_basis", "grid", inputs=("scenario:basis",))
    ws.save_result("grid_ambitie", "grid", inputs=("scenario:ambitie",))
    ws.add_scenarios(pd.DataFrame({"name": ["windrijk"], "parent": ["ambitie"]}))
    assert ws.stale_results() == {}


def test_another_thread_does_not_see_or_join_an_open_transaction(ws: Workspace) -> None:
    import threading

    inside, release = threading.Event(), threading.Event()

    def writer() -> None:
        with ws.transaction():
            ws.save_result("a", "test", layers={"x": _squares(2)})
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert inside.wait(10)
    seen_during = ws.results()["key"].tolist()  # the main thread reads the committed file
    release.set()
    thread.join()
    assert seen_during == []
    assert ws.results()["key"].tolist() == ["a"]
    ws.save_result("b", "test")  # and writes in a transaction of its own
    assert sorted(ws.results()["key"]) == ["a", "b"]
