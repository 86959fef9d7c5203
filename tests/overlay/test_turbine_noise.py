# SPDX-License-Identifier: Apache-2.0
"""Turbine distance violations at dwellings by computed noise (one turbine, hand distances)."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point, box

from ruimte.analysis.nuisance.run import run_nuisance
from ruimte.analysis.overlay.run import run_overlay
from ruimte.rules import load_turbine_types
from ruimte.workspace import Workspace

RD = "EPSG:28992"
T = (150_000.0, 450_000.0)
LDEN_OFFSET = 10 * math.log10((12 + 4 * 10**0.5 + 8 * 10) / 24)  # END, constant operation
SPEC = load_turbine_types()["rvo_2020_average"]
#: dwellings due east of the turbine: inside 400 m, inside the 47 dB contour, beyond it
DISTANCES = (300.0, 500.0, 700.0)


def hand_lden(dp: float, lwa: float = SPEC["lwa_dba"], hs: float = SPEC["hub_height_m"]) -> float:
    """ISO 9613-2 eqs. 7, 8, 10, 11 by hand (receiver 5 m, 1.9 dB/km), plus the Lden offset."""
    hr = 5.0
    d = math.hypot(dp, hs - hr)
    agr = max(0.0, 4.8 - ((hs + hr) / d) * (17 + 300 / d))
    d_omega = 10 * math.log10(1 + (dp**2 + (hs - hr) ** 2) / (dp**2 + (hs + hr) ** 2))
    return lwa + d_omega - (20 * math.log10(d) + 11) - 0.0019 * d - agr + LDEN_OFFSET


@pytest.fixture
def one_turbine(tmp_path) -> Workspace:
    ws = Workspace.init(tmp_path / "ws")
    ws.add_scenarios(pd.DataFrame({"name": ["basis"], "parent": [None]}))
    region = {"code": ["GM1"], "name": ["Een"], "level": ["municipality"]}
    area = box(145_000, 445_000, 155_000, 455_000)
    ws.add_regions(gpd.GeoDataFrame(region, geometry=[area], crs=RD))
    ws.add_claims(gpd.GeoDataFrame(
        {"claim_id": ["W1"], "function": ["wind_turbine"], "quantity": [3.8], "unit": ["MW"],
         "region_code": ["GM1"], "status": ["proposed"], "scenario": ["basis"],
         "horizon_year": [2030]},
        geometry=[Point(*T)], crs=RD,
    ))  # fmt: skip
    # 10 x 8 m houses centred at the distances (the representative point is the centre)
    houses = gpd.GeoDataFrame(
        {"identificatie": [f"H{int(d)}" for d in DISTANCES], "function": "housing"},
        geometry=[box(T[0] + d - 5, T[1] - 4, T[0] + d + 5, T[1] + 4) for d in DISTANCES], crs=RD,
    )  # fmt: skip
    houses.to_file(tmp_path / "houses.gpkg")
    ws.import_file(tmp_path / "houses.gpkg", function="housing", name="buildings")
    return ws


def _turbine_rows(run) -> gpd.GeoDataFrame:
    v = run.result.distance_violations
    return v[(v["feature_a"] == "W1") & (v["function_b"] == "housing")]


def test_computed_noise_decides_turbine_distances_when_it_exists(one_turbine):
    levels = [hand_lden(d) for d in DISTANCES]
    assert levels[0] > levels[1] > 47 > levels[2]  # 300 and 500 m over 47 dB Lden, 700 m not
    before = _turbine_rows(run_overlay(one_turbine, "basis", save=False))
    # without a nuisance result: the matrix's 400 m; only the house at 300 m (less its 5 m)
    assert len(before) == 1 and before["n_within"].iloc[0] == 1
    assert before["distance_m"].iloc[0] == pytest.approx(295.0)
    assert before["min_distance_m"].iloc[0] == 400 and before["basis"].iloc[0] == "distance"

    result, key = run_nuisance(one_turbine, "basis")
    after = _turbine_rows(run_overlay(one_turbine, "basis", save=False))
    assert len(after) == 1  # the nearest house stands for the group
    row = after.iloc[0]
    assert row["n_within"] == 2  # the houses at 300 and 500 m: over 47 dB Lden by computation
    assert row["noise_db"] == pytest.approx(levels[0], abs=0.01)  # the nearest, at 300 m
    assert row["basis"] == f"noise bal_lden_47 ({key})"
    assert row["source"] == "helpdesk_wind_normen"
    # min_distance_m: where the turbine alone meets 47 dB Lden (the rule of thumb was 400)
    assert hand_lden(row["min_distance_m"]) == pytest.approx(47.0, abs=1e-6)
    assert result.summary["over"]["bal_lden_47"] == 2  # the nuisance run agrees


def test_a_stale_nuisance_result_is_not_used(one_turbine):
    run_nuisance(one_turbine, "basis")
    one_turbine.update_claim(
        "W1", {"geometry": Point(T[0] - 100, T[1])}, expected_version=1, user="t"
    )
    rows = _turbine_rows(run_overlay(one_turbine, "basis", save=False))
    assert set(rows["basis"]) == {"distance"}
    assert rows["n_within"].iloc[0] == 1  # 395 m: inside 400 m; 600 m and 800 m not


def test_update_recomputes_the_nuisance_before_the_overlay_that_reads_it(one_turbine):
    from ruimte.scenarios.update import update

    run_nuisance(one_turbine, "basis")
    run = run_overlay(one_turbine, "basis")
    assert "result:nuisance_basis" in one_turbine.result(run.key).inputs
    # move the turbine 150 m east: houses at 150, 350 and 550 m, all over 47 dB Lden
    one_turbine.update_claim("W1", {"geometry": Point(T[0] + 150, T[1])}, expected_version=1,
                             user="t")  # fmt: skip
    outcomes = update(one_turbine)
    assert [o.key for o in outcomes] == ["nuisance_basis", run.key]  # nuisance first
    assert one_turbine.stale_results() == {}
    rows = one_turbine.read_result(run.key, "distance_violations")
    row = rows[rows["feature_a"] == "W1"].iloc[0]
    assert row["n_within"] == 3 and row["basis"].startswith("noise bal_lden_47")
    assert row["noise_db"] == pytest.approx(hand_lden(150.0), abs=0.01)


def test_a_run_after_moving_the_turbine_equals_a_full_run(one_turbine):
    """Moving the turbine makes the nuisance result stale: the studio's next run is a full one."""
    run_nuisance(one_turbine, "basis")
    first = run_overlay(one_turbine, "basis", save=False)
    assert _turbine_rows(first).iloc[0]["basis"].startswith("noise")
    claim = one_turbine.claims("basis").iloc[0]
    # 150 m west: the house at 300 m is now 445 m from the turbine (less its 5 m)
    moved = {"geometry": Point(T[0] - 150, T[1])}
    one_turbine.update_claim("W1", moved, expected_version=int(claim["version"]), user="t")
    again = run_overlay(one_turbine, "basis", save=False, previous=first)
    full = run_overlay(one_turbine, "basis", save=False)
    assert again.changed is None  # not an update: the noise it used is no longer current
    a, b = _turbine_rows(again), _turbine_rows(full)
    assert len(a) == len(b) == 0  # by the matrix's 400 m, no house is too close any more
