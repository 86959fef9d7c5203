# SPDX-License-Identifier: Apache-2.0
"""The grid model: voltages, readers, the line graph."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from grid_helpers import CRS, lines, substations, two_station_model

from ruimte.analysis.grid.graph import build_graph, components
from ruimte.analysis.grid.network import GridModelError, parse_voltages_kv
from ruimte.analysis.grid.network_import import model_from_frames, read_grid_file


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("150000;150000", [150.0]),
        ("110000;380000;220000", [380.0, 220.0, 110.0]),
        ("150/20", [150.0, 20.0]),
        ("20/10 kV", [20.0, 10.0]),
        (150, [150.0]),
        (None, []),
        (float("nan"), []),
        ("onbekend", []),
    ],
)
def test_parse_voltages(value, expected):
    assert parse_voltages_kv(value) == expected


def test_two_station_graph_distance_is_the_line_length():
    model = two_station_model()
    graph = build_graph(model)
    dist = graph.substation_distances_m()
    assert dist[0, 1] == pytest.approx(10_000.0, abs=1e-3)
    assert model.substations["voltage_hv_kv"].tolist() == [150.0, 20.0]
    assert model.substations["voltage_lv_kv"].tolist() == [20.0, 10.0]
    assert model.lines["length_km"].tolist() == pytest.approx([10.0])


def test_unconnected_network_names_its_parts():
    subs = substations(
        [dict(x=0, y=0, name="West", voltage_kv="20/10", capacity_mva=10.0),
         dict(x=5000, y=0, name="Oost", voltage_kv="20/10", capacity_mva=10.0)]
    )  # fmt: skip
    ln = lines(
        [dict(coords=[(0, 0), (2000, 0)], name="stub west", voltage_kv=20),
         dict(coords=[(5000, 0), (3000, 0)], name="stub oost", voltage_kv=20)]
    )  # fmt: skip
    model = model_from_frames(subs, ln, crs=CRS)
    parts = components(build_graph(model), model)
    assert [p["substations"] for p in parts] == [["Oost"], ["West"]] or [
        p["substations"] for p in parts
    ] == [["West"], ["Oost"]]
    # a 1 km gap closes once the snap tolerance exceeds it
    assert len(components(build_graph(model, snap_tolerance_m=1001), model)) == 1


def test_model_needs_substations_and_a_projected_crs():
    empty = gpd.GeoDataFrame({"name": []}, geometry=[], crs=CRS)
    with pytest.raises(GridModelError, match="no substations"):
        model_from_frames(empty)
    subs = substations([dict(x=5.1, y=52.1, name="A")]).set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(GridModelError, match="projected CRS"):
        model_from_frames(subs, crs="EPSG:4326")


def test_read_real_osm_grid(shared_data):
    model = read_grid_file(shared_data / "grid" / "osm_scigrid_nl_2017.gpkg")
    # heuristic_nodes with typ "substation" (341, MANIFEST) or its variant "sub_station" (5)
    assert len(model.substations) == 346
    assert len(model.lines) == 1163
    # what was left out is said, with counts per node type
    assert any("346 of 1030 grid nodes are substations" in n and "322 generator" in n
               for n in model.notes)
    # voltage strings like "150000;150000" parse; almost all lines are 110-380 kV
    assert model.lines["voltage_kv"].dropna().isin([110.0, 150.0, 220.0, 380.0]).mean() > 0.95
    assert model.substations["capacity_mva"].isna().all()  # OSM has no transformer ratings
    # lengths come from the file's length_m (line 67: 1079.12 m), not from the geometry
    assert model.lines.set_index("line_id").loc["67", "length_km"] == pytest.approx(1.07912)
    parts = components(build_graph(model), model)
    assert len(parts) > 1 and len(parts[0]["substations"]) > 300
    assert np.isfinite(build_graph(model).substation_distances_m()[0]).sum() > 300


def test_read_grid_file_names_a_missing_layer(shared_data):
    with pytest.raises(GridModelError, match="no layer 'heuristic_node'.*heuristic_nodes"):
        read_grid_file(
            shared_data / "grid" / "osm_scigrid_nl_2017.gpkg", substations_layer="heuristic_node"
        )


def test_osm_grid_imported_into_a_workspace(ws, shared_data):
    from ruimte.analysis.grid.network_import import model_from_workspace

    grid = shared_data / "grid" / "osm_scigrid_nl_2017.gpkg"
    ws.import_file(grid, layer="heuristic_nodes", function="substation", name="osm_nodes")
    ws.import_file(grid, layer="heuristic_lines", function="hv_line", name="osm_lines")
    model = model_from_workspace(ws)
    assert len(model.substations) == 346  # typ "substation" or "sub_station" of 1,030 nodes
    assert len(model.lines) == 1163
    drachten = model.substations.set_index("name").loc["110kV Drachten"]
    assert drachten["voltage_hv_kv"] == 110.0  # from the string "110000"
    with pytest.raises(
        GridModelError, match="no vector dataset 'osm_node'. Did you mean 'osm_nodes'"
    ):
        model_from_workspace(ws, ["osm_node"])
