# SPDX-License-Identifier: Apache-2.0
"""Exports use the carrier of each function: heat and gas claims join networks of their carrier."""

from __future__ import annotations

import csv
from collections import Counter

import esdl
import geopandas as gpd
import pandas as pd
import pytest
from esdl.esdl_handler import EnergySystemHandler
from shapely import LineString, Point, box

from ruimte.exchange.esdl_carriers import carrier_specs, function_carriers
from ruimte.exchange.esdl_export import export_esdl
from ruimte.exchange.esdl_import import import_esdl, read_esdl
from ruimte.vocab import load_vocabulary


def _claims(rows):
    return gpd.GeoDataFrame(
        {
            "claim_id": [r[0] for r in rows],
            "function": [r[1] for r in rows],
            "quantity": [r[2] for r in rows],
            "unit": [r[3] for r in rows],
            "scenario": ["s"] * len(rows),
            "status": ["proposed"] * len(rows),
        },
        geometry=[r[4] for r in rows],
        crs="EPSG:28992",
    )


HEAT_AND_GAS = [
    ("G1", "geothermal_well", 1.0, "sites", Point(230000, 540000)),
    ("H1", "heat_network", 4.0, "km", LineString([(230000, 540000), (234000, 540000)])),
    ("P1", "gas_pipeline", 6.0, "km", LineString([(231000, 541000), (237000, 541000)])),
    ("C1", "gas_power_plant", 400.0, "MW", Point(236000, 541000)),
    ("W1", "wind_turbine", 4.2, "MW", Point(232000, 545000)),
]


def _add(ws, rows):
    if "s" not in set(ws.scenarios()["name"]):
        ws.add_scenarios(pd.DataFrame({"name": ["s"], "description": ["carriers test"]}))
    ws.add_claims(_claims(rows))


def _carrier_of_ports(asset):
    return sorted((type(p).__name__, p.carrier.name) for p in asset.port)


def test_heat_and_gas_claims_join_networks_of_their_carrier(ws, tmp_path, esdl_topology):
    _add(ws, HEAT_AND_GAS)
    out = tmp_path / "s.esdl"
    export_esdl(ws, "s", out)
    _, root = esdl_topology(out)  # every port connected, same carrier on both ends of each
    assets = {str(a.id): a for a in root.eAllContents() if isinstance(a, esdl.Asset)}
    assert _carrier_of_ports(assets["G1"]) == [("OutPort", "Heat")]
    assert _carrier_of_ports(assets["H1"]) == [("InPort", "Heat"), ("OutPort", "Heat")]
    gas = "Natural gas"
    assert _carrier_of_ports(assets["P1"]) == [("InPort", gas), ("OutPort", gas)]
    assert _carrier_of_ports(assets["C1"]) == [("InPort", gas), ("OutPort", "Electricity")]
    assert _carrier_of_ports(assets["W1"]) == [("OutPort", "Electricity")]

    def networks_of(asset):
        return sorted(type(q.energyasset).__name__ for p in asset.port for q in p.connectedTo)

    assert networks_of(assets["G1"]) == ["HeatNetwork"]
    assert networks_of(assets["H1"]) == ["HeatNetwork", "HeatNetwork"]
    assert networks_of(assets["P1"]) == ["GasNetwork", "GasNetwork"]
    assert networks_of(assets["C1"]) == ["ElectricityNetwork", "GasNetwork"]  # no grid here
    carriers = Counter(type(c).__name__ for c in root.energySystemInformation.carriers.carrier)
    assert carriers == {"ElectricityCommodity": 1, "HeatCommodity": 1, "GasCommodity": 1}
    # read back: the pipes' carriers tell heat and gas apart even without ruimte's assetType
    for a in (assets["H1"], assets["P1"]):
        a.assetType = None
        a.KPIs = None
    handler = EnergySystemHandler()
    handler.energy_system = root
    plain = tmp_path / "plain.esdl"
    handler.save(filename=str(plain))
    back = read_esdl(plain, ws.vocabulary).claims.set_index("esdl_id")
    assert back.loc["H1", "function"] == "heat_network"
    assert back.loc["P1", "function"] == "gas_pipeline"


