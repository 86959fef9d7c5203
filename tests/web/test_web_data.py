# SPDX-License-Identifier: Apache-2.0
"""Layers, vector tiles, indicators, comparison and the OpenAPI description."""

from __future__ import annotations

import geopandas as gpd
import mapbox_vector_tile
import pytest
import shapely

from ruimte.web.mvt import BUFFER, EXTENT, tile_bounds, tile_of_point


def test_catalog_groups_datasets_by_the_layer_approach(client):
    body = client().get("/api/layers").json()
    groups = {entry["id"]: entry["group"] for entry in body["layers"]}
    assert groups["roads"] == groups["hv_lines"] == groups["substations"] == "netwerken"
    assert groups["nature"] == groups["lakes"] == "ondergrond"
    assert groups["buildings"] == groups["farmland"] == "occupatie"
    buildings = next(e for e in body["layers"] if e["id"] == "buildings")
    assert buildings["count"] == 36_595 and buildings["minzoom"] == 12
    assert buildings["url"] == "/api/tiles/buildings/{z}/{x}/{y}.pbf"
    assert body["basemap_url"] is None  # offline by default
    assert client().get("/api/tiles/users/14/8440/5390.pbf").status_code == 404  # no system tables


def test_vocabulary_has_both_languages_and_colours(client):
    vocab = client().get("/api/vocabulary").json()
    wind = next(f for f in vocab["functions"] if f["id"] == "wind_turbine")
    assert (wind["label_nl"], wind["label_en"], wind["colour"]) == (
        "Windturbine",
        "Wind turbine",
        "#6a3d9a",
    )


