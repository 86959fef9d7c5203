# SPDX-License-Identifier: Apache-2.0
"""ESDL in and out with pyESDL: the real files and a round trip."""

from __future__ import annotations

import json

import esdl
import geopandas as gpd
import pytest
from click.testing import CliRunner
from esdl.esdl_handler import EnergySystemHandler
from shapely import Point, box

from ruimte.cli.main import main
from ruimte.exchange.esdl_export import build_energy_system, export_esdl
from ruimte.exchange.esdl_import import EsdlImportError, import_esdl, read_esdl
from ruimte.vocab import load_vocabulary


@pytest.fixture
def ameland(shared_data):
    return shared_data / "esdl" / "Ameland_energie_2015.esdl"


def test_read_ameland_accounts_for_all_79_assets(ameland):
    found = read_esdl(ameland, load_vocabulary())
    assert found.name == "Ameland 2015"
    # SOURCES.md: Transformer 8, ElectricityCable 10, PVPark 1 (6 MW), Pipe 1, and 59 others
    assert len(found.substations) == 8
    assert len(found.lines) == 10
    assert (
        len(found.claims) + len(found.substations) + len(found.lines) + sum(found.skipped.values())
        == 79
    )
    pv = found.claims[found.claims["function"] == "solar_field"].iloc[0]
    assert (pv["quantity"], pv["unit"]) == (6.0, "MWp")
    assert pv["description"].endswith("carrier Electricity)")
    assert set(found.lines["carrier"]) == {"Electricity"}
    assert found.skipped["ElectricityDemand"] == 21 and found.skipped["HeatingDemand"] == 21
    # the island lies around x 170-190 km, y 600-610 km in RD New
    xmin, ymin, xmax, ymax = found.lines.total_bounds
    assert 165_000 < xmin < xmax < 200_000 and 595_000 < ymin < ymax < 615_000
    assert found.lines["length_km"].sum() == pytest.approx(33.96, abs=0.05)  # cable lengths


def test_import_ameland_into_workspace(ws, ameland):
    summary = import_esdl(ws, ameland, scenario="ameland")
    assert (summary["claims"], summary["substations"], summary["lines"]) == (2, 8, 10)
    assert "59 asset(s) of types ruimte does not model" in summary["notes"][0]
    claims = ws.claims("ameland")
    assert sorted(claims["function"]) == ["gas_pipeline", "solar_field"]  # Pipe carries NaturalGas
    assert set(claims["status"]) == {"realised"}
    subs = ws.read_dataset("esdl_ameland_energie_2015_substations")
    assert len(subs) == 8 and set(subs["function"]) == {"substation"}


def test_not_xml_is_refused_and_nothing_stored(ws, tmp_path, digest):
    bad = tmp_path / "energy.esdl"
    bad.write_text('{"this": "is json"}')
    before = digest(ws)
    with pytest.raises(
        EsdlImportError, match=r"energy.esdl: not an ESDL file: the content is not XML"
    ):
        import_esdl(ws, bad)
    assert digest(ws) == before
    broken = tmp_path / "broken.esdl"
    broken.write_text("<esdl:EnergySystem xmlns:esdl='http://www.tno.nl/esdl'><instance>")
    with pytest.raises(EsdlImportError, match="broken.esdl: pyESDL cannot read it"):
        import_esdl(ws, broken)
    assert digest(ws) == before


def test_root_that_is_not_an_energy_system(tmp_path):
    area = esdl.Area(id="a1", name="Wijk")
    turbine = esdl.WindTurbine(id="t1", name="T1", power=3.6e6)
    turbine.geometry = esdl.Point(lat=52.1, lon=5.1)
    area.asset.append(turbine)
    area.asset.append(esdl.HeatPump(id="hp", name="HP", power=5e3))
    handler = EnergySystemHandler()
    handler.create_empty_energy_system("tmp")
    path = tmp_path / "area.esdl"
    resource = handler.rset.create_resource(str(path))
    resource.append(area)
    resource.save()
    found = read_esdl(path, load_vocabulary())
    assert "the root is a Area, not an EnergySystem" in found.notes[0]
    assert found.claims["quantity"].tolist() == [3.6] and found.claims["unit"].tolist() == ["MW"]
    assert found.skipped == {"HeatPump": 1}


