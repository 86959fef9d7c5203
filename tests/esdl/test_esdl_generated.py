# SPDX-License-Identifier: Apache-2.0
"""Property: any generated energy system survives import -> export unchanged.

Hypothesis draws energy systems from random subsets of pyESDL's EnergyAsset
classes, with or without a location, ports of three carriers, random
connections between out and in ports and random attribute values; each is
imported into a fresh workspace and exported again, and pyESDL must read the
same assets (class, id, name), connections, carriers, areas, geometry and
attributes back.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import esdl
import esdl.esdl as esdl_classes
import geopandas as gpd
from esdl.esdl_handler import EnergySystemHandler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyecore.ecore import EClass
from shapely import box

from ruimte.exchange.esdl_compare import describe
from ruimte.exchange.esdl_export import export_esdl
from ruimte.exchange.esdl_import import import_esdl
from ruimte.vocab import load_vocabulary
from ruimte.workspace import Workspace


def _energy_asset_classes() -> list[str]:
    out = []
    for name in dir(esdl_classes):
        cls = getattr(esdl_classes, name)
        ecls = getattr(cls, "eClass", None)
        if isinstance(cls, type) and isinstance(ecls, EClass) and not ecls.abstract:
            if esdl_classes.EnergyAsset.eClass in ecls.eAllSuperTypes():
                out.append(name)
    return sorted(out)


CLASSES = _energy_asset_classes()
#: the classes ruimte models as claims or grid assets (half the draws, so claims occur)
MODELLED = sorted(
    ({fn.esdl_class for fn in load_vocabulary().functions.values() if fn.esdl_class} | {"WindPark"})
    & set(CLASSES)
)
CARRIERS = ("el", "heat", "gas")
STATES = ("ENABLED", "OPTIONAL", "DISABLED")

asset = st.fixed_dictionaries(
    {
        "cls": st.one_of(st.sampled_from(MODELLED), st.sampled_from(CLASSES)),
        "name": st.one_of(st.none(), st.text("abcXYZ 019-_é", min_size=1, max_size=12)),
        "where": st.one_of(st.none(), st.tuples(st.floats(50.8, 53.4), st.floats(3.4, 7.2))),
        "state": st.sampled_from(STATES),
        "power": st.one_of(st.none(), st.floats(1.0, 1e9)),
        "lifetime": st.one_of(st.none(), st.floats(1.0, 80.0)),
        "owner": st.one_of(st.none(), st.text("abc ", min_size=1, max_size=6)),
        "ports": st.lists(
            st.tuples(st.sampled_from(("in", "out")), st.sampled_from(CARRIERS)), max_size=3
        ),
    }
)
system = st.tuples(
    st.lists(asset, min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=10),
)


def _build(assets, links, path: Path) -> None:
    handler = EnergySystemHandler()
    es = handler.create_empty_energy_system("gen", "generated", "Instance", "Area")
    es.energySystemInformation = esdl.EnergySystemInformation(id="esi")
    es.energySystemInformation.carriers = esdl.Carriers(id="carriers")
    carriers = {
        "el": esdl.ElectricityCommodity(id="el", name="Electricity", voltage=10000.0),
        "heat": esdl.HeatCommodity(id="heat", name="Heat"),
        "gas": esdl.GasCommodity(id="gas", name="Natural gas"),
    }
    es.energySystemInformation.carriers.carrier.extend(carriers.values())
    area = es.instance[0].area
    ins, outs = [], []
    for i, spec in enumerate(assets):
        obj = getattr(esdl, spec["cls"])(id=f"a{i}", name=spec["name"])
        obj.state = esdl.AssetStateEnum.getEEnumLiteral(spec["state"])
        if spec["where"] is not None:
            obj.geometry = esdl.Point(lat=spec["where"][0], lon=spec["where"][1], CRS="WGS84")
        if spec["power"] is not None and hasattr(obj, "power"):
            obj.power = spec["power"]
        if spec["lifetime"] is not None:
            obj.technicalLifetime = spec["lifetime"]
        if spec["owner"] is not None:
            obj.owner = spec["owner"]
        for k, (kind, carrier) in enumerate(spec["ports"]):
            cls = esdl.InPort if kind == "in" else esdl.OutPort
            port = cls(id=f"a{i}-p{k}", name=kind, carrier=carriers[carrier])
            obj.port.append(port)
            (ins if kind == "in" else outs).append(port)
        area.asset.append(obj)
    for a, b in links:
        if ins and outs:
            out, inp = outs[a % len(outs)], ins[b % len(ins)]
            if out.energyasset is not inp.energyasset and inp not in out.connectedTo:
                out.connectedTo.append(inp)
    handler.save(filename=str(path))


def _same(original: Path, exported: Path, tmp: Path) -> None:
    a, b = describe(original), describe(exported)
    for key in ("assets", "connections", "carriers", "areas", "system", "geometry"):
        assert a[key] == b[key], key
    handler = EnergySystemHandler()  # attribute values as pyESDL itself writes them back
    handler.load_file(str(original))
    resaved = tmp / "resaved.esdl"
    handler.save(filename=str(resaved))
    assert describe(resaved)["attributes"] == b["attributes"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system, st.booleans())
def test_generated_energy_systems_round_trip(drawn, with_region):
    assets, links = drawn
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "gen.esdl"
        _build(assets, links, path)
        ws = Workspace.init(tmp / "ws")
        if with_region:  # then assets without a location become not-located claims
            ws.add_regions(gpd.GeoDataFrame(
                {"code": ["NL"], "name": ["Nederland"], "level": ["national"]},
                geometry=[box(0, 300000, 300000, 630000)], crs="EPSG:28992"))  # fmt: skip
        summary = import_esdl(ws, path, scenario="g")
        assert summary["errors"] == []
        modelled, kept = sum(summary["modelled"].values()), sum(summary["kept"].values())
        assert modelled == summary["claims"] and modelled + kept == len(assets)
        out = tmp / "out.esdl"
        result = export_esdl(ws, "g", out)
        assert not result["changed"] and not result["added"] and not result["removed"]
        _same(path, out, tmp)
