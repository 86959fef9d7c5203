# SPDX-License-Identifier: Apache-2.0
"""Import the real open Dutch data in ../shared/data and check it independently.

Figures are computed a second way in each test (straight from the source file
with pyogrio/shapely, or from the CBS table) and compared with what the
workspace holds. Skipped where ../shared/data is absent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

from ruimte.workspace import Workspace
from ruimte.workspace.mapping import load_mapping


@pytest.fixture
def admin(shared_data: Path) -> Path:
    return shared_data / "admin" / "nl_admin_2024_cbs.gpkg"


def test_the_2024_region_hierarchy(
    ws: Workspace, admin: Path, shared_data: Path, import_real_hierarchy
) -> None:
    import_real_hierarchy(ws, admin)
    assert ws.summary()["regions"] == {
        "municipality": 342,
        "national": 1,
        "province": 12,
        "res_region": 30,
    }

    # Parents agree with the CBS table, read independently.
    cbs = pd.read_csv(shared_data / "tables" / "cbs_gemeente_provincie_res_2024.csv")
    assert len(cbs) == 342 and cbs["inwoners_2024"].sum() == 17_942_942
    links = ws.region_parents()
    res_of = dict(links[links["parent_code"].str.startswith("ES")].to_numpy())
    pv_of = dict(
        links[
            links["parent_code"].str.startswith("PV") & links["code"].str.startswith("GM")
        ].to_numpy()
    )
    assert res_of == dict(zip(cbs["gm_code"], cbs["res_code"], strict=True))
    assert pv_of == dict(zip(cbs["gm_code"], cbs["pv_code"], strict=True))

    # Foodvalley (ES09) spans two provinces.
    members = [gm for gm, res in res_of.items() if res == "ES09"]
    assert len(members) == 8
    assert {pv_of[gm] for gm in members} == set(cbs[cbs["res_code"] == "ES09"]["pv_code"])
    assert len({pv_of[gm] for gm in members}) == 2

    # Areas: the stored municipalities against the source file's own geometry.
    source = pyogrio.read_dataframe(admin, layer="gemeenten")
    stored = ws.regions("municipality").set_index("code")
    expected_km2 = source.set_index("gm_code").geometry.area / 1e6
    assert (stored.geometry.area / 1e6).reindex(expected_km2.index).to_numpy() == pytest.approx(
        expected_km2.to_numpy(), rel=1e-9
    )
    # ... and the national area equals the sum of the municipalities (one tiling).
    national = ws.regions("national").geometry.area.iloc[0]
    assert national == pytest.approx(float(shapely.area(source.geometry.values).sum()), rel=1e-3)
    assert ws.dataset("regions_nl_admin_2024_cbs_gemeenten").feature_count == 342


def test_drenthe_test_region(ws: Workspace, shared_data: Path) -> None:
    gpkg = shared_data / "region_drenthe" / "drenthe_testregion.gpkg"
    ws.import_regions(
        gpkg,
        layer="gemeenten",
        code_field="gm_code",
        name_field="gm_name",
        level="municipality",
        parent_field="res_code",
        extra_parent_fields=["pv_code"],
    )
    report = ws.import_file(
        gpkg, layer="windturbines_rivm", function="wind_turbine", licence="RIVM"
    )
    assert report.feature_count == 115
    solar = ws.import_file(gpkg, layer="solar_parks", function="solar_field")
    assert solar.feature_count == 35
    natura = ws.import_file(gpkg, layer="natura2000", function="nature_reserve")
    source = pyogrio.read_dataframe(gpkg, layer="natura2000")
    stored = ws.read_dataset(natura.dataset)
    assert stored.geometry.area.sum() == pytest.approx(
        shapely.area(source.geometry.values).sum(), rel=1e-6
    )
    province = pyogrio.read_dataframe(gpkg, layer="provincie").geometry.area.sum()
    assert ws.regions().geometry.area.sum() == pytest.approx(province, rel=1e-3)
    assert len(ws.regions()) == 12


def test_power_plants_mapped_by_technology(ws: Workspace, shared_data: Path) -> None:
    path = shared_data / "energy" / "powerplantmatching_nl_2024-09.gpkg"
    report = ws.import_file(
        path,
        mapping={"field": "Technology", "values": {"Onshore": "wind_turbine", "PV": "solar_field"}},
        licence="CC-BY-4.0",
    )
    assert report.feature_count == 448
    assert report.functions == {"solar_field": 221, "wind_turbine": 129}
    stored = ws.read_dataset(report.dataset)
    wind = stored[stored["function"] == "wind_turbine"]["Capacity"].sum()
    source = pyogrio.read_dataframe(path)
    assert wind == pytest.approx(source[source["Technology"] == "Onshore"]["Capacity"].sum())
    assert wind == pytest.approx(5_471.5, abs=0.5)  # MANIFEST: 5,472 MW onshore


def test_power_plants_import_whole_with_the_example_mapping(ws: Workspace, shared_data: Path) -> None:
    """Every fuel of powerplantmatching has a function: all 448 plants come in."""
    path = shared_data / "energy" / "powerplantmatching_nl_2024-09.gpkg"
    mapping = Path(__file__).resolve().parents[1] / "examples" / "mappings" / "powerplantmatching.yaml"
    report = ws.import_file(path, mapping=load_mapping(mapping), licence="CC-BY-4.0")
    source = pyogrio.read_dataframe(path)
    assert report.feature_count == len(source) == 448
    assert sum(report.functions.values()) == 448
    assert report.functions == {
        "wind_turbine": 148,
        "solar_field": 221,
        "gas_power_plant": 53,
        "biomass_power_plant": 12,
        "coal_power_plant": 9,
        "power_plant": 2,
        "oil_power_plant": 1,
        "nuclear_power_plant": 1,
        "biogas_plant": 1,
    }
    stored = ws.read_dataset(report.dataset)
    by_function = stored.groupby("function")["Capacity"].sum()
    by_fuel = source.groupby("Fueltype")["Capacity"].sum()
    assert by_function["gas_power_plant"] == pytest.approx(by_fuel["Natural Gas"])
    assert by_function["coal_power_plant"] == pytest.approx(by_fuel["Hard Coal"])
    assert stored["Capacity"].sum() == pytest.approx(source["Capacity"].sum())
    vocab = ws.vocabulary
    assert {vocab.function(f).esdl_class for f in ("gas_power_plant", "nuclear_power_plant")} == {
        "PowerPlant"
    }


def test_osm_grid_is_reprojected_with_voltages_kept(ws: Workspace, shared_data: Path) -> None:
    path = shared_data / "grid" / "osm_scigrid_nl_2017.gpkg"
    lines = ws.import_file(path, layer="heuristic_lines", function="hv_line", licence="ODbL")
    nodes = ws.import_file(path, layer="heuristic_nodes", function="substation", licence="ODbL")
    assert (lines.feature_count, nodes.feature_count) == (1163, 1030)
    assert lines.original_crs == "EPSG:4326" and lines.reprojected
    stored = ws.read_dataset(lines.dataset)
    assert stored.crs.to_epsg() == 28992
    assert "150000;150000" in set(stored["voltage"].dropna())
    # Independent length: geodesic length on the ellipsoid from the source lon/lat.
    from pyproj import Geod

    source = pyogrio.read_dataframe(path, layer="heuristic_lines")
    geod = Geod(ellps="bessel")
    geodesic_km = sum(geod.geometry_length(g) for g in source.geometry) / 1000
    projected_km = stored.geometry.length.sum() / 1000
    # RD New's scale factor stays within about 1e-4 of 1 across the country
    assert projected_km == pytest.approx(geodesic_km, rel=3e-4)
    assert 5_000 < projected_km < 15_000
