# SPDX-License-Identifier: Apache-2.0
"""ESDL import -> export loses nothing: real files, every EnergyAsset class, edits."""

from __future__ import annotations

import esdl
import esdl.esdl as esdl_classes
import geopandas as gpd
import pytest
from esdl.esdl_handler import EnergySystemHandler
from pyecore.ecore import EClass
from shapely import box

from ruimte.exchange.esdl_compare import describe
from ruimte.exchange.esdl_export import export_esdl
from ruimte.exchange.esdl_fields import read_ruimte_kpis
from ruimte.exchange.esdl_import import import_esdl

REAL_FILES = ["Ameland_energie_2015.esdl", "hybrid_hp_with_pv_storage.esdl"]


def _resaved(path, tmp_path):
    """The file as pyESDL itself writes it back (load -> save, no change)."""
    handler = EnergySystemHandler()
    handler.load_file(str(path))
    out = tmp_path / f"pyesdl-{path.name}"
    handler.save(filename=str(out))
    return out


def assert_same_system(original, exported, tmp_path, *, except_ids=()):
    """Same assets, connections, carriers, KPIs, areas, metadata; same attributes."""
    a, b = describe(original), describe(exported)
    for key in ("assets", "connections", "carriers", "areas", "system"):
        assert a[key] == b[key], key
    # attribute values as pyESDL reads and writes them (it fills enum defaults
    # such as InfluxDBProfile.profileType on save, with or without ruimte)
    base = describe(_resaved(original, tmp_path))
    skip = set(except_ids)
    same = {k: v for k, v in base["attributes"].items() if k[1] not in skip}
    got = {k: v for k, v in b["attributes"].items() if k[1] not in skip}
    assert same == got
    assert {k: v for k, v in a["geometry"].items() if k not in skip} == {
        k: v for k, v in b["geometry"].items() if k not in skip
    }


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_round_trip_loses_nothing(ws, shared_data, tmp_path, name):
    path = shared_data / "esdl" / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    summary = import_esdl(ws, path, scenario="s")
    assert sum(summary["modelled"].values()) == summary["claims"]
    out = tmp_path / "out.esdl"
    result = export_esdl(ws, "s", out)
    assert result["base"] == name and not result["changed"] and not result["added"]
    assert_same_system(path, out, tmp_path)


def test_ameland_counts(ws, shared_data, tmp_path):
    path = shared_data / "esdl" / "Ameland_energie_2015.esdl"
    import_esdl(ws, path, scenario="s")
    export_esdl(ws, "s", tmp_path / "out.esdl")
    before, after = describe(path), describe(tmp_path / "out.esdl")
    assert sum(before["assets"].values()) == sum(after["assets"].values()) == 79
    assert len(before["connections"]) == len(after["connections"]) == 77


def energy_asset_classes() -> list[str]:
    """Every concrete EnergyAsset subclass in pyESDL."""
    out = []
    for name in dir(esdl_classes):
        cls = getattr(esdl_classes, name)
        ecls = getattr(cls, "eClass", None)
        if isinstance(cls, type) and isinstance(ecls, EClass) and not ecls.abstract:
            if esdl_classes.EnergyAsset.eClass in ecls.eAllSuperTypes():
                out.append(name)
    return sorted(out)


def test_there_are_many_energy_asset_classes():
    assert len(energy_asset_classes()) > 60
    assert {"WindTurbine", "PVPark", "PowerPlant", "HeatPump", "Battery"} <= set(
        energy_asset_classes()
    )


@pytest.fixture
def every_class_file(tmp_path):
    """An ESDL file with one located, connected asset of every EnergyAsset class."""
    handler = EnergySystemHandler()
    es = handler.create_empty_energy_system("all", "every class", "Instance", "Area")
    es.energySystemInformation = esdl.EnergySystemInformation(id="esi")
    es.energySystemInformation.carriers = esdl.Carriers(id="carriers")
    carrier = esdl.ElectricityCommodity(id="el", name="Electricity", voltage=10000.0)
    es.energySystemInformation.carriers.carrier.append(carrier)
    area = es.instance[0].area
    hub = esdl.ElectricityNetwork(id="net", name="net")
    hub_in = esdl.InPort(id="net-in", carrier=carrier)
    hub.port.append(hub_in)
    area.asset.append(hub)
    for i, name in enumerate(energy_asset_classes()):
        asset = getattr(esdl, name)(id=f"a{i}", name=f"{name} {i}")
        asset.geometry = esdl.Point(lat=52.0 + i * 0.001, lon=5.0, CRS="WGS84")
        if hasattr(asset, "power"):
            asset.power = 1e6 * (i + 1)
        asset.state = esdl.AssetStateEnum.OPTIONAL if i % 2 else esdl.AssetStateEnum.ENABLED
        out = esdl.OutPort(id=f"a{i}-out", carrier=carrier)
        out.connectedTo.append(hub_in)
        asset.port.append(out)
        area.asset.append(asset)
    path = tmp_path / "every_class.esdl"
    handler.save(filename=str(path))
    return path


