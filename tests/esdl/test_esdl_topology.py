# SPDX-License-Identifier: Apache-2.0
"""Exported ESDL topology: cables between their end substations, claims by carrier, no loose ends.

Checked against independent computations: the SciGRID line table names each
line's end nodes (``v_id_1``, ``v_id_2``), and geopandas' nearest join of
the line ends with the substations gives the same joins.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import esdl
import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from ruimte.cli.main import main
from ruimte.exchange.esdl_export import export_esdl
from ruimte.exchange.esdl_grid import snap_tolerance_m


@pytest.fixture(scope="module")
def drenthe_ws(tmp_path_factory):
    """A Drenthe workspace built with the CLI: province, turbines, solar parks, the OSM grid."""
    data = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    gpkg = data / "region_drenthe" / "drenthe_testregion.gpkg"
    if not gpkg.is_file():
        pytest.skip(f"real data not found at {data} (../shared/data beside the repository)")
    ws = tmp_path_factory.mktemp("drenthe-esdl") / "ws"
    g = str(gpkg)
    steps = [
        ["init", str(ws), "--crs", "EPSG:28992"],
        ["import", str(ws), g, "--layer", "provincie", "--regions", "--code-field", "pv_code",
         "--name-field", "pv_name", "--level", "province", "--licence", "CBS/PDOK"],
        ["import", str(ws), g, "--layer", "windturbines_rivm", "--claims", "--function",
         "wind_turbine", "--status", "realised", "--scenario", "basis", "--licence", "RIVM"],
        ["import", str(ws), g, "--layer", "solar_parks", "--claims", "--function", "solar_field",
         "--quantity-field", "capacity_mw", "--unit", "MWp", "--status", "realised",
         "--scenario", "basis", "--licence", "open data"],
        ["import", str(ws), g, "--layer", "grid_nodes_osm2017", "--as", "grid_nodes",
         "--function", "substation", "--licence", "ODbL"],
        ["import", str(ws), g, "--layer", "grid_lines_osm2017", "--as", "hv_lines",
         "--function", "hv_line", "--licence", "ODbL"],
    ]  # fmt: skip
    for args in steps:
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
    from ruimte.workspace import Workspace

    return Workspace.open(ws), gpkg


def test_drenthe_cables_join_their_end_substations(drenthe_ws, tmp_path, esdl_topology):
    ws, gpkg = drenthe_ws
    out = tmp_path / "drenthe.esdl"
    result = export_esdl(ws, "basis", out)
    ends, root = esdl_topology(out)
    lines = gpd.read_file(gpkg, layer="grid_lines_osm2017").to_crs(ws.crs)
    nodes = gpd.read_file(gpkg, layer="grid_nodes_osm2017").to_crs(ws.crs)
    subs = nodes[nodes["typ"] == "substation"]
    assert len(ends) == len(lines) == 47
    transformers = [a for a in root.eAllContents() if isinstance(a, esdl.Transformer)]
    assert len(transformers) == len(subs) == 27

    # independent 1: geopandas nearest substation of each line end within the tolerance
    tol = snap_tolerance_m()
    pts = gpd.GeoDataFrame(
        {"line_id": list(lines["l_id"]) * 2, "end": [0] * len(lines) + [1] * len(lines)},
        geometry=list(shapely.get_point(lines.geometry.values, 0))
        + list(shapely.get_point(lines.geometry.values, -1)),
        crs=ws.crs,
    )
    near = gpd.sjoin_nearest(pts, subs[["v_id", "geometry"]], max_distance=tol, how="left")
    near = near.drop_duplicates(["line_id", "end"])
    expected = {(r.line_id, r.end): r.v_id for r in near.itertuples() if isinstance(r.v_id, str)}
    got = {
        (cid.removeprefix("electricitycable-"), k): str(node.id).removeprefix("transformer-")
        for cid, pair in ends.items()
        for k, node in enumerate(pair)
        if isinstance(node, esdl.Transformer)
    }
    assert got == expected
    assert len(got) == 55  # of 94 line ends, 55 end at one of the 27 substations
    # independent 2: SciGRID's own end nodes (v_id_1 first point, v_id_2 last) agree
    sub_ids = set(subs["v_id"])
    scigrid = {
        (r.l_id, k): v
        for r in lines.itertuples()
        for k, v in enumerate((r.v_id_1, r.v_id_2))
        if v in sub_ids
    }
    assert got == scigrid
    # the other 39 ends: one Bus per group of ends within the tolerance of each other
    loose = pts.loc[[(r.line_id, r.end) not in expected for r in pts.itertuples()]]
    groups = shapely.union_all(loose.geometry.buffer(tol / 2).values)
    n_groups = len(getattr(groups, "geoms", [groups]))
    buses = [a for a in root.eAllContents() if isinstance(a, esdl.Bus)]
    assert len(loose) == 39 and len(buses) == n_groups == 24
    assert f"39 line end(s) with no substation within {tol:g} m" in " ".join(result["notes"])
    # every cable joins two different nodes
    assert all(a is not b for a, b in ends.values())
    # producers: all 150 turbines and parks connect to a substation (none to the network)
    producers = [a for a in root.eAllContents() if isinstance(a, esdl.Producer)]
    assert len(producers) == 115 + 35
    at = Counter(type(q.energyasset).__name__ for a in producers for p in a.port
                 for q in p.connectedTo)  # fmt: skip
    assert at == {"Transformer": 150}


def test_demo_export_cables_join_two_different_nodes(demo_ws, tmp_path, esdl_topology):
    out = tmp_path / "demo.esdl"
    export_esdl(demo_ws, "ambitie", out)
    ends, root = esdl_topology(out)
    assert len(ends) == 10
    assert all(a is not b for a, b in ends.values())
    # independent: line ends of the demo grid within the tolerance of a substation
    from ruimte.analysis.grid.network_import import model_from_workspace

    model = model_from_workspace(demo_ws)
    lines, subs = model.lines, model.substations
    tol = snap_tolerance_m()
    at_sub = sum(
        int(subs.distance(shapely.get_point(g, k)).min() <= tol)
        for g in lines.geometry
        for k in (0, -1)
    )
    joined = sum(isinstance(n, esdl.Transformer) for pair in ends.values() for n in pair)
    assert joined == at_sub == 18  # feeders L002 and L003 end in the field
    assert sum(isinstance(a, esdl.Bus) for a in root.eAllContents()) == 2
