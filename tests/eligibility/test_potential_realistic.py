"""The realistic potential beside the technical one: uptake shares from the rules, by hand."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from ruimte.analysis.potential.realistic import Uptake, add_realistic, uptake_shares
from ruimte.cli.main import main
from ruimte.rules import RuleError, load_ladder, load_rules

SHARES = {1: 0.3, 2: 0.1, 3: 0.05, 4: 0.01}  # solar_ladder.yaml
WIND_SHARE = 0.1  # wind.yaml, potential.uptake_share


def test_the_default_rules_carry_each_share_with_its_source_marked_provisional():
    wind, tiers = uptake_shares(load_ladder(), load_rules("wind").potential)
    assert wind.share == WIND_SHARE and wind.source == "ruimte_assumption" and wind.provisional
    assert {n: u.share for n, u in tiers.items()} == SHARES
    assert all(u.source == "ruimte_assumption" and u.provisional for u in tiers.values())


def test_realistic_figures_by_hand():
    ladder = pd.DataFrame(
        {"region_code": ["A"] * 4 + ["B"] * 4, "tier": [1, 2, 3, 4] * 2,
         "mwp": [10.0, 100.0, 40.0, 2000.0, 1.0, 1.0, 1.0, 1.0]}
    )  # fmt: skip
    regions = pd.DataFrame(
        {"region_code": ["A", "B"], "wind_mw": [338.0, 0.0], "wind_gwh": [1000.0, 0.0],
         "target_twh": [0.1, math.nan]}
    )  # fmt: skip
    tiers = {n: Uptake(f"tier {n}", s, "src", True) for n, s in SHARES.items()}
    ladder_out, out = add_realistic(ladder, regions, Uptake("wind", 0.1, "src", True), tiers, 875)
    a = out.set_index("region_code").loc["A"]
    # solar: 10 x 0.3 + 100 x 0.1 + 40 x 0.05 + 2000 x 0.01 = 3 + 10 + 2 + 20 = 35 MWp
    assert a["realistic_solar_mwp"] == pytest.approx(35.0)
    assert a["realistic_solar_gwh"] == pytest.approx(35.0 * 875 / 1000)  # 30.625 GWh
    assert a["realistic_wind_mw"] == pytest.approx(33.8)
    assert a["realistic_wind_gwh"] == pytest.approx(100.0)
    assert a["realistic_twh"] == pytest.approx(0.130625)  # (100 + 30.625) / 1000
    assert a["realistic_share_of_target"] == pytest.approx(1.30625)
    assert ladder_out["realistic_mwp"].iloc[3] == pytest.approx(20.0)
    # a tier with no share: the region's realistic solar is unknown, not 0 and not technical
    tiers[4] = Uptake("tier 4", None, None, True)
    _, out = add_realistic(ladder, regions, Uptake("wind", 0.1, "src", True), tiers, 875)
    assert out["realistic_solar_mwp"].isna().all() and out["realistic_twh"].isna().all()


def test_a_share_outside_0_to_1_is_named():
    with pytest.raises(RuleError, match="solar ladder, tier 4: uptake share 1.5"):
        uptake_shares([{"tier": 4, "uptake_share": 1.5}], {})


def _with_targets(ws) -> None:
    ws.add_targets(
        pd.DataFrame(
            {"target_id": ["T1", "T2"], "region_code": ["GM01", "GM02"],
             "transition": ["energy"] * 2, "quantity": [0.05, 0.15], "unit": ["TWh/yr"] * 2,
             "horizon_year": [2030] * 2}
        )
    )  # fmt: skip


def _by_hand(summary: dict, codes: list[str]) -> float:
    """Realistic TWh/yr of the regions, from their technical figures and the shares."""
    total = 0.0
    for code in codes:
        row = next(r for r in summary["regions"] if r["region_code"] == code)
        solar_mwp = sum(
            r["mwp"] * SHARES[r["tier"]] for r in summary["ladder"] if r["region_code"] == code
        )
        total += (WIND_SHARE * row["wind_gwh"] + solar_mwp * 875 / 1000) / 1000
    return total


def test_potential_shows_both_summed_over_the_regions_asked_for(small_ws):
    _with_targets(small_ws)
    res = CliRunner().invoke(main, ["potential", str(small_ws.path), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    tech, real = summary["technical"], summary["realistic"]
    both = ["GM01", "GM02"]  # the municipalities tile the area: summed, the national row not added
    assert real["twh"] == pytest.approx(_by_hand(summary, both), abs=2e-3)
    technical = sum(r["possible_twh"] for r in summary["regions"] if r["region_code"] in both)
    assert tech["twh"] == pytest.approx(technical, abs=1e-3)
    assert tech["target_twh"] == pytest.approx(0.2) == real["target_twh"]  # 0.05 + 0.15
    assert tech["times_target"] == pytest.approx(tech["twh"] / 0.2, rel=1e-2)
    assert real["share_of_target"] == pytest.approx(real["twh"] / 0.2, rel=1e-2)
    assert real["twh"] < tech["twh"] / 5  # the realistic headline is not the technical one
    assert real["provisional"] is True and real["unknown"] == []
    assert [u["share"] for u in real["uptake"]] == [WIND_SHARE, *SHARES.values()]
    # one municipality asked for: its figures alone
    one = json.loads(
        CliRunner().invoke(main, ["potential", str(small_ws.path), "--region", "GM02", "--json"])
        .stdout
    )
    assert one["realistic"]["twh"] == pytest.approx(_by_hand(one, ["GM02"]), abs=1e-3)
    assert one["realistic"]["target_twh"] == pytest.approx(0.15)
    text = CliRunner().invoke(main, ["potential", str(small_ws.path)])
    assert text.exit_code == 0, text.output
    assert "Technical potential (every eligible cell built, not what can be built)" in text.output
    assert "× the target)" in text.output
    assert "Realistic potential (PROVISIONAL): " in text.output
    assert "solar tier 4 (agricultural_land) 1%" in text.output
    assert "(source: ruimte_assumption)" in text.output


def test_rules_without_shares_give_an_unknown_realistic_potential(small_ws, rule_file):
    wind_rules = load_rules("wind")
    text = (
        "technology: wind\nresolution_m: 25\nexclude:\n  - dataset: buildings\n    buffer_m: 400\n"
        "    source: ruimte_assumption\npotential:\n  turbine_type: rvo_2020_average\n"
    )
    assert wind_rules.potential.get("uptake_share") == WIND_SHARE
    res = CliRunner().invoke(
        main, ["potential", str(small_ws.path), "--wind-rules", str(rule_file(text)), "--json"]
    )
    assert res.exit_code == 0, res.output
    real = json.loads(res.stdout)["realistic"]
    assert real["twh"] is None and real["unknown"] == ["wind turbine positions"]
    shown = CliRunner().invoke(
        main, ["potential", str(small_ws.path), "--wind-rules", str(rule_file(text))]
    )
    assert "Realistic potential (PROVISIONAL): unknown (wind turbine positions without" in (
        shown.output
    )
