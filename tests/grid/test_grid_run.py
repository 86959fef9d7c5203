# SPDX-License-Identifier: Apache-2.0
"""The workspace edge, the CLI and the demo headline on the demo region."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ruimte.analysis.grid.headline import headline
from ruimte.analysis.grid.run import ScenarioNotFoundError, run_grid
from ruimte.cli.main import main


def test_run_grid_on_demo_stores_layers(demo_ws):
    impact, key = run_grid(demo_ws, "basis")
    assert key == "grid_basis"
    rec = demo_ws.result("grid_basis")
    assert rec.kind == "grid" and rec.scenario == "basis"
    assert set(rec.layers) >= {"substations", "claims", "feedin", "offtake"}
    feedin = demo_ws.read_result("grid_basis", "feedin")
    assert len(feedin) == 9 and set(feedin["class"]) <= {"green", "yellow", "orange", "red"}
    # Veldrode's feed-in after = its present peak + the claims assigned to it (independent sum)
    subs = demo_ws.read_dataset("substations").set_index("naam")
    veldrode = impact.substations.set_index("name").loc["Veldrode 20/10 kV"]
    mine = impact.claims["substation_id"] == veldrode["substation_id"]
    own = impact.claims.loc[mine, "feedin_mw"].sum()
    assert own > 0
    assert veldrode["peak_feedin_after_mw"] == pytest.approx(
        subs.loc["Veldrode 20/10 kV", "peak_feedin_mw"] + own
    )
    assert rec.summary["overloaded"] == int(impact.substations["overloaded"].sum())
    assert rec.summary["reinforcement_mw"] == pytest.approx(
        impact.substations["reinforcement_mw"].sum(), abs=1e-3
    )


def test_ambitie_loads_the_grid_more_than_basis(demo_ws):
    basis, _ = run_grid(demo_ws, "basis", save=False)
    ambitie, _ = run_grid(demo_ws, "ambitie", save=False)
    assert ambitie.summary["added_feedin_mw"] > basis.summary["added_feedin_mw"]
    assert ambitie.summary["reinforcement_mw"] >= basis.summary["reinforcement_mw"]


def test_unknown_scenario_stores_nothing(demo_ws, digest):
    gpkg = demo_ws.path / "workspace.gpkg"
    before = digest(gpkg)
    with pytest.raises(ScenarioNotFoundError, match="no scenario 'basi'. Did you mean 'basis'"):
        run_grid(demo_ws, "basi")
    assert digest(gpkg) == before


def test_headline_and_cli(demo_ws):
    h = headline(demo_ws)
    assert set(h["scenarios"]) == {"basis", "ambitie"}
    assert 2 <= len(h["lines"]) <= 5 and all("substations over capacity" in x for x in h["lines"])
    runner = CliRunner()
    res = runner.invoke(main, ["grid", str(demo_ws.path), "-s", "ambitie", "--json", "--no-save"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["summary"]["overloaded"] == h["scenarios"]["ambitie"]["overloaded"]
    assert len(out["substations"]) == 9
    res = runner.invoke(main, ["grid", str(demo_ws.path), "-s", "nope"])
    assert res.exit_code == 2 and "no scenario 'nope'" in res.output


def test_cli_loadflow_and_hub(demo_ws):
    res = CliRunner().invoke(
        main, ["grid", str(demo_ws.path), "--loadflow", "--hub", "C005", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["loadflow"]["feedin"]["converged"] and out["loadflow"]["offtake"]["converged"]
    hub = out["hub"]
    assert hub["dispatch_status"] == "Optimal"
    assert hub["separate_mw"] >= hub["matched_mw"] >= hub["hub_mw"] > 0
    assert "C005" in hub["members"]
    # the hub sits next to Lindeweer-Oost; with the battery it needs less reinforcement there
    assert hub["substation"] == "Lindeweer-Oost 150/20 kV"
    assert hub["substation_reinforcement_hub_mw"] <= hub["substation_reinforcement_separate_mw"]
    assert hub["reinforcement_avoided_mw"] == pytest.approx(
        hub["substation_reinforcement_separate_mw"] - hub["substation_reinforcement_hub_mw"]
    )
    assert demo_ws.result("hub_c005_basis").kind == "grid"
    assert len(demo_ws.read_result("hub_c005_basis", "hourly")) == 8760


def test_horizon_year_filters_claims(demo_ws):
    early, _ = run_grid(demo_ws, "basis", year=2028, save=False)
    full, _ = run_grid(demo_ws, "basis", save=False)
    claims = demo_ws.claims("basis")
    assert set(early.claims["claim_id"]) <= set(
        claims.loc[claims["horizon_year"] <= 2028, "claim_id"]
    )
    assert early.summary["added_feedin_mw"] == 0.0  # all wind and solar claims are for 2030
    assert full.summary["added_feedin_mw"] > 0.0