def test_a_building_tile_holds_exactly_the_buildings_it_touches(client, studio_ws):
    buildings = studio_ws.read_dataset("buildings").to_crs(3857)
    centre = gpd.GeoSeries([buildings.geometry.iloc[100].centroid], crs=3857).to_crs(4326)
    z = 15
    x, y = tile_of_point(centre.x.iloc[0], centre.y.iloc[0], z)
    r = client().get(f"/api/tiles/buildings/{z}/{x}/{y}.pbf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    features = mapbox_vector_tile.decode(r.content)["buildings"]["features"]
    # independently: the buildings intersecting the tile plus its buffer, by geopandas
    minx, miny, maxx, maxy = tile_bounds(z, x, y)
    pad = (maxx - minx) * BUFFER / EXTENT
    window = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    expected = buildings[buildings.intersects(window)]
    assert len(features) == len(expected) > 0
    assert sorted(f["properties"]["identificatie"] for f in features) == sorted(
        expected["identificatie"].astype(str)
    )
    assert client().get("/api/tiles/buildings/3/1/9.pbf").status_code == 404  # y beyond 2**z


def test_dashboard_figures_match_a_hand_computation(client):
    body = client().get("/api/dashboard?scenario=basis&level=res_region").json()
    es99 = body["regions"][0]
    # wind: 5 turbines x 5.6 MW x 2,960 h; solar: (20.8 + 13.1 + 20.8 MWp + 80 ha / 1.2 ha/MWp)
    # x 875 kWh/kWp (scenario basis assumptions)
    wind_twh = 5 * 5.6 * 2960 / 1e6
    solar_twh = (20.8 + 13.1 + 20.8 + 80 / 1.2) * 875 / 1e6
    assert es99["twh_planned"] == pytest.approx(wind_twh + solar_twh, abs=1e-4)
    assert es99["twh_target"] == 1.2
    assert es99["homes_planned"] == 1800 + 1500  # C001 and the not-yet-located C017
    municipalities = client().get("/api/dashboard?scenario=basis&level=municipality").json()
    gm = {r["code"]: r for r in municipalities["regions"]}
    assert gm["GM9901"]["homes_target"] == 4200 and gm["GM9902"]["homes_planned"] == 1500
    bad = client().get("/api/dashboard?scenario=basis&level=county")
    assert bad.status_code == 422 and "governance level" in bad.json()["detail"]


def test_compare_lists_the_differences_between_two_scenarios(client, studio_ws):
    body = client().get("/api/compare?a=basis&b=ambitie").json()
    rows = {r["indicator"]: r for r in body["rows"]}
    basis, ambitie = studio_ws.claims("basis"), studio_ws.claims("ambitie")
    n_a, n_b = len(basis), len(ambitie)
    assert (rows["claims"]["a"], rows["claims"]["b"]) == (n_a, n_b)
    assert rows["claims"]["difference"] == n_b - n_a
    assert body["only_in_b"] == sorted(set(ambitie["claim_id"]) - set(basis["claim_id"]))
    assert body["only_in_a"] == sorted(set(basis["claim_id"]) - set(ambitie["claim_id"]))

    def homes(claims):
        housing = (claims["function"] == "housing") & (claims["unit"] == "homes")
        return claims.loc[housing, "quantity"]

    assert rows["homes_planned"]["difference"] == homes(ambitie).sum() - homes(basis).sum()
    assert client().get("/api/compare?a=basis&b=nope").status_code == 404


def test_claims_geojson_marks_inherited_and_editable(client):
    features = client("lindeweer").get("/api/scenarios/ambitie/claims").json()["features"]
    props = {f["properties"]["claim_id"]: f["properties"] for f in features}
    assert props["C004"]["inherited"] is True and props["C101"]["inherited"] is False
    assert props["C004"]["editable"] is True  # Gemeente Lindeweer's mobility hub
    assert props["C006"]["editable"] is False  # RES Middenwaard's turbine
    unlocated = sorted(f["properties"]["claim_id"] for f in features if f["geometry"] is None)
    assert unlocated == ["C016", "C017", "C018", "C106"]


def test_conflicts_between_claims_follow_the_compatibility_matrix(client, studio_ws):
    features = client().get("/api/scenarios/basis/conflicts").json()["features"]
    pairs = {(f["properties"]["claim_a"], f["properties"]["claim_b"]) for f in features}
    claims = studio_ws.claims("basis").set_index("claim_id")
    vocab = studio_ws.vocabulary
    for a, b in pairs:
        assert vocab.relation(claims.loc[a, "function"], claims.loc[b, "function"]).relation == (
            "exclusive"
        )
        assert claims.loc[a].geometry.intersects(claims.loc[b].geometry)


def test_branching_a_scenario_inherits_the_parents_claims(client, studio_ws):
    c = client("res")
    r = c.post("/api/scenarios", json={"name": "variant-a", "parent": "ambitie"})
    assert r.status_code == 201 and r.json()["claims"] == len(studio_ws.claims("ambitie"))
    inherited = studio_ws.claims("variant-a")["claim_id"].tolist()
    assert inherited == studio_ws.claims("ambitie")["claim_id"].tolist()
    assert studio_ws.scenarios().set_index("name").loc["variant-a", "parent"] == "ambitie"
    bad = c.post("/api/scenarios", json={"name": "Variant B", "parent": "basis"})
    assert bad.status_code == 422 and "lower-case" in bad.json()["detail"]


def test_openapi_describes_the_api(client):
    spec = client().get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/claims",
        "/api/claims/{claim_id}",
        "/api/scenarios/{scenario}/claims",
        "/api/compare",
        "/api/dashboard",
        "/api/comments",
        "/api/ratings",
        "/api/tiles/{layer_id}/{z}/{x}/{y}.pbf",
        "/api/scenarios/{scenario}/nuisance",
        "/api/scenarios/{scenario}/nuisance/dwelling",
        "/api/compare/nuisance",
        "/api/scenarios/{scenario}/view3d",
    } <= paths


def test_index_page_is_served_with_a_strict_content_security_policy(client):
    r = client().get("/")
    assert r.status_code == 200 and "maplibre-gl.js" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_dashboard_uses_the_stored_grid_and_overlay_results(client, studio_ws):
    from ruimte.analysis.grid.run import run_grid
    from ruimte.analysis.overlay.run import run_overlay

    impact, key = run_grid(studio_ws, "basis")
    run_overlay(studio_ws, "basis")
    stations = studio_ws.read_result(key, "substations")
    regions = studio_ws.regions("municipality").set_index("code").geometry
    body = client().get("/api/dashboard?scenario=basis&level=municipality").json()
    for row in body["regions"]:
        inside = stations[stations.geometry.within(regions[row["code"]])]
        expected = sorted(inside.loc[inside["overloaded"].astype(bool), "name"])
        assert sorted(row["substations_over_capacity"]) == expected
        assert row["reinforcement_mw"] == pytest.approx(inside["reinforcement_mw"].sum(), abs=0.05)
        assert row["conflict_ha"] >= 0
    lindeweer = next(r for r in body["regions"] if r["code"] == "GM9901")
    assert "Lindeweer-West 20/10 kV" in lindeweer["substations_over_capacity"]
    assert lindeweer["conflict_ha"] > 100  # housing, nature and business park on farmland
