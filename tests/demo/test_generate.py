# SPDX-License-Identifier: Apache-2.0
"""Tests for the fictional demo region generator."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from ruimte.demo.generate import DemoRegion, RasterSpec, generate_demo_region
from ruimte.workspace.schema import CLAIMS

FUNCTIONS = set(
    "wind_turbine solar_field rooftop_solar floating_solar hv_line mv_line substation battery "
    "electrolyser heat_network energy_hub mobility_hub ev_charging housing business_park "
    "data_centre arable_farming dairy_farming greenhouse_horticulture nature_reserve forest "
    "surface_water water_storage dike road railway waterway recreation gas_pipeline "
    "hydrogen_pipeline geothermal_well aquifer_thermal_storage groundwater_protection".split()
)
#: the demo fills every claim column but those the workspace derives or tracks, and those
#: that only an import of a file fills (combined rows, quantity basis, source attributes)
_DERIVED = {"layer", "removed", "version", "updated_at", "updated_by"}
_DERIVED |= {"combined_with", "quantity_basis", "attributes"}
CLAIM_COLUMNS = [c for c in CLAIMS.column_names if c not in _DERIVED] + ["geometry"]
PLAN_TYPES = {
    "res",
    "omgevingsvisie",
    "omgevingsplan",
    "omgevingsverordening",
    "woondeal",
    "investeringsplan",
    "nplg_gebiedsprogramma",
    "warmteprogramma",
    "regionale_adaptatiestrategie",
}


@pytest.fixture(scope="module")
def demo() -> DemoRegion:
    return generate_demo_region()


def _hash(gdf) -> str:
    h = hashlib.sha256()
    for w in gdf.geometry.to_wkb():
        h.update(w if w is not None else b"none")
    h.update(gdf.drop(columns="geometry").to_csv().encode())
    return h.hexdigest()


def test_counts(demo: DemoRegion) -> None:
    ds = demo.datasets
    assert len(ds["buildings"]) >= 20_000
    assert len(ds["railway"]) >= 1
    assert 3 <= len(ds["lakes"]) <= 6
    assert 8 <= len(ds["wind_turbines"]) <= 20
    assert 3 <= len(ds["solar_parks"]) <= 6
    assert (ds["substations"]["capacity_mva"] > 0).all()
    assert (ds["substations"]["voltage_kv"] == "150/20").sum() == 2
    assert 5 <= (ds["substations"]["voltage_kv"] != "150/20").sum() <= 8
    assert set(ds["roads"]["wegtype"]) == {"motorway", "regional", "local"}
    assert demo.rasters["landuse"].array.shape == (1200, 1200)


def test_every_dataset_has_function_and_info(demo: DemoRegion) -> None:
    assert set(demo.dataset_info) == set(demo.datasets)
    for name, gdf in demo.datasets.items():
        assert set(gdf["function"]) <= FUNCTIONS, name
        info = demo.dataset_info[name]
        assert {"source", "licence", "description", "mapping"} <= set(info)
        json.dumps(info)
        assert gdf.crs == "EPSG:28992"


def test_regions_hierarchy_and_tiling(demo: DemoRegion) -> None:
    r = demo.regions.set_index("code")
    assert r.loc["NL", "level"] == "national" and r["parent_code"].isna()["NL"]
    assert r.loc["PV99", "parent_code"] == "NL"
    assert r.loc["ES99", "parent_code"] == "PV99"
    munis = r[r["level"] == "municipality"]
    assert list(munis.index) == ["GM9901", "GM9902", "GM9903", "GM9904"]
    assert (munis["parent_code"] == "ES99").all()
    assert (r.geometry.geom_type == "MultiPolygon").all()
    assert munis.area.sum() == pytest.approx(900e6, rel=1e-6)
    assert shapely.union_all(munis.geometry.values).area == pytest.approx(900e6, rel=1e-6)
    g = munis.geometry.values
    for i in range(4):
        for j in range(i + 1, 4):
            assert shapely.intersection(g[i], g[j]).area < 1.0


def test_geometries_valid_and_inside(demo: DemoRegion) -> None:
    region = box(*demo.bounds).buffer(1e-6)
    frames = dict(
        demo.datasets, regions=demo.regions, claims=demo.claims[demo.claims.geometry.notna()]
    )
    for name, gdf in frames.items():
        geoms = gdf.geometry.values
        assert shapely.is_valid(geoms).all(), name
        assert shapely.within(geoms, region).all(), name


def test_buildings_do_not_overlap(demo: DemoRegion) -> None:
    b = demo.datasets["buildings"].geometry.values
    tree = shapely.STRtree(b)
    pairs = tree.query(b, predicate="intersects")
    pairs = pairs[:, pairs[0] < pairs[1]]
    if pairs.shape[1]:
        assert shapely.area(shapely.intersection(b[pairs[0]], b[pairs[1]])).max() < 1e-6
    areas = demo.datasets["buildings"]
    houses = areas[areas["gebruiksdoel"] == "woonfunctie"]
    assert houses.area.between(60, 150).all()


def test_buildings_avoid_roads_and_water(demo: DemoRegion) -> None:
    b = demo.datasets["buildings"].geometry.values
    tree = shapely.STRtree(b)
    water = np.concatenate([demo.datasets[k].geometry.values for k in ("rivers", "lakes")])
    assert len(tree.query(water, predicate="intersects")[0]) == 0
    roads = demo.datasets["roads"]
    corridors = shapely.buffer(roads.geometry.values, roads["breedte_m"].to_numpy() / 2)
    assert len(tree.query(corridors, predicate="intersects")[0]) == 0


def test_existing_turbines_keep_400m(demo: DemoRegion) -> None:
    b = demo.datasets["buildings"].geometry.values
    t = demo.datasets["wind_turbines"].geometry.values
    near = shapely.STRtree(b).query(t, predicate="dwithin", distance=400.0)
    assert near.shape[1] == 0
    caps = demo.datasets["wind_turbines"]["capacity_mw"]
    assert caps.between(2, 4.2).all()


def test_deliberate_setback_violation(demo: DemoRegion) -> None:
    b = demo.datasets["buildings"]
    houses = b[b["gebruiksdoel"] == "woonfunctie"].geometry.values
    tree = shapely.STRtree(houses)
    c = demo.claims
    wt = c[(c["function"] == "wind_turbine") & (c["scenario"] == "basis")]
    dist = np.array([shapely.distance(houses[tree.nearest(p)], p) for p in wt.geometry])
    assert 4 <= len(wt) <= 6
    assert (dist < 400).sum() == 1
    assert 150 < dist.min() < 400


def test_claims_schema_and_references(demo: DemoRegion) -> None:
    c = demo.claims
    assert list(c.columns) == CLAIM_COLUMNS
    assert c["claim_id"].is_unique
    assert set(c["function"]) <= FUNCTIONS
    assert set(c["unit"]) <= {"MW", "MWp", "homes", "ha", "MWh", "count"}
    assert set(c["status"]) <= {"idea", "proposed", "adopted", "realised"}
    assert set(c["governance_level"]) <= {"national", "province", "res_region", "municipality"}
    assert set(c["scenario"]) == {"basis", "ambitie"}
    assert set(c["plan_id"]) <= set(demo.plans["plan_id"])
    assert set(c["region_code"]) <= set(demo.regions["code"])
    unlocated = c[c.geometry.isna()]
    assert 2 <= (unlocated["scenario"] == "basis").sum() <= 3


def test_claims_overlap_deliberately(demo: DemoRegion) -> None:
    c = demo.claims[demo.claims["scenario"] == "basis"].set_index("claim_id")
    g = c.geometry
    housing = g[(c["function"] == "housing") & g.notna()].iloc[0]
    solar = g[c["function"] == "solar_field"].dropna()
    assert any(0 < shapely.intersection(housing, s).area < s.area for s in solar)
    nature = g[c["function"] == "nature_reserve"].iloc[0]
    water = g[c["function"] == "water_storage"].iloc[0]
    three = [shapely.intersection(shapely.intersection(nature, water), s).area for s in solar]
    assert max(three) > 1e4
    assert 100 <= c.loc[c["function"] == "nature_reserve", "quantity"].iloc[0] <= 200
    # one solar field lies on dairy (grass) land
    farm = demo.datasets["farmland"]
    dairy = shapely.union_all(farm.geometry[farm["function"] == "dairy_farming"].values)
    assert any(shapely.intersection(s, dairy).area > 0.9 * s.area for s in solar)


def test_plans_targets_scenarios_stakeholders(demo: DemoRegion) -> None:
    p = demo.plans
    assert 6 <= len(p) <= 9 and p["plan_id"].is_unique
    assert set(p["plan_type"]) <= PLAN_TYPES
    assert set(p["phase"]) <= {
        "draft",
        "consultation",
        "adopted",
        "in_force",
        "revision",
        "withdrawn",
    }
    t = demo.targets
    munis = ["GM9901", "GM9902", "GM9903", "GM9904"]
    for _key, grp in t.groupby(["unit", "transition", "scenario"], dropna=False):
        parts = grp[grp["region_code"].isin(munis)]
        if len(parts):
            parent = grp[~grp["region_code"].isin(munis)]
            assert len(parent) == 1
            assert parts["quantity"].sum() == pytest.approx(parent["quantity"].iloc[0])
    res = t[(t["region_code"] == "ES99") & t["scenario"].isna() & (t["unit"] == "TWh/yr")]
    assert res["quantity"].iloc[0] == pytest.approx(1.2)
    s = demo.scenarios.set_index("name")
    assert s.loc["ambitie", "parent"] == "basis" and s["parent"].isna()["basis"]
    assert json.loads(s.loc["basis", "assumptions"])["full_load_hours_wind"] == 2960
    groups = {
        "residents",
        "farmers",
        "grid_operator",
        "nature_organisation",
        "municipality",
        "province",
        "water_board",
    }
    assert set(demo.stakeholders["group"]) == groups


def test_raster_matches_vectors(demo: DemoRegion) -> None:
    spec = demo.rasters["landuse"]
    assert isinstance(spec, RasterSpec)
    assert spec.array.dtype == np.uint8
    assert set(np.unique(spec.array)) <= set(spec.class_functions) | {0}
    cell = abs(spec.transform.a * spec.transform.e)
    ds = demo.datasets
    canal = shapely.intersection(
        shapely.buffer(ds["waterways"].geometry.values, 20.0, cap_style="flat"), box(*demo.bounds)
    )
    water_vec = shapely.union_all(
        np.concatenate([ds["rivers"].geometry.values, ds["lakes"].geometry.values, canal])
    ).area
    water_ras = (spec.array == 16).sum() * cell
    assert water_ras == pytest.approx(water_vec, rel=0.05)
    forest_vec = ds["nature"].area[ds["nature"]["function"] == "forest"].sum()
    assert (spec.array == 11).sum() * cell == pytest.approx(forest_vec, rel=0.10)


def test_deterministic(demo: DemoRegion) -> None:
    again = generate_demo_region()
    for name in ("buildings", "farmland", "wind_turbines", "nature"):
        assert _hash(demo.datasets[name]) == _hash(again.datasets[name]), name
    assert _hash(demo.claims) == _hash(again.claims)
    assert np.array_equal(demo.rasters["landuse"].array, again.rasters["landuse"].array)
    other = generate_demo_region(seed=7)
    assert _hash(other.datasets["buildings"]) != _hash(demo.datasets["buildings"])