def test_every_energy_asset_class_round_trips(ws, every_class_file, tmp_path):
    summary = import_esdl(ws, every_class_file, scenario="all")
    assert summary["errors"] == []
    assert summary["claims"] >= 10  # the classes ruimte models
    assert (
        sum(summary["modelled"].values()) + sum(summary["kept"].values())
        == len(energy_asset_classes()) + 1
    )
    out = tmp_path / "out.esdl"
    export_esdl(ws, "all", out)
    assert_same_system(every_class_file, out, tmp_path)


def test_an_edited_claim_changes_in_the_export_and_nothing_else(ws, shared_data, tmp_path):
    path = shared_data / "esdl" / "Ameland_energie_2015.esdl"
    import_esdl(ws, path, scenario="s")
    claims = ws.claims("s").set_index("claim_id")
    pv = claims[claims["function"] == "solar_field"].index[0]
    pv_asset = pv.removeprefix("esdl-")
    ws.update_claim(
        pv,
        {"quantity": 8.5, "status": "proposed", "owner": "Gemeente Ameland",
         "horizon_year": 2030, "governance_level": "municipality"},
        expected_version=1,
    )  # fmt: skip
    out = tmp_path / "out.esdl"
    result = export_esdl(ws, "s", out)
    assert set(result["changed"]) == {pv_asset}
    assert {"quantity", "status", "owner"} <= set(result["changed"][pv_asset])
    back = EnergySystemHandler().load_file(str(out))
    asset = next(a for a in back.eAllContents() if getattr(a, "id", None) == pv_asset)
    assert asset.power == pytest.approx(8.5e6)
    assert asset.state.name == "OPTIONAL"
    assert read_ruimte_kpis(asset)["owner"] == "Gemeente Ameland"
    kpi_ids = {f"{pv_asset}-kpis"} | {f"{pv_asset}-ruimte-{f}" for f in read_ruimte_kpis(asset)}
    a, b = describe(path), describe(out)
    assert a["assets"] == b["assets"] and a["connections"] == b["connections"]
    base = describe(_resaved(path, tmp_path))["attributes"]
    differ = {k for k in set(base) | set(b["attributes"]) if base.get(k) != b["attributes"].get(k)}
    assert {k[1] for k in differ} <= {pv_asset, *kpi_ids}
    # and it comes back on import with the edited values, not 'realised'
    ws2_path = tmp_path / "ws2"
    from ruimte.workspace import Workspace

    ws2 = Workspace.init(ws2_path)
    import_esdl(ws2, out, scenario="back")
    again = ws2.claims("back").set_index("claim_id").loc[pv]
    assert (again["status"], again["owner"], int(again["horizon_year"])) == (
        "proposed", "Gemeente Ameland", 2030
    )  # fmt: skip
    assert again["governance_level"] == "municipality" and again["quantity"] == 8.5


def test_a_withdrawn_claim_is_removed_and_a_new_claim_is_connected(ws, shared_data, tmp_path):
    path = shared_data / "esdl" / "Ameland_energie_2015.esdl"
    import_esdl(ws, path, scenario="s")
    ws.add_claims(
        gpd.GeoDataFrame(
            {"claim_id": ["W-new"], "function": ["wind_turbine"], "quantity": [4.2],
             "unit": ["MW"], "scenario": ["s"], "status": ["idea"]},
            geometry=[box(178000, 606000, 179000, 607000)], crs="EPSG:28992",
        )
    )  # fmt: skip
    out = tmp_path / "out.esdl"
    result = export_esdl(ws, "s", out)
    assert result["added"] == ["W-new"]
    back = EnergySystemHandler().load_file(str(out))
    park = next(a for a in back.eAllContents() if getattr(a, "id", None) == "W-new")
    assert type(park).__name__ == "WindPark" and type(park.geometry).__name__ == "Polygon"
    assert park.state.name == "OPTIONAL"
    assert all(p.connectedTo for p in park.port)
    assert sum(describe(out)["assets"].values()) == 80


