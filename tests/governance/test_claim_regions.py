"""One rule for which regions a claim counts for: gap report and dashboard agree.

Claims imported without a region column used to roll up to 'planned 0' in the
gap report while the dashboard counted them by their location.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from ruimte.governance.claim_regions import claim_regions
from ruimte.governance.gaps import gap_report
from ruimte.governance.hierarchy import workspace_hierarchy
from ruimte.governance.report import area_key
from ruimte.scenarios.indicators import region_indicators
from ruimte.scenarios.tree import assumptions as scenario_assumptions
from ruimte.scenarios.tree import scenario_targets
from ruimte.workspace import Workspace


def _both_views(ws: Workspace, claims: gpd.GeoDataFrame, scenario: str = "basis"):
    regions, links = ws.regions(), ws.region_parents()
    scenarios = ws.scenarios()
    assumptions = scenario_assumptions(scenarios, scenario)
    targets = scenario_targets(ws.targets(), scenarios, scenario)
    hierarchy = workspace_hierarchy(regions, links)
    gaps = gap_report(
        targets, claims, hierarchy, ws.vocabulary, area_key(ws),
        assumptions=assumptions, regions=regions,
    )
    dash = region_indicators(
        claims, regions, links, ws.targets(), scenario=scenario,
        assumptions=assumptions or {}, vocab=ws.vocabulary,
    )
    return gaps, {row["code"]: row for row in dash}


def test_claims_without_region_codes_are_placed_by_their_geometry(demo_ws: Workspace) -> None:
    claims = demo_ws.claims("basis")
    claims = claims[(claims["status"] != "realised") & (claims["horizon_year"] <= 2030)]
    with_codes, dash = _both_views(demo_ws, claims)
    located = claims.geometry.notna() & ~claims.geometry.is_empty
    stripped = claims.copy()
    stripped.loc[located, "region_code"] = None
    without, dash_without = _both_views(demo_ws, stripped)
    planned = with_codes.set_index("target_id")["planned"]
    planned_without = without.set_index("target_id")["planned"]
    assert (planned > 0).any()
    # the geometry places each claim where its code said: the same planned figures
    for target_id in planned.index:
        assert planned_without[target_id] == pytest.approx(planned[target_id], rel=1e-9)
    # the energy target in TWh/yr and the dashboard's TWh give the same number per region
    energy = without[(without["unit"] == "TWh/yr") & (without["transition"] == "energy")]
    assert len(energy) > 0
    for row in energy.itertuples():
        assert dash_without[row.region_code]["twh_planned"] == pytest.approx(row.planned, abs=1e-4)
        assert dash[row.region_code]["twh_planned"] == pytest.approx(row.planned, abs=1e-4)


def test_a_polygon_across_a_border_is_split_by_area(demo_ws: Workspace) -> None:
    regions = demo_ws.regions("municipality")
    a, b = regions.iloc[0], regions.iloc[1]
    border = a.geometry.intersection(b.geometry.buffer(1.0)).centroid
    claim = box(border.x - 1000, border.y - 1000, border.x + 1000, border.y + 1000)
    claims = gpd.GeoDataFrame(
        {"claim_id": ["X1", "X2", "X3", "X4"], "region_code": [None, None, "GM-none", None]},
        geometry=[claim, Point(a.geometry.representative_point()), None, None],
        crs=demo_ws.crs,
    )
    hierarchy = workspace_hierarchy(demo_ws.regions(), demo_ws.region_parents())
    result = claim_regions(claims, demo_ws.regions(), hierarchy)
    shares = result.shares[result.shares["claim"] == 0].set_index("region_code")["share"]
    # independently: geopandas overlay of the claim with every municipality
    parts = gpd.overlay(claims.iloc[[0]], regions[["code", "geometry"]], how="intersection")
    expected = (parts.set_index("code").geometry.area / claim.area).to_dict()
    assert len(expected) >= 2
    assert shares.to_dict() == pytest.approx(expected)
    assert result.shares[result.shares["claim"] == 1]["region_code"].tolist() == [a["code"]]
    # an unknown code without geometry still counts for that code (reported by the roll-up);
    # a claim with neither is unassigned, not silently dropped
    assert result.unassigned == ["X4"]
    weights = result.weights(str(a["code"]), hierarchy, len(claims))
    assert weights[1] == 1.0 and 0 < weights[0] < 1
    assert np.isclose(weights[0], expected[a["code"]])


def test_a_region_code_that_disagrees_with_the_geometry_is_reported(demo_ws: Workspace) -> None:
    regions = demo_ws.regions("municipality")
    a, b = regions.iloc[0], regions.iloc[1]
    claims = gpd.GeoDataFrame(
        {"claim_id": ["Y1"], "region_code": [b["code"]]},
        geometry=[a.geometry.representative_point()],
        crs=demo_ws.crs,
    )
    hierarchy = workspace_hierarchy(demo_ws.regions(), demo_ws.region_parents())
    result = claim_regions(claims, demo_ws.regions(), hierarchy)
    assert result.mismatches == [
        {"claim_id": "Y1", "region_code": b["code"], "regions": [a["code"]]}
    ]
    assert pd.Series(result.shares["region_code"]).tolist() == [a["code"]]


def test_the_cli_counts_claims_imported_without_a_region_column(demo_ws: Workspace, tmp_path) -> None:
    """`ruimte import --claims` of a file without region codes, then `ruimte targets --json`."""
    import json

    from click.testing import CliRunner

    from ruimte.cli.main import main

    regions = demo_ws.regions("municipality").set_index("code")
    inside = regions.loc["GM9904"].geometry.representative_point()
    wrong = regions.loc["GM9901"].geometry.representative_point()
    path = tmp_path / "turbines.gpkg"
    gpd.GeoDataFrame(
        {"claim_id": ["N1", "N2"], "quantity": [5.6, 5.6], "region_code": [None, "GM9902"],
         "horizon_year": [2030, 2030]},
        geometry=[inside, wrong],
        crs=demo_ws.crs,
    ).to_file(path)
    runner = CliRunner()
    before = json.loads(runner.invoke(main, ["targets", str(demo_ws.path), "--json"]).output)
    done = runner.invoke(
        main,
        ["import", str(demo_ws.path), str(path), "--claims", "--function", "wind_turbine",
         "--unit", "MW", "--status", "proposed"],
    )
    assert done.exit_code == 0, done.output
    after = json.loads(runner.invoke(main, ["targets", str(demo_ws.path), "--json"]).output)
    planned = {t["target_id"]: t["planned"] for t in after["targets"]}
    planned_before = {t["target_id"]: t["planned"] for t in before["targets"]}
    # one 5.6 MW turbine at the basis 2,960 full-load hours lands in GM9904 (T14) ...
    assert planned["T14"] - planned_before["T14"] == pytest.approx(5.6 * 2960 / 1e6)
    # ... the other counts where it stands (GM9901, T11), not where its code says, and is reported
    assert planned["T11"] - planned_before["T11"] == pytest.approx(5.6 * 2960 / 1e6)
    assert planned["T12"] == pytest.approx(planned_before["T12"])
    mismatch = [m for m in after["region_mismatches"] if m["region_code"] == "GM9902"]
    assert len(mismatch) == 1 and mismatch[0]["regions"] == ["GM9901"]
    text = runner.invoke(main, ["targets", str(demo_ws.path)]).output
    assert "region code GM9902 but it lies in GM9901; counted where it lies" in text
