# SPDX-License-Identifier: Apache-2.0
"""Unknown capacity is unknown, not 0; features left out of a grid file are said."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from grid_helpers import CRS, substations
from shapely import LineString, Point

from ruimte.analysis.grid.headroom import headroom, summarise, summary_text
from ruimte.analysis.grid.network import GridModelError
from ruimte.analysis.grid.network_import import layers_by_role, model_from_frames
from ruimte.cli.main import main


def _assigned(rows):
    return pd.DataFrame(rows, columns=["substation_id", "feedin_mw", "offtake_mw"])


def _three(capacities):
    rows = [
        dict(x=i * 5_000, y=0, substation_id=sid, name=f"Station {sid}", capacity_mva=cap,
             peak_load_mw=10.0, peak_feedin_mw=8.0)
        for i, (sid, cap) in enumerate(zip("ABC", capacities, strict=True))
    ]  # fmt: skip
    return model_from_frames(substations(rows), crs=CRS)


def test_no_capacity_known_gives_unknown_not_zero():
    model = _three([np.nan, np.nan, np.nan])
    table, warnings = headroom(model, _assigned([("A", 50.0, 0.0)]), pd.Series(dtype=object))
    assert not table["capacity_known"].any()
    assert table["reinforcement_mw"].isna().all()
    s = summarise(table)
    assert (s["substations"], s["capacity_known"], s["unknown_capacity"]) == (3, 0, 3)
    for key in ("overloaded", "overloaded_feedin", "reinforcement_mw"):
        assert s[key] is None, key
    assert summary_text(s) == "capacity unknown for 3 of 3 substations: headroom not computed."
    assert len(warnings) == 3 and all("has no capacity_mva" in w for w in warnings)


def test_partly_known_capacity_counts_only_the_known():
    # A: 20 MVA, feed-in 8 + 15 = 23 -> 3 MW short; B unknown (50 MW added: unknown, not red)
    # C: 100 MVA, untouched
    model = _three([20.0, np.nan, 100.0])
    added = _assigned([("A", 15.0, 0.0), ("B", 50.0, 0.0)])
    table, _ = headroom(model, added, pd.Series(dtype=object))
    t = table.set_index("substation_id")
    assert np.isnan(t.loc["B", "reinforcement_mw"]) and t.loc["B", "class_feedin"] == "unknown"
    s = summarise(table)
    assert (s["capacity_known"], s["unknown_capacity"], s["overloaded"]) == (2, 1, 1)
    assert s["reinforcement_mw"] == pytest.approx(3.0)
    text = summary_text(s)
    assert text.startswith("1 of 2 substations with known capacity over capacity")
    assert "3.0 MW reinforcement" in text and "capacity unknown for 1 of 3" in text


def test_left_out_node_types_and_missing_geometry_are_noted():
    frame = gpd.GeoDataFrame(
        {"name": ["s1", "s2", "g1", "g2", "j1", "s3"],
         "typ": ["substation", "sub_station", "generator", "generator", "joint", "substation"]},
        geometry=[Point(0, 0), Point(1000, 0), Point(2000, 0), Point(3000, 0), Point(4000, 0),
                  None],
        crs=CRS,
    )  # fmt: skip
    lines = gpd.GeoDataFrame(
        {"name": ["l1", "bad"]}, geometry=[LineString([(0, 0), (1000, 0)]), Point(5, 5)], crs=CRS
    )
    model = model_from_frames(frame, lines, crs=CRS)
    assert sorted(model.substations["name"]) == ["s1", "s2"]  # sub_station is a substation
    notes = " | ".join(model.notes)
    assert "3 of 6 grid nodes are substations" in notes
    assert "2 generator" in notes and "1 joint" in notes
    assert "1 of 3 substations have no geometry" in notes
    assert len(model.lines) == 1 and "Point" in notes


def test_layers_by_role_tells_points_from_lines(tmp_path):
    path = tmp_path / "grid.gpkg"
    substations([dict(x=0, y=0, name="A")]).to_file(path, layer="stations")
    gpd.GeoDataFrame({"name": ["A-B"]}, geometry=[LineString([(0, 0), (1, 1)])], crs=CRS).to_file(
        path, layer="cables"
    )
    assert layers_by_role(path, ["cables", "stations"]) == ("stations", "cables")
    assert layers_by_role(path, ["stations"]) == ("stations", None)
    with pytest.raises(GridModelError, match="no layer 'station'.*stations"):
        layers_by_role(path, ["station"])
    with pytest.raises(GridModelError, match="same role|both"):
        layers_by_role(path, ["stations", "stations"])


def test_cli_grid_file_layers_on_real_drenthe(tmp_path, shared_data):
    gpkg = shared_data / "region_drenthe" / "drenthe_testregion.gpkg"
    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(main, ["init", str(ws), "--crs", "EPSG:28992"]).exit_code == 0
    args = ["grid", str(ws), "--grid-file", str(gpkg), "--layer", "grid_nodes_osm2017",
            "--layer", "grid_lines_osm2017", "--no-save"]  # fmt: skip
    res = runner.invoke(main, [*args, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    nodes = gpd.read_file(gpkg, layer="grid_nodes_osm2017")
    n_subs = int(nodes["typ"].isin(["substation", "sub_station"]).sum())  # independent count
    assert out["summary"]["substations"] == n_subs == 27
    assert out["summary"]["capacity_known"] == 0 and out["summary"]["overloaded"] is None
    assert any(f"{n_subs} of {len(nodes)} grid nodes are substations" in w for w in out["warnings"])
    text = runner.invoke(main, args)
    assert text.exit_code == 0
    assert "capacity unknown for 27 of 27 substations: headroom not computed." in text.output
    assert "0 of 27" not in text.output
    # errors name the option and what to do, no traceback
    bad = runner.invoke(main, ["grid", str(ws), "--layer", "x"])
    assert bad.exit_code == 2 and "give --grid-file too" in bad.output
    bad = runner.invoke(main, [*args[:4], "--layer", "grid_lines_osm2017", "--no-save"])
    assert bad.exit_code == 2 and "no layer of substations" in bad.output
    bad = runner.invoke(main, [*args[:4], "--layer", "grid_nodes", "--no-save"])
    assert bad.exit_code != 0 and "grid_nodes_osm2017" in bad.output
    assert "Traceback" not in bad.output
