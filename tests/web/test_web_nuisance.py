# SPDX-License-Identifier: Apache-2.0
"""The nuisance REST API: the same numbers as ``ruimte nuisance --json``, login rules, A vs B."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pyproj import Transformer

from ruimte.analysis.nuisance.run import run_nuisance
from ruimte.cli.main import main
from ruimte.web.app import create_app
from ruimte.web.settings import Settings

pytestmark = pytest.mark.slow


def test_api_summary_agrees_with_the_cli_json_number_for_number(client, studio_ws):
    cli = CliRunner().invoke(
        main, ["nuisance", str(studio_ws.path), "-s", "basis", "--json", "--no-save"]
    )
    assert cli.exit_code == 0, cli.output
    expected = json.loads(cli.stdout)
    r = client(None).get("/api/scenarios/basis/nuisance")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got == expected  # every count, per claim, per region, band and turbine
    assert got["summary"]["over"]["bal_lden_47"] > 0
    assert sum(b["dwellings"] for b in got["bands"]) <= got["summary"]["dwellings"]


def test_clicked_dwelling_has_its_computed_values(client, studio_ws):
    result, _ = run_nuisance(studio_ws, "basis", save=False)
    dw = result.dwellings
    k = int(dw["lden_db"].to_numpy().argmax())  # the loudest dwelling of the demo
    to_wgs = Transformer.from_crs(dw.crs, "EPSG:4326", always_xy=True)
    lon, lat = to_wgs.transform(dw.geometry.x.iloc[k] + 3.0, dw.geometry.y.iloc[k])  # 3 m off
    r = client(None).get(f"/api/scenarios/basis/nuisance/dwelling?lon={lon}&lat={lat}")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["feature"] == dw["feature"].iloc[k]
    assert got["lden_db"] == pytest.approx(float(dw["lden_db"].iloc[k]))
    assert got["flicker_hours"] == pytest.approx(float(dw["flicker_hours"].iloc[k]))
    assert got["distance_m"] == pytest.approx(3.0, abs=0.2)
    far = client(None).get("/api/scenarios/basis/nuisance/dwelling?lon=5.0&lat=52.0")
    assert far.status_code == 404 and "no dwelling within 30 m" in far.json()["detail"]


def test_compare_counts_dwellings_over_each_norm_in_a_and_b(client, studio_ws):
    a, _ = run_nuisance(studio_ws, "basis", save=False)
    b, _ = run_nuisance(studio_ws, "ambitie", save=False)
    r = client("kijker").get("/api/compare/nuisance?a=basis&b=ambitie")
    assert r.status_code == 200, r.text
    rows = {row["norm"]: row for row in r.json()["rows"]}
    assert set(rows) == set(a.summary["over"])
    for norm, row in rows.items():
        assert row["a"] == a.summary["over"][norm]
        assert row["b"] == b.summary["over"][norm]
        assert row["difference"] == b.summary["over"][norm] - a.summary["over"][norm]
    # the demo's ambitie adds two turbines: more dwellings over 47 dB Lden, not fewer
    assert rows["bal_lden_47"]["difference"] > 0
    assert r.json()["turbines"] == {"a": a.summary["turbines"], "b": b.summary["turbines"]}


def test_a_closed_studio_asks_visitors_to_log_in(studio_ws):
    app = create_app(Settings(workspace=studio_ws.path, secret_key="t", public_read=False))
    c = TestClient(app)
    for url in (
        "/api/scenarios/basis/nuisance",
        "/api/scenarios/basis/nuisance/dwelling?lon=6&lat=52.3",
        "/api/compare/nuisance?a=basis&b=ambitie",
    ):
        r = c.get(url)
        assert r.status_code == 401 and "log in" in r.json()["detail"], url


def test_unknown_scenario_and_bad_coordinates_are_clean_errors(client):
    c = client(None)
    r = c.get("/api/scenarios/basiss/nuisance")
    assert r.status_code == 404 and "basis" in r.json()["detail"]
    r = c.get("/api/scenarios/basis/nuisance/dwelling?lon=500&lat=52")
    assert r.status_code == 422


def test_view3d_draws_every_turbine_to_scale(client, studio_ws):
    from ruimte.analysis.nuisance.inputs import scenario_turbines

    turbines, _ = scenario_turbines(studio_ws, "ambitie")
    r = client(None).get("/api/scenarios/ambitie/view3d")
    assert r.status_code == 200, r.text
    data = r.json()
    parts = [f["properties"] for f in data["turbines"]["features"]]
    towers = [p for p in parts if p["part"] == "tower"]
    assert len(towers) == len(turbines) == data["turbine_count"] == 20
    assert len(parts) == 20 * (1 + 12)  # a tower and 12 rotor slabs each (view3d.yaml)
    assert sorted(p["height_m"] for p in towers) == sorted(turbines["hub_height_m"])
    assert data["building_layers"] == ["buildings"]
    assert data["default_height_m"]["housing"] == 9
    closed = TestClient(
        create_app(Settings(workspace=studio_ws.path, secret_key="t", public_read=False))
    )
    assert closed.get("/api/scenarios/ambitie/view3d").status_code == 401


def test_building_height_attribute_is_carried_in_tiles_first():
    import geopandas as gpd
    from shapely import box

    from ruimte.web.catalog import MAX_PROPERTIES, tile_properties

    many = {f"col{i}": [i] for i in range(15)}
    frame = gpd.GeoDataFrame(
        {"function": ["housing"], **many, "h_dak_max": [23.5]}, geometry=[box(0, 0, 1, 1)]
    )
    props = tile_properties(frame)
    assert props[:2] == ["function", "h_dak_max"] and len(props) == MAX_PROPERTIES


def test_api_realistic_flicker_agrees_with_the_cli(client, studio_ws):
    cli = CliRunner().invoke(main, ["nuisance", str(studio_ws.path), "-s", "basis", "--json",
                                    "--no-save", "--sunshine", "knmi-de-bilt"])  # fmt: skip
    assert cli.exit_code == 0, cli.output
    r = client(None).get("/api/scenarios/basis/nuisance?sunshine=knmi-de-bilt")
    assert r.status_code == 200, r.text
    assert r.json() == json.loads(cli.stdout)
    assert r.json()["summary"]["flicker"].startswith("realistic expectation")
    bad = client(None).get("/api/scenarios/basis/nuisance?sunshine=nowhere")
    assert bad.status_code == 404 and "knmi-de-bilt" in bad.json()["detail"]
    nodem = client(None).get("/api/scenarios/basis/nuisance?dem=nothing")
    assert nodem.status_code == 404