def test_round_trip_same_assets_capacities_locations(tmp_path):
    vocab = load_vocabulary()
    crs = "EPSG:28992"
    claims = gpd.GeoDataFrame(
        {"claim_id": ["W1", "S1", "H1", "B1", "E1", "N1", "P1"],
         "function": ["wind_turbine", "solar_field", "housing", "battery", "business_park",
                      "nature_reserve", "electrolyser"],
         "quantity": [5.6, 20.8, 1800.0, 20.0, 25.0, 100.0, 20.0],
         "unit": ["MW", "MWp", "homes", "MW", "ha", "ha", "MW"],
         "description": ["turbine", "solar", "homes", "battery", "park", "nature", "h2"]},
        geometry=[Point(201325.471, 482598.9), box(196500, 483924, 197000, 484424),
                  box(190390, 491429, 191160, 492199), Point(192121.5, 489100),
                  box(192705, 489250, 193205, 489750), box(0, 0, 1, 1), None],
        crs=crs,
    )  # fmt: skip
    handler, notes = build_energy_system(claims, vocab, name="test")
    out = tmp_path / "test.esdl"
    handler.save(filename=str(out))
    assert notes[-1].endswith("left out: N1")  # nature has no ESDL class
    back_es = EnergySystemHandler().load_file(str(out))
    assets = {a.id: a for a in back_es.eAllContents() if isinstance(a, esdl.Asset)}
    # P1 has no location: written without a geometry (it used to be left out)
    # the electrolyser's hydrogen out port gets a hydrogen network (esdl_function_carriers.csv)
    assert set(assets) == {"W1", "S1", "H1", "B1", "E1", "P1", "ruimte-electricity-network",
                           "ruimte-hydrogen-network"}  # fmt: skip
    assert [p.carrier.name for p in assets["P1"].port] == ["Electricity", "Hydrogen"]
    assert assets["P1"].geometry is None
    assert type(assets["W1"]).__name__ == "WindTurbine" and assets["W1"].power == 5.6e6
    assert type(assets["S1"]).__name__ == "PVPark" and assets["S1"].power == pytest.approx(20.8e6)
    assert assets["H1"].numberOfBuildings == 1800
    assert assets["B1"].maxChargeRate == 20e6
    found = read_esdl(out, vocab, crs=crs)
    assert found.claims.set_index("claim_id").loc["P1"].geometry is None
    again = found.claims.dropna(subset=["geometry"])
    again = again.assign(claim_id=again["claim_id"].str.removeprefix("esdl-"))
    again = again.set_index("claim_id").sort_index()
    orig = claims.set_index("claim_id").loc[again.index]
    assert again["function"].tolist() == orig["function"].tolist()
    assert again["quantity"].tolist() == pytest.approx(orig["quantity"].tolist())
    assert again["unit"].tolist() == orig["unit"].tolist()
    # locations survive RD New -> WGS84 -> RD New to the millimetre
    assert again.geometry.distance(orig.geometry, align=False).max() < 1e-3
    assert again.geometry.area.to_numpy() == pytest.approx(orig.geometry.area.to_numpy(), rel=1e-6)


def test_export_demo_scenario_cli_round_trip(demo_ws, tmp_path):
    out = tmp_path / "ambitie.esdl"
    res = CliRunner().invoke(
        main, ["esdl", "export", str(demo_ws.path), str(out), "-s", "ambitie", "--json"]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    found = read_esdl(out, demo_ws.vocabulary, crs=demo_ws.crs)
    assert len(found.substations) == 9 and len(found.lines) == 10
    # + 2 Bus junctions at the open ends of feeders L002 and L003, + the electricity,
    # heat (the heat-network claim) and hydrogen (the electrolyser's output) networks
    assert summary["assets"] == len(found.claims) + 19 + 2 + 3
    caps = found.substations.set_index("name")["capacity_mva"]
    assert caps["Lindeweer-Oost 150/20 kV"] == pytest.approx(160.0)
    scenario_claims = demo_ws.claims("ambitie")  # located or not: all are exported now
    exported = scenario_claims[
        scenario_claims["function"].map(lambda f: bool(demo_ws.vocabulary.function(f).esdl_class))
    ]
    assert len(found.claims) == len(exported)
    # import into a fresh workspace: claims come back with the same quantities
    res = CliRunner().invoke(main, ["esdl", "import", str(demo_ws.path), str(out), "-s", "esdl_in"])
    assert res.exit_code == 0, res.output
    back = demo_ws.claims("esdl_in", inherit=False).set_index("claim_id")
    assert back.loc["esdl-C103", "quantity"] == pytest.approx(40.4)
    assert back.loc["esdl-C103", "function"] == "floating_solar"


def test_export_empty_scenario_is_an_error(ws, tmp_path):
    import pandas as pd

    ws.add_scenarios(pd.DataFrame({"name": ["leeg"]}))
    with pytest.raises(Exception, match="no claim with an ESDL class and no grid"):
        export_esdl(ws, "leeg", tmp_path / "x.esdl")
    assert not (tmp_path / "x.esdl").exists()


def test_second_import_of_the_same_file_fails_and_keeps_the_first(ws, ameland, digest):
    import_esdl(ws, ameland)
    before = digest(ws)
    with pytest.raises(Exception, match="esdl-"):
        import_esdl(ws, ameland)  # same claim ids: refused as a whole
    assert digest(ws) == before
    assert len(ws.claims("basis")) == 2


def test_cli_import_not_xml_exits_2(ws, tmp_path):
    bad = tmp_path / "x.esdl"
    bad.write_bytes(b"PK\x03\x04 zip, not xml")
    res = CliRunner().invoke(main, ["esdl", "import", str(ws.path), str(bad)])
    assert res.exit_code == 2
    assert "x.esdl: not an ESDL file: the content is not XML" in res.output


def test_an_imported_esdl_grid_joins_the_workspace_grid(demo_ws, ameland):
    """Ameland's substations have no ids of their own: they get fresh ones, never 'nan'."""
    from ruimte.analysis.grid.network_import import model_from_workspace

    import_esdl(demo_ws, ameland, scenario="ameland")
    model = model_from_workspace(demo_ws)
    ids = model.substations["substation_id"]
    assert ids.is_unique and "nan" not in set(ids)
    assert len(model.substations) == 9 + 8  # the demo's and Ameland's
    assert model.substations["name"].notna().all()
