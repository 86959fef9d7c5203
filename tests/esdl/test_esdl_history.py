# SPDX-License-Identifier: Apache-2.0
"""Several ESDL files imported into one scenario: the export keeps every one of them."""

from __future__ import annotations

import esdl
import geopandas as gpd
import pytest
from esdl.esdl_handler import EnergySystemHandler
from shapely import Point

from ruimte.exchange.esdl_compare import describe
from ruimte.exchange.esdl_export import build_energy_system, export_esdl
from ruimte.exchange.esdl_history import kept_sources
from ruimte.exchange.esdl_import import import_esdl

AMELAND, HYBRID = "Ameland_energie_2015.esdl", "hybrid_hp_with_pv_storage.esdl"


@pytest.fixture
def two_files(ws, shared_data):
    paths = [shared_data / "esdl" / n for n in (AMELAND, HYBRID)]
    for p in paths:
        if not p.is_file():
            pytest.skip(f"{p} not found")
    for p in paths:
        import_esdl(ws, p, scenario="s")
    return paths


def test_a_second_import_keeps_the_first_files_objects(ws, two_files, tmp_path, esdl_topology):
    first, second = two_files
    assert [s["file_name"] for s in kept_sources(ws, "s")] == [AMELAND, HYBRID]
    out = tmp_path / "both.esdl"
    result = export_esdl(ws, "s", out)
    assert result["base"] == f"{AMELAND}, {HYBRID}"
    assert not result["changed"] and not result["added"] and not result["removed"]
    a, b, both = describe(first), describe(second), describe(out)
    assert both["assets"] == a["assets"] + b["assets"]
    assert sum(both["assets"].values()) == 79 + sum(b["assets"].values())
    assert both["connections"] == a["connections"] | b["connections"]
    assert both["carriers"] == a["carriers"] | b["carriers"]
    assert both["areas"] == a["areas"] + b["areas"]
    assert both["kpis"] == a["kpis"] + b["kpis"]
    assert both["system"] == a["system"]  # the first file's energy system is the base
    # attributes as pyESDL writes them back, of both files; the second file's
    # EnergySystem and Instance are not written (its area moves into the first's) nor
    # the containers whose items join the first's (energy-system information, carriers, ...)
    merged = set()
    for path in (first, second):
        handler = EnergySystemHandler()
        handler.load_file(str(path))
        resaved = tmp_path / f"re-{path.name}"
        handler.save(filename=str(resaved))
        for key, value in describe(resaved)["attributes"].items():
            if path == second and key not in both["attributes"]:
                merged.add(key[0])
                continue
            assert both["attributes"][key] == value, key
    assert merged == {"Instance", "EnergySystemInformation", "Carriers"}
    # the second file's area sits in the first's main area
    root = EnergySystemHandler().load_file(str(out))
    main = root.instance[0].area
    assert main.id == "GM0060"
    assert "6dc247b0-1f3e-46df-80e4-dc1b814f8ec4" in {str(x.id) for x in main.area}


def test_claims_of_both_files_can_be_edited(ws, two_files, tmp_path):
    sources = kept_sources(ws, "s")
    first = next(iter(sources[0]["assets"].items()))  # (asset id, {"claim_id", ...})
    second = next(iter(sources[1]["assets"].items()))
    for _, info in (first, second):
        ws.update_claim(info["claim_id"], {"status": "idea"}, expected_version=1)
    out = tmp_path / "both.esdl"
    result = export_esdl(ws, "s", out)
    assert result["changed"] == {first[0]: ["status"], second[0]: ["status"]}
    root = EnergySystemHandler().load_file(str(out))
    states = {str(a.id): a.state.name for a in root.eAllContents() if isinstance(a, esdl.Asset)}
    assert states[first[0]] == states[second[0]] == "OPTIONAL"


def test_ruimte_exports_imported_twice_keep_both_and_say_ids_repeat(ws, tmp_path, esdl_topology):
    files = []
    for k in range(2):
        claims = gpd.GeoDataFrame(
            {"claim_id": [f"W{k}"], "function": ["wind_turbine"], "quantity": [3.0 + k],
             "unit": ["MW"], "description": [f"turbine {k}"]},
            geometry=[Point(200000 + 1000 * k, 500000)], crs="EPSG:28992",
        )  # fmt: skip
        handler, _ = build_energy_system(claims, ws.vocabulary, name=f"part {k}")
        path = tmp_path / f"part{k}.esdl"
        handler.save(filename=str(path))
        files.append(path)
        import_esdl(ws, path, scenario="s")
    out = tmp_path / "both.esdl"
    result = export_esdl(ws, "s", out)
    both = describe(out)["assets"]
    assert both == describe(files[0])["assets"] + describe(files[1])["assets"]
    assert {k[1] for k in both} == {"W0", "W1", "ruimte-electricity-network"}
    assert "asset id(s) also in an earlier import" in " ".join(result["notes"])
    # both carriers were "electricity": one carrier in the export, every port still on it
    root = EnergySystemHandler().load_file(str(out))
    carriers = [c for c in root.eAllContents() if isinstance(c, esdl.Carrier)]
    assert [c.id for c in carriers] == ["electricity"]
    ports = [p for p in root.eAllContents() if isinstance(p, esdl.Port)]
    assert all(p.carrier is carriers[0] for p in ports)


def test_a_variant_keeps_its_parents_file_and_its_own(ws, shared_data, tmp_path):
    import pandas as pd

    first, second = (shared_data / "esdl" / n for n in (AMELAND, HYBRID))
    if not (first.is_file() and second.is_file()):
        pytest.skip("ESDL files not found")
    import_esdl(ws, first, scenario="basis")
    ws.add_scenarios(pd.DataFrame({"name": ["plus"], "parent": ["basis"], "description": ["v"]}))
    import_esdl(ws, second, scenario="plus")
    export_esdl(ws, "plus", tmp_path / "plus.esdl")
    export_esdl(ws, "basis", tmp_path / "basis.esdl")
    a, b = describe(first), describe(second)
    assert describe(tmp_path / "plus.esdl")["assets"] == a["assets"] + b["assets"]
    assert describe(tmp_path / "basis.esdl")["assets"] == a["assets"]
