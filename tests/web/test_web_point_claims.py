# SPDX-License-Identifier: Apache-2.0
"""A scenario whose claims are all points (turbine locations) has no conflicts, not a 500."""

from __future__ import annotations

import geopandas as gpd
from fastapi.testclient import TestClient
from shapely import Point, box

from ruimte.web.app import create_app
from ruimte.web.settings import Settings
from ruimte.workspace import Workspace


def test_conflicts_of_point_claims_are_an_empty_collection(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    regions = gpd.GeoDataFrame(
        {"code": ["GM01"], "name": ["Een"]}, geometry=[box(136_000, 455_000, 140_000, 459_000)],
        crs="EPSG:28992",
    )  # fmt: skip
    regions.to_file(tmp_path / "regions.gpkg")
    ws.import_regions(tmp_path / "regions.gpkg", code_field="code", name_field="name",
                      level="municipality")  # fmt: skip
    turbines = gpd.GeoDataFrame(
        {"function": ["wind_turbine"] * 2},
        geometry=[Point(137_000, 456_000), Point(137_000, 456_000)],  # even on the same spot
        crs="EPSG:28992",
    )
    turbines.to_file(tmp_path / "turbines.gpkg")
    ws.import_claims(tmp_path / "turbines.gpkg")
    app = create_app(Settings(workspace=ws.path, secret_key="t", overlay_refresh=False))
    response = TestClient(app).get("/api/scenarios/basis/conflicts")
    assert response.status_code == 200, response.text
    assert response.json()["features"] == []