def test_state_and_status_round_trip(ws, tmp_path):
    from ruimte.exchange.esdl_export import build_energy_system
    from ruimte.exchange.esdl_import import read_esdl

    statuses = ["idea", "proposed", "adopted", "realised"]
    claims = gpd.GeoDataFrame(
        {"claim_id": [f"C{i}" for i in range(4)], "function": ["wind_turbine"] * 4,
         "quantity": [1.0, 2.0, 3.0, 4.0], "unit": ["MW"] * 4, "status": statuses,
         "owner": ["A", "B", None, "D"], "governance_level": ["province"] * 4,
         "horizon_year": [2030, 2035, 2040, None]},
        geometry=[box(i * 10, 0, i * 10 + 5, 5).centroid for i in range(4)], crs="EPSG:28992",
    )  # fmt: skip
    handler, _ = build_energy_system(claims, ws.vocabulary, name="t")
    states = [a.state.name for a in handler.energy_system.eAllContents()
              if isinstance(a, esdl.WindTurbine)]  # fmt: skip
    assert states == ["OPTIONAL", "OPTIONAL", "ENABLED", "ENABLED"]
    out = tmp_path / "t.esdl"
    handler.save(filename=str(out))
    back = read_esdl(out, ws.vocabulary).claims.set_index("claim_id").loc[claims["claim_id"]]
    assert back["status"].tolist() == statuses
    assert back["owner"].tolist()[:2] == ["A", "B"] and back["horizon_year"].tolist()[:3] == [
        2030, 2035, 2040
    ]  # fmt: skip
    # a plain ESDL file without ruimte's KPIs: the state decides
    for asset in handler.energy_system.eAllContents():
        if isinstance(asset, esdl.WindTurbine):
            asset.KPIs = None
    handler.save(filename=str(out))
    plain = read_esdl(out, ws.vocabulary).claims
    assert plain["status"].tolist() == ["proposed", "proposed", "realised", "realised"]


def _one_asset_file(tmp_path, asset, name="one.esdl"):
    handler = EnergySystemHandler()
    es = handler.create_empty_energy_system("one", "", "Instance", "Area")
    es.instance[0].area.asset.append(asset)
    path = tmp_path / name
    handler.save(filename=str(path))
    return path


def test_turbine_without_geometry_is_a_not_located_claim_and_exports(ws, tmp_path):
    ws.add_regions(gpd.GeoDataFrame(
        {"code": ["NL"], "name": ["Nederland"], "level": ["national"]},
        geometry=[box(0, 300000, 300000, 630000)], crs="EPSG:28992"))  # fmt: skip
    path = _one_asset_file(tmp_path, esdl.WindTurbine(id="t1", name="T1", power=3e6))
    summary = import_esdl(ws, path, scenario="s")
    assert summary["claims"] == 1
    claim = ws.claims("s").iloc[0]
    assert claim.geometry is None or claim.geometry.is_empty
    assert (claim["region_code"], claim["quantity"], claim["unit"]) == ("NL", 3.0, "MW")
    from ruimte.workspace import schema

    with ws.transaction():  # forget the kept file: export as a new system
        ws.store.delete(schema.ESDL_SOURCES.name, "scenario", ["s"])
    result = export_esdl(ws, "s", tmp_path / "out.esdl")
    assert result["assets"] == 2  # the turbine and the network it connects to


def test_turbine_without_geometry_and_no_region_is_kept(ws, tmp_path):
    path = _one_asset_file(tmp_path, esdl.WindTurbine(id="t1", name="T1", power=3e6))
    summary = import_esdl(ws, path, scenario="s")
    assert summary["claims"] == 0 and summary["kept"] == {"WindTurbine": 1}
    assert "no region to count them in (t1)" in " ".join(summary["notes"])
    export_esdl(ws, "s", tmp_path / "out.esdl")
    assert describe(tmp_path / "out.esdl")["assets"] == describe(path)["assets"]


def test_a_power_plant_is_modelled(ws, tmp_path):
    plant = esdl.PowerPlant(id="p1", name="AVI", power=50e6)
    plant.geometry = esdl.Point(lat=52.4, lon=4.8)
    summary = import_esdl(ws, _one_asset_file(tmp_path, plant), scenario="s")
    assert summary["modelled"] == {"PowerPlant": 1}
    assert ws.claims("s").iloc[0]["quantity"] == 50.0


def test_sites_quantity_round_trips(ws, tmp_path):
    from ruimte.exchange.esdl_export import build_energy_system
    from ruimte.exchange.esdl_import import read_esdl

    claims = gpd.GeoDataFrame(
        {"claim_id": ["B1"], "function": ["biogas_plant"], "quantity": [3.0], "unit": ["sites"]},
        geometry=[box(0, 0, 10, 10).centroid],
        crs="EPSG:28992",
    )
    handler, notes = build_energy_system(claims, ws.vocabulary, name="t")
    assert not notes
    out = tmp_path / "t.esdl"
    handler.save(filename=str(out))
    back = read_esdl(out, ws.vocabulary).claims.iloc[0]
    assert (back["quantity"], back["unit"]) == (3.0, "sites")


