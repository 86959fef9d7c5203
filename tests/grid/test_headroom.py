# SPDX-License-Identifier: Apache-2.0
"""Headroom, reinforcement and traffic lights, checked by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from grid_helpers import CRS, substations, two_station_model
from shapely import Point

from ruimte.analysis.grid.claim_power import claim_power
from ruimte.analysis.grid.factors import factors
from ruimte.analysis.grid.headroom import headroom, summarise, traffic_light
from ruimte.analysis.grid.impact import grid_impact
from ruimte.analysis.grid.network_import import model_from_frames

PARENTS = pd.Series({"A": None, "B": "A"}, dtype=object)


def _assigned(rows):
    return pd.DataFrame(rows, columns=["substation_id", "feedin_mw", "offtake_mw"])


def test_feedin_over_capacity_at_child_and_parent():
    model = two_station_model()
    # 15 MW of solar feed-in at B: B 8 + 15 = 23 > 20 (3 MW short); A 40 + 15 = 55 < 100
    table, warnings = headroom(model, _assigned([("B", 15.0, 0.0)]), PARENTS)
    t = table.set_index("substation_id")
    assert t.loc["B", "peak_feedin_after_mw"] == pytest.approx(23.0)
    assert t.loc["B", "reinforcement_feedin_mw"] == pytest.approx(3.0)
    assert t.loc["B", "class_feedin"] == "red"
    assert t.loc["A", "peak_feedin_after_mw"] == pytest.approx(55.0)  # passed up the chain
    assert t.loc["A", "headroom_feedin_mw"] == pytest.approx(45.0)
    assert t.loc["A", "class_feedin"] == "green"
    # offtake untouched: B 10 of 20 (50 % left), A 50 of 100
    assert t["class_offtake"].tolist() == ["green", "green"]
    assert warnings == []
    s = summarise(table)
    assert (s["overloaded"], s["overloaded_feedin"], s["overloaded_offtake"]) == (1, 1, 0)
    assert s["reinforcement_mw"] == pytest.approx(3.0)


def test_power_factor_reduces_capacity():
    table, _ = headroom(two_station_model(), _assigned([]), PARENTS, power_factor=0.9)
    assert table["capacity_mw"].tolist() == pytest.approx([90.0, 18.0])


def test_traffic_light_thresholds_from_data():
    share = np.array([0.2, 0.1999, 0.05, 0.0499, 0.0, -0.0001])
    assert traffic_light(share).tolist() == ["green", "yellow", "yellow", "orange", "orange", "red"]


def test_substation_without_capacity_is_named():
    subs = substations(
        [dict(x=0, y=0, substation_id="X", name="Noordpolder", voltage_kv="110000",
              peak_load_mw=5.0)]
    )  # fmt: skip
    model = model_from_frames(subs, crs=CRS)
    table, warnings = headroom(model, _assigned([("X", 1.0, 1.0)]), pd.Series({"X": None}))
    assert table["class_feedin"].tolist() == ["unknown"]
    assert len(warnings) == 1 and "'Noordpolder' (X) has no capacity_mva" in warnings[0]


def test_claim_power_by_hand():
    claims = pd.DataFrame(
        {
            "claim_id": ["W", "S", "Sha", "H", "E", "M", "N"],
            "function": ["wind_turbine", "solar_field", "solar_field", "housing", "electrolyser",
                         "mobility_hub", "nature_reserve"],
            "quantity": [5.6, 20.0, 12.0, 1000.0, 20.0, 1.5, 100.0],
            "unit": ["MW", "MWp", "ha", "homes", "MW", "ha", "ha"],
        }
    )  # fmt: skip
    f = factors()
    out, warnings = claim_power(claims, f, {"solar_field": (1.2, "ha/MWp")})
    p = out.set_index("claim_id")
    assert p.loc["W", "feedin_mw"] == pytest.approx(5.6 * f["wind_feedin_factor"])
    assert p.loc["S", "feedin_mw"] == pytest.approx(20.0 * 0.7)
    assert p.loc["Sha", "feedin_mw"] == pytest.approx(12.0 / 1.2 * 0.7)  # 10 MWp
    assert p.loc["H", "offtake_mw"] == pytest.approx(1000 * (1.5 + 1.0) / 1000)
    assert p.loc["E", "offtake_mw"] == pytest.approx(20.0)
    assert p.loc["M", "offtake_mw"] == pytest.approx(1.5 * 40 * 11 * 0.4 / 1000)
    assert "N" not in p.index and warnings == []
    # a scenario's assumption overrides the default, and an unconvertible unit is named
    bad = claims.iloc[[3]].assign(unit="ha")
    out, warnings = claim_power(bad, f, {}, assumptions={"household_peak_kw": 2.0})
    assert out.empty and "claim H (housing): quantity in 'ha'" in warnings[0]
    out, _ = claim_power(claims.iloc[[3]], f, {}, assumptions={"household_peak_kw": 2.0})
    assert out["offtake_mw"].tolist() == pytest.approx([3.0])


def test_grid_impact_end_to_end_by_hand():
    model = two_station_model()
    claims = gpd.GeoDataFrame(
        {"claim_id": ["sol", "homes", "later"], "function": ["solar_field", "housing", "housing"],
         "quantity": [30.0, 2000.0, 500.0], "unit": ["MWp", "homes", "homes"]},
        geometry=[Point(9500, 0), Point(500, 200), None], crs=CRS,
    )  # fmt: skip
    impact = grid_impact(claims, model)
    t = impact.substations.set_index("substation_id")
    # 30 MWp x 0.7 = 21 MW at B: 8 + 21 = 29 > 20; A: 40 + 21 = 61
    assert t.loc["B", "reinforcement_feedin_mw"] == pytest.approx(9.0)
    assert t.loc["A", "peak_feedin_after_mw"] == pytest.approx(61.0)
    # 2000 homes x 2.5 kW = 5 MW at A: 50 + 5 = 55
    assert t.loc["A", "peak_offtake_after_mw"] == pytest.approx(55.0)
    assert impact.summary["claims_unlocated"] == 1
    assert any(
        w.startswith("claim later (housing, 1.2 MW) has no location") for w in impact.warnings
    )