def test_hydrogen_out_of_an_electrolyser_is_its_own_network(ws, tmp_path, esdl_topology):
    _add(ws, [("E1", "electrolyser", 20.0, "MW", Point(230000, 540000)),
                           ("P2", "hydrogen_pipeline", 3.0, "km",
                            LineString([(230000, 540000), (233000, 540000)]))])  # fmt: skip
    out = tmp_path / "s.esdl"
    export_esdl(ws, "s", out)
    _, root = esdl_topology(out)
    nets = {type(a).__name__: a for a in root.eAllContents() if isinstance(a, esdl.EnergyNetwork)}
    assert set(nets) == {"ElectricityNetwork", "GasNetwork"}
    assert {p.carrier.name for p in nets["GasNetwork"].port} == {"Hydrogen"}
    back = read_esdl(out, ws.vocabulary).claims.set_index("esdl_id")
    assert back.loc["P2", "function"] == "hydrogen_pipeline"


def test_a_gas_claim_added_to_ameland_joins_its_gas_network(ws, shared_data, tmp_path):
    path = shared_data / "esdl" / "Ameland_energie_2015.esdl"
    import_esdl(ws, path, scenario="s")
    _add(ws, [("C9", "gas_power_plant", 30.0, "MW", Point(178500, 606500))])
    out = tmp_path / "out.esdl"
    result = export_esdl(ws, "s", out)
    assert result["added"] == ["C9"]
    root = EnergySystemHandler().load_file(str(out))
    plant = next(a for a in root.eAllContents() if getattr(a, "id", None) == "C9")
    joined = {p.carrier.name: q.energyasset.id for p in plant.port for q in p.connectedTo}
    # Ameland's own carriers (EnergyCarrier "NaturalGas", "Electricity") and networks
    assert joined == {"NaturalGas": "8ed55353-17c3-4941-9fa9-14aa49a3b5d5",
                      "Electricity": "bb434bf4-8100-4678-9145-4cc2980d3970"}  # fmt: skip
    assert _carrier_ids(path) == _carrier_ids(out)  # no carrier added


def _carrier_ids(path):
    root = EnergySystemHandler().load_file(str(path))
    return {(type(c).__name__, c.id) for c in root.eAllContents() if isinstance(c, esdl.Carrier)}


def test_carrier_files_are_consistent():
    vocab = load_vocabulary()
    specs = carrier_specs()
    for fid, (a, b) in function_carriers().items():
        assert vocab.function(fid).esdl_class, fid  # only functions with an ESDL class
        assert {a, b} - {None} <= set(specs), fid
    for spec in specs.values():
        assert hasattr(esdl, spec.esdl_class) and hasattr(esdl, spec.network_class)
    # every function with a producer, consumer, storage, conversion or transport class is listed
    from importlib import resources

    text = resources.files("ruimte.exchange").joinpath("data/esdl_function_carriers.csv")
    listed = {r["function"] for r in csv.DictReader(text.read_text("utf-8").splitlines())}
    energy = [f for f, fn in vocab.functions.items() if fn.esdl_class
              and issubclass(getattr(esdl, fn.esdl_class), esdl.EnergyAsset)]  # fmt: skip
    assert sorted(set(energy) - listed) == []


@pytest.mark.parametrize("function", sorted(function_carriers()))
def test_every_listed_function_exports_connected(ws, tmp_path, function, esdl_topology):
    fn = ws.vocabulary.function(function)
    geom = LineString([(0, 0), (1000, 0)]) if fn.geometry == "line" else box(0, 0, 100, 100)
    from ruimte.exchange.esdl_export import build_energy_system

    claims = _claims([("X", function, 1.0, "sites", geom)])
    handler, _ = build_energy_system(claims, ws.vocabulary, name="one")
    out = tmp_path / "one.esdl"
    handler.save(filename=str(out))
    _, root = esdl_topology(out)
    asset = next(a for a in root.eAllContents() if getattr(a, "id", None) == "X")
    inp, outp = function_carriers()[function]
    names = {k: carrier_specs()[c].name for k, c in (("InPort", inp), ("OutPort", outp)) if c}
    assert _carrier_of_ports(asset) == sorted(names.items())