def test_bad_geometry_names_the_asset_and_keeps_the_rest(ws, tmp_path):
    good = esdl.WindTurbine(id="good", name="Good", power=2e6)
    good.geometry = esdl.Point(lat=52.1, lon=5.1)
    bad = esdl.PVPark(id="bad-pv", name="Bad", power=1e6)
    bad.geometry = esdl.Polygon(exterior=esdl.SubPolygon(point=[esdl.Point(lat=52.0, lon=5.0)]))
    far = esdl.WindTurbine(id="far", name="Far", power=2e6)
    far.geometry = esdl.Point(lat=520.0, lon=5.1)
    handler = EnergySystemHandler()
    es = handler.create_empty_energy_system("h", "", "Instance", "Area")
    es.instance[0].area.asset.extend([good, bad, far])
    path = tmp_path / "hostile.esdl"
    handler.save(filename=str(path))
    summary = import_esdl(ws, path, scenario="s")
    assert summary["claims"] == 1 and summary["modelled"] == {"WindTurbine": 1}
    errors = " ".join(summary["errors"])
    assert (
        "hostile.esdl: asset 'bad-pv' (PVPark Bad): its Polygon geometry has too few points"
        in errors
    )
    assert "asset 'far'" in errors and "outside lon -180..180" in errors
    export_esdl(ws, "s", tmp_path / "out.esdl")  # the bad assets are written back as they were
    assert describe(tmp_path / "out.esdl")["assets"] == describe(path)["assets"]


def test_cli_reports_modelled_kept_and_errors_without_traceback(ws, tmp_path):
    import json

    from click.testing import CliRunner

    from ruimte.cli.main import main

    bad = esdl.PVPark(id="bad-pv", name="Bad", power=1e6)
    bad.geometry = esdl.Polygon(exterior=esdl.SubPolygon(point=[esdl.Point(lat=52.0, lon=5.0)]))
    path = _one_asset_file(tmp_path, bad, "hostile.esdl")
    res = CliRunner().invoke(main, ["esdl", "import", str(ws.path), str(path), "-s", "s"])
    assert res.exit_code == 0, res.output
    assert "kept verbatim: PVPark 1" in res.output and "asset 'bad-pv'" in res.output
    assert "Traceback" not in res.output
    broken = tmp_path / "broken.esdl"
    broken.write_text("<esdl:EnergySystem xmlns:esdl='http://www.tno.nl/esdl'><instance>")
    res = CliRunner().invoke(main, ["esdl", "import", str(ws.path), str(broken), "--json"])
    assert res.exit_code == 2 and "broken.esdl: pyESDL cannot read it" in res.output
    assert "Traceback" not in res.output
    good = esdl.WindTurbine(id="g", name="G", power=1e6)
    good.geometry = esdl.Point(lat=52.1, lon=5.1)
    path = _one_asset_file(tmp_path, good, "good.esdl")
    res = CliRunner().invoke(main, ["esdl", "import", str(ws.path), str(path), "-s", "t", "--json"])
    report = json.loads(res.output)
    assert report["modelled"] == {"WindTurbine": 1} and report["kept"] == {}


@pytest.mark.gpkg_only("migrates a schema-2 GeoPackage written with sqlite3")
def test_schema_2_workspace_gets_the_esdl_sources_table(ws):
    import sqlite3

    from ruimte.workspace import Workspace, schema

    with sqlite3.connect(ws.path / "workspace.gpkg") as con:
        con.execute('DROP TABLE "esdl_sources"')
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'esdl_sources'")
        con.execute("UPDATE ruimte_meta SET value = '2' WHERE key = 'schema_version'")
    again = Workspace.open(ws.path)
    assert again.schema_version == schema.SCHEMA_VERSION
    assert "esdl_sources" in again.layer_names()


@pytest.mark.slow
def test_demo_export_has_every_port_connected(demo_ws, tmp_path):
    out = tmp_path / "demo.esdl"
    export_esdl(demo_ws, "ambitie", out)
    root = EnergySystemHandler().load_file(str(out))  # no dangling references
    ports = [p for p in root.eAllContents() if isinstance(p, esdl.Port)]
    assert len(ports) > 30
    assert all(p.connectedTo for p in ports)
    assert all(p.carrier is not None for p in ports)
    classes = {type(a).__name__ for a in root.eAllContents() if isinstance(a, esdl.Asset)}
    assert "ElectricityNetwork" in classes
