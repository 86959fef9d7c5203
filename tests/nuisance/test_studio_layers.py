"""The stored nuisance result reaches the studio: layers in the catalog, values in the tiles."""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient

from ruimte.analysis.nuisance.run import run_nuisance
from ruimte.web.app import create_app
from ruimte.web.settings import Settings


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.mark.slow
def test_contours_and_dwelling_values_are_studio_layers(demo_ws):
    result, key = run_nuisance(demo_ws, "basis")
    client = TestClient(create_app(Settings(workspace=demo_ws.path, secret_key="t")))
    layers = {e["id"]: e for e in client.get("/api/layers").json()["layers"]}
    for suffix in ("contours", "dwellings", "bands", "turbines"):
        assert f"{key}_{suffix}" in layers, suffix
    assert layers[f"{key}_contours"]["count"] == 4  # one polygon per noise norm
    # the tile over the claim with the most dwellings over 47 dB Lden
    worst = result.per_claim.sort_values("over_bal_lden_47").iloc[-1]["claim_id"]
    turbine = result.turbines[result.turbines["claim_id"] == worst].to_crs(4326).geometry.iloc[0]
    x, y = _tile(turbine.x, turbine.y, 14)
    tile = client.get(f"/api/tiles/{key}_dwellings/14/{x}/{y}.pbf")
    assert tile.status_code == 200
    features = next(iter(mapbox_vector_tile.decode(tile.content).values()))["features"]
    values = [f["properties"]["lden_db"] for f in features]
    assert max(values) > 47  # the per-dwelling values a click shows
    assert {"lnight_db", "flicker_hours", "flicker_max_minutes_day"} <= set(
        features[0]["properties"]
    )
    contours = client.get(f"/api/tiles/{key}_contours/14/{x}/{y}.pbf")
    decoded = next(iter(mapbox_vector_tile.decode(contours.content).values()))["features"]
    assert {f["properties"]["norm"] for f in decoded} >= {"bal_lden_47", "draft_lden_45"}
