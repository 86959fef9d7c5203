# SPDX-License-Identifier: Apache-2.0
"""The workspace edge and the ``ruimte conflicts`` command on the demo region."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely import box

from ruimte.analysis.overlay.headline import headline
from ruimte.analysis.overlay.run import run_overlay
from ruimte.analysis.overlay.settings import OverlayError
from ruimte.cli.main import main
from ruimte.vocab import load_vocabulary


@pytest.fixture(scope="module")
def cli_output(demo_path, tmp_path_factory):
    """Run the command once on a private copy: JSON with --compare, then the readable table."""
    import shutil

    copy = tmp_path_factory.mktemp("cli") / "ws"
    shutil.copytree(demo_path, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    runner = CliRunner()
    as_json = runner.invoke(
        main, ["conflicts", str(copy), "-s", "ambitie", "--compare", "basis", "--json"]
    )
    table = runner.invoke(main, ["conflicts", str(copy), "-s", "basis", "--region", "GM9901"])
    return copy, as_json, table


def test_run_stores_one_layer_per_finding_type(demo_ws):
    run = run_overlay(demo_ws, "basis")
    rec = demo_ws.result("conflicts_basis")
    assert rec.kind == "overlay" and rec.scenario == "basis"
    assert set(rec.layers) == {"conflicts", "shared_use", "distance_violations", "synergies"}
    assert set(rec.tables) == {"pairs", "indicators", "notes"}
    assert rec.vocabulary_version == demo_ws.vocabulary.version
    assert {"claims:basis", "dataset:farmland", "dataset:buildings", "vocabulary"} <= set(
        rec.inputs
    )
    stored = demo_ws.read_result("conflicts_basis", "conflicts")
    assert len(stored) == len(run.result.conflicts)
    assert stored.geometry.area.sum() / 1e4 == pytest.approx(
        run.summary()["conflicts"]["ha"], rel=1e-6
    )
    notes = demo_ws.read_result("conflicts_basis", "notes")
    assert "claim C016: not located (no geometry); skipped" in set(notes["note"])
    ind = run.indicators.set_index(["scope", "key", "metric", "group"])["value"].sort_index()
    nl = ind.loc[("region", "NL")]
    assert nl.loc[("conflict_ha", "total")] == pytest.approx(
        run.summary()["conflicts"]["ha"], rel=1e-6
    )
    assert nl.loc[("multiple_use_ratio", "total")] == pytest.approx(
        nl.loc[("claimed_ha", "total")] / nl.loc[("land_claimed_ha", "total")]
    )
    transitions = [g for g in nl.loc["claimed_ha"].index if g.startswith("transition:")]
    assert sum(nl.loc[("claimed_ha", g)] for g in transitions) == pytest.approx(
        nl.loc[("claimed_ha", "total")]
    )


def test_a_failed_run_changes_nothing_stored(demo_ws, digest):
    # a dataset already holds the name of one of the result's layers: the save must fail whole
    clash = gpd.GeoDataFrame({"function": ["housing"]}, geometry=[box(0, 0, 1, 1)], crs=demo_ws.crs)
    demo_ws.add_dataset("conflicts_basis_synergies", clash, source="test")
    gpkg = demo_ws.path / "workspace.gpkg"
    before = digest(gpkg)
    with pytest.raises(Exception, match="conflicts_basis_synergies"):
        run_overlay(demo_ws, "basis")
    assert digest(gpkg) == before
    assert "conflicts_basis_conflicts" not in demo_ws.layer_names()


def test_unknown_scenario_and_region_are_named(demo_ws):
    with pytest.raises(OverlayError, match="no scenario named 'basic'. Did you mean 'basis'"):
        run_overlay(demo_ws, "basic")
    with pytest.raises(OverlayError, match="no region with code 'GM9909'"):
        run_overlay(demo_ws, "basis", region="GM9909")


def test_json_gives_counts_and_hectares_per_type(cli_output):
    _, result, _ = cli_output
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    amb = out["scenarios"]["ambitie"]
    assert amb["key"] == "conflicts_ambitie"
    assert set(amb) >= {"conflicts", "shared_use", "distance_violations", "synergies"}
    assert amb["conflicts"]["count"] > 0 and amb["conflicts"]["ha"] > 0
    cmp = out["comparison"]
    assert cmp["before"] == "basis" and cmp["after"] == "ambitie"
    assert cmp["findings"]["claims_added"] == ["C101", "C102", "C103", "C104", "C105"]
    nl_conflict = [
        r
        for r in cmp["indicators"]
        if r["key"] == "NL" and r["metric"] == "conflict_ha" and r["group"] == "total"
    ][0]
    basis_ha = out["scenarios"]["basis"]["conflicts"]["ha"]
    assert nl_conflict["change"] == pytest.approx(amb["conflicts"]["ha"] - basis_ha, abs=1e-3)


def test_readable_table_and_region_result(cli_output):
    copy, _, result = cli_output
    assert result.exit_code == 0, result.output
    assert "Scenario basis in GM9901" in result.output
    assert "distance violations" in result.output and "Largest conflicts" in result.output
    assert "stored as result conflicts_basis_gm9901" in result.output


def test_cli_error_names_the_scenario(demo_path):
    result = CliRunner().invoke(main, ["conflicts", str(demo_path), "-s", "nope"])
    assert result.exit_code == 2
    assert "no scenario named 'nope'" in result.output


def test_headline_lines_and_figures(demo_ws):
    head = headline(demo_ws)
    assert set(head["scenarios"]) == {"basis", "ambitie"}
    assert 2 <= len(head["lines"]) <= 5
    basis = head["scenarios"]["basis"]
    assert f"{basis['conflicts']['ha']:,.1f} ha" in head["lines"][0] or any(
        f"{basis['conflicts']['ha']:,.1f} ha" in line for line in head["lines"]
    )
    assert load_vocabulary().version  # the headline ran against the packaged vocabulary


def test_empty_findings_are_stored_and_unknown_function_names_the_claim(ws, digest):
    """A workspace function that later disappears from the vocabulary: clear error, no change."""
    from ruimte.errors import UnknownFunctionError
    from ruimte.workspace import Workspace

    (ws.folder / "vocabulary.yaml").write_text(
        "functions:\n"
        "  - {id: agrivoltaics, label_nl: Agri-PV, label_en: Agrivoltaics,"
        " layer: occupatie, transition: energy}\n"
        "compatibility:\n"
        "  - {function_a: agrivoltaics, function_b: '*', relation: exclusive}\n",
        encoding="utf-8",
    )
    ws = Workspace.open(ws.path)
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    claims = gpd.GeoDataFrame(
        {"claim_id": ["X1", "X2"], "function": ["agrivoltaics", "housing"]},
        geometry=[box(0, 0, 100, 100), box(500, 0, 600, 100)],
        crs=ws.crs,
    )
    ws.add_claims(claims)
    run = run_overlay(ws, "basis")  # nothing overlaps: empty layers are stored all the same
    assert run.summary()["conflicts"] == {"count": 0, "ha": 0.0}
    assert len(ws.read_result("conflicts_basis", "conflicts")) == 0
    (ws.folder / "vocabulary.yaml").unlink()
    ws = Workspace.open(ws.path)
    before = digest(ws)
    with pytest.raises(UnknownFunctionError, match="claim X1: function 'agrivoltaics'"):
        run_overlay(ws, "basis")
    assert digest(ws) == before
