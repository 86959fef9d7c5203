# SPDX-License-Identifier: Apache-2.0
"""The scenario tree: branching, listing, inherited targets and assumptions, comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from ruimte.scenarios.compare import compare_claims, compare_scenarios
from ruimte.scenarios.tree import (
    ScenarioError,
    assumptions,
    create_scenario,
    lineage,
    scenario_targets,
    tree_rows,
)
from ruimte.workspace import Workspace


def test_branch_copies_assumptions_and_links_the_parent(demo_ws: Workspace) -> None:
    create_scenario(demo_ws, "wind_plus", parent="ambitie", description="more wind")
    scenarios = demo_ws.scenarios()
    row = scenarios.set_index("name").loc["wind_plus"]
    assert row["parent"] == "ambitie"
    assert row["assumptions"]["full_load_hours_wind"] == 3400  # ambitie's value
    assert lineage(scenarios, "wind_plus") == ["wind_plus", "ambitie", "basis"]
    assert [(d, n) for d, n, _ in tree_rows(scenarios)] == [
        (0, "basis"),
        (1, "ambitie"),
        (2, "wind_plus"),
    ]
    # the child inherits its parent's targets: T30 (ambitie) replaces T10 (all scenarios)
    targets = scenario_targets(demo_ws.targets(), scenarios, "wind_plus")
    energy_es99 = targets[(targets["region_code"] == "ES99") & (targets["transition"] == "energy")]
    assert energy_es99["target_id"].tolist() == ["T30"]
    assert "T10" in set(scenario_targets(demo_ws.targets(), scenarios, "basis")["target_id"])


def test_bad_scenario_names_are_refused(demo_ws: Workspace) -> None:
    with pytest.raises(ScenarioError, match="exists already"):
        create_scenario(demo_ws, "ambitie", parent="basis")
    with pytest.raises(ScenarioError, match="Did you mean 'ambitie'"):
        create_scenario(demo_ws, "x", parent="ambitei")
    assert set(demo_ws.scenarios()["name"]) == {"basis", "ambitie"}  # nothing written


def test_child_assumptions_override_the_parent() -> None:
    scenarios = pd.DataFrame(
        {
            "name": ["a", "b"],
            "parent": [None, "a"],
            "description": ["", ""],
            "assumptions": [{"x": 1, "y": 2}, {"y": 3}],
        }
    )
    assert assumptions(scenarios, "b") == {"x": 1, "y": 3}
    cyclic = scenarios.assign(parent=["b", "a"])
    with pytest.raises(ScenarioError, match="cycle"):
        lineage(cyclic, "a")


def test_compare_claims_follows_replacements() -> None:
    a = pd.DataFrame(
        {
            "claim_id": ["C1", "C2"],
            "function": ["housing"] * 2,
            "quantity": [100.0, 50.0],
            "replaces": [None, None],
        }
    )
    b = pd.DataFrame(
        {
            "claim_id": ["C1x", "C2"],
            "function": ["housing"] * 2,
            "quantity": [120.0, 50.0],
            "replaces": ["C1", None],
        }
    )
    diff = compare_claims(a, b)
    assert diff.to_dict(orient="records") == [
        {"claim": "C1", "change": "changed", "fields": "quantity"}
    ]


def test_compare_basis_and_ambitie(demo_ws: Workspace) -> None:
    out = compare_scenarios(demo_ws, "basis", "ambitie")
    added = {c["claim"] for c in out["claims"] if c["change"] == "added"}
    assert {"C101", "C102", "C103", "C105", "C106"} <= added
    basis, ambitie = out["indicators"]["basis"], out["indicators"]["ambitie"]
    # basis energy by hand: 5 x 5.6 MW x 2,960 h + (20.8 + 13.1 + 20.8) MWp x 875 h
    # + 80 ha / 1.2 x 875 h (the heat network, battery and hub yield no energy)
    twh = (5 * 5.6 * 2960 + (20.8 + 13.1 + 20.8) * 875 + 80 / 1.2 * 875) / 1e6
    assert basis["twh_per_year"] == pytest.approx(twh, abs=1e-4)
    assert ambitie["twh_per_year"] > basis["twh_per_year"]
    assert basis["homes"] == pytest.approx(1800 + 1500)
    with pytest.raises(ScenarioError, match="no scenario named 'ambition'"):
        compare_scenarios(demo_ws, "basis", "ambition")
