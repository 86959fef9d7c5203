"""Nuisance on a workspace: counts against an independent geopandas count, CLI, bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy.optimize import brentq
from shapely import Point, box

from ruimte.analysis.nuisance.run import run_nuisance
from ruimte.cli.main import main
from ruimte.rules import load_turbine_types
from ruimte.workspace import Workspace

RD = "EPSG:28992"
LDEN_OFFSET = 10 * math.log10((12 + 4 * 10**0.5 + 8 * 10) / 24)  # END, constant operation
TURBINES = [(150_000.0, 450_000.0), (165_000.0, 450_000.0)]  # 15 km apart: < 1e-5 dB added


def hand_level(lwa, dp, hs, hr=5.0, alpha=0.0019):
    """ISO 9613-2 eqs. 7, 8, 10, 11 (as in test_noise), independent of the kernel."""
    d = math.hypot(dp, hs - hr)
    agr = max(0.0, 4.8 - ((hs + hr) / d) * (17 + 300 / d))
    d_omega = 10 * math.log10(1 + (dp**2 + (hs - hr) ** 2) / (dp**2 + (hs + hr) ** 2))
    return lwa + d_omega - (20 * math.log10(d) + 11) - alpha * d - agr


def norm_radius(lwa, hub, limit, offset):
    return brentq(lambda r: hand_level(lwa, r, hub) + offset - limit, 1.0, 10_000.0)


def _houses(rng: np.random.Generator, n: int = 1500) -> gpd.GeoDataFrame:
    pts = []
    for tx, ty in TURBINES:
        r = np.sqrt(rng.uniform(150**2, 1500**2, n // 2))
        a = rng.uniform(0, 2 * np.pi, n // 2)
        pts += [box(tx + ri * np.cos(ai) - 5, ty + ri * np.sin(ai) - 4,
                    tx + ri * np.cos(ai) + 5, ty + ri * np.sin(ai) + 4)
                for ri, ai in zip(r, a, strict=True)]  # fmt: skip
    return gpd.GeoDataFrame({"identificatie": [f"B{i}" for i in range(len(pts))],
                             "function": "housing"}, geometry=pts, crs=RD)  # fmt: skip


@pytest.fixture
def small_ws(tmp_path: Path) -> Workspace:
    ws = Workspace.init(tmp_path / "ws")
    ws.add_scenarios(pd.DataFrame({"name": ["basis", "ambitie"], "parent": [None, "basis"]}))
    ws.add_regions(gpd.GeoDataFrame(
        {"code": ["ES1", "GM1", "GM2"], "name": ["RES", "West", "Oost"],
         "level": ["res_region", "municipality", "municipality"],
         "parent_code": [None, "ES1", "ES1"]},
        geometry=[box(140_000, 440_000, 175_000, 460_000), box(140_000, 440_000, 157_500, 460_000),
                  box(157_500, 440_000, 175_000, 460_000)],
        crs=RD,
    ))  # fmt: skip
    ws.add_claims(gpd.GeoDataFrame(
        {"claim_id": ["W1", "W2"], "function": ["wind_turbine"] * 2, "quantity": [3.8, 3.8],
         "unit": ["MW", "MW"], "region_code": ["GM1", "GM2"], "status": ["proposed"] * 2,
         "scenario": ["basis", "basis"], "horizon_year": [2030, 2030]},
        geometry=[Point(*TURBINES[0]), Point(*TURBINES[1])], crs=RD,
    ))  # fmt: skip
    houses = tmp_path / "houses.geojson"
    _houses(np.random.default_rng(19)).to_file(houses)
    ws.import_file(houses, function="housing", name="buildings")
    return ws


def _independent_count(houses: gpd.GeoDataFrame, turbines: list, radius: float) -> int:
    discs = gpd.GeoDataFrame(geometry=[Point(x, y).buffer(radius, 256) for x, y in turbines],
                             crs=RD)  # fmt: skip
    pts = gpd.GeoDataFrame(geometry=houses.geometry.representative_point(), crs=RD)
    hits = gpd.sjoin(pts, discs, predicate="within")
    return int(hits.index.nunique())


def test_counts_match_a_geopandas_buffer_count(small_ws):
    result, key = run_nuisance(small_ws, "basis")
    spec = load_turbine_types()["rvo_2020_average"]  # the default type, marked assumed
    houses = small_ws.read_dataset("buildings")
    over = result.summary["over"]
    cases = [
        ("bal_lden_47", 47, LDEN_OFFSET),
        ("draft_lden_45", 45, LDEN_OFFSET),
        ("bal_lnight_41", 41, 0.0),
        ("draft_lnight_39", 39, 0.0),
    ]
    for norm, limit, offset in cases:
        r = norm_radius(spec["lwa_dba"], spec["hub_height_m"], limit, offset)
        expected = _independent_count(houses, TURBINES, r)
        assert 20 < expected < len(houses)  # the test can fail both ways
        assert over[norm] == expected, norm
        per_claim = result.per_claim.set_index("claim_id")[f"over_{norm}"]
        assert per_claim.sum() == expected
        assert per_claim["W1"] == _independent_count(houses, TURBINES[:1], r)
    regions = result.per_region.set_index("region_code")
    gm = regions[regions["level"] == "municipality"]
    assert (
        gm["over_bal_lden_47"].sum()
        == over["bal_lden_47"]
        == regions.loc["ES1", "over_bal_lden_47"]
    )
    # each municipality holds its own turbine's dwellings (15 km apart, border in the middle)
    per_claim = result.per_claim.set_index("claim_id")["over_bal_lden_47"]
    assert regions.loc["GM1", "over_bal_lden_47"] == per_claim["W1"] > 0
    assert regions.loc["GM2", "dwellings"] == 750 and regions.loc["ES1", "dwellings"] == 1500
    assert set(result.dwellings["region_code"]) == {"GM1", "GM2"}  # the smallest region
    assert set(result.turbines["assumed"]) == {"rotor_m,hub_height_m,lwa_dba"}  # MW from the claim
    stored = small_ws.result(key)
    assert stored.kind == "nuisance" and stored.summary["over"] == over
    assert len(small_ws.read_result(key, "dwellings")) == len(houses)


def test_visibility_bands_count_every_dwelling_once(small_ws):
    result, _ = run_nuisance(small_ws, "basis", save=False)
    bands = result.bands.set_index("band")
    assert bands["dwellings"].sum() == result.summary["dwellings"] == 1500  # all within 1.5 km
    assert bands.loc["0-1 km", "area_ha"] == pytest.approx(2 * math.pi * 100, rel=1e-3)
    assert result.summary["visibility"] == "distance bands only; no terrain"


def test_cli_json_matches_the_api(small_ws):
    out = CliRunner().invoke(main, ["nuisance", str(small_ws.path), "-s", "basis", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    api, _ = run_nuisance(small_ws, "basis", save=False)
    assert data["summary"]["over"] == api.summary["over"]
    assert [c["claim_id"] for c in data["per_claim"]] == ["W1", "W2"]
    assert {b["band"] for b in data["bands"]} == {"0-1 km", "1-3 km", "3-10 km"}
    assert data["result"] == "nuisance_basis"


def test_cli_text_output(small_ws):
    out = CliRunner().invoke(main, ["nuisance", str(small_ws.path), "-q"])
    assert out.exit_code == 0, out.output
    assert "Bal 47 dB Lden" in out.stdout and "distance bands only; no terrain" in out.stdout


def test_unknown_scenario_is_a_clean_message(small_ws):
    out = CliRunner().invoke(main, ["nuisance", str(small_ws.path), "-s", "basiss"])
    assert out.exit_code == 2
    assert "no scenario 'basiss'. Did you mean 'basis'" in out.output
    assert "Traceback" not in out.output


def test_no_dwellings_dataset_means_unknown_not_zero(tmp_path):
    ws = Workspace.init(tmp_path / "empty")
    ws.add_scenarios(pd.DataFrame({"name": ["basis"], "parent": [None]}))
    ws.add_claims(gpd.GeoDataFrame(
        {"claim_id": ["W1"], "function": ["wind_turbine"], "quantity": [3.8], "unit": ["MW"],
         "region_code": [None], "status": ["idea"], "scenario": ["basis"], "horizon_year": [2030]},
        geometry=[Point(*TURBINES[0])], crs=RD,
    ))  # fmt: skip
    out = CliRunner().invoke(main, ["nuisance", str(ws.path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["summary"]["dwellings"] is None
    assert set(data["summary"]["over"].values()) == {None}
    assert "no dwellings dataset: counts unknown" in data["warnings"]
    text = CliRunner().invoke(main, ["nuisance", str(ws.path), "-q"])
    assert "unknown" in text.stdout and text.exit_code == 0


def test_bad_sunshine_table_is_a_clean_message(small_ws, tmp_path):
    bad = tmp_path / "sun.csv"
    bad.write_text("month,sunshine_fraction\n1,0.2\n2,1.7\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["nuisance", str(small_ws.path), "--sunshine", str(bad)])
    assert out.exit_code == 2 and "sun.csv: column 'month' must hold each month 1-12" in out.output


@pytest.mark.slow
def test_demo_claims_counts_match_geopandas(demo_ws):
    result, _ = run_nuisance(demo_ws, "basis", save=False)
    houses = demo_ws.read_dataset("buildings")
    houses = houses[houses["function"] == "housing"]
    spec = load_turbine_types()["rvo_2020_average"]
    r47 = norm_radius(spec["lwa_dba"], spec["hub_height_m"], 47, LDEN_OFFSET)
    claims = result.turbines[result.turbines["origin"] == "claim"]
    per_claim = result.per_claim.set_index("claim_id")["over_bal_lden_47"]
    assert per_claim.sum() > 0
    for row in claims.itertuples():
        expected = _independent_count(houses, [(row.geometry.x, row.geometry.y)], r47)
        assert per_claim[row.claim_id] == expected, row.claim_id


def test_moving_a_turbine_makes_the_result_stale_and_update_recomputes_it(small_ws):
    from ruimte.scenarios.update import update

    result, key = run_nuisance(small_ws, "basis")
    assert small_ws.stale_results() == {}
    # move W2 next to W1's houses: more dwellings over 47 dB Lden
    small_ws.update_claim(
        "W2", {"geometry": Point(150_500.0, 450_000.0)}, expected_version=1, user="t"
    )
    assert small_ws.stale_results() == {key: ["claims:basis"]}
    (outcome,) = update(small_ws)
    assert (outcome.key, outcome.status) == (key, "updated")
    assert small_ws.stale_results() == {}
    after = small_ws.result(key).summary["over"]
    assert after["bal_lden_47"] != result.summary["over"]["bal_lden_47"]


def test_sunshine_table_gives_the_realistic_expectation(small_ws, tmp_path):
    table = tmp_path / "sun.csv"
    table.write_text(
        "month,sunshine_fraction\n" + "".join(f"{m},0.25\n" for m in range(1, 13)),
        encoding="utf-8",
    )
    out = CliRunner().invoke(
        main, ["nuisance", str(small_ws.path), "--sunshine", str(table), "--json", "--no-save"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["summary"]["flicker"].startswith("realistic")
    worst, _ = run_nuisance(small_ws, "basis", save=False)
    real, _ = run_nuisance(small_ws, "basis", save=False, sunshine_fraction=[0.25] * 12)
    dw = real.dwellings
    assert dw["flicker_hours"].to_numpy() == pytest.approx(0.25 * dw["flicker_hours_worst"])
    assert worst.summary["max_flicker_hours"] > 0
    assert (
        real.summary["over"]["draft_flicker_hours"] < worst.summary["over"]["draft_flicker_hours"]
    )


def test_knmi_de_bilt_realistic_hours_match_a_hand_computation(small_ws):
    from ruimte.analysis.nuisance.run import read_sunshine
    from ruimte.analysis.nuisance.settings import data_file

    table = pd.read_csv(data_file("sunshine_knmi_de_bilt.csv"))
    frac = dict(zip(table["month"], table["sunshine_fraction"], strict=True))
    out = CliRunner().invoke(
        main, ["nuisance", str(small_ws.path), "--sunshine", "knmi-de-bilt", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["summary"]["flicker"].startswith("realistic expectation")
    assert small_ws.result(data["result"]).parameters["sunshine_fraction"] == pytest.approx(
        read_sunshine("knmi-de-bilt").tolist()
    )
    real, _ = run_nuisance(small_ws, "basis", save=False, sunshine_fraction=list(frac.values()))
    dw = real.dwellings
    # by hand: the worst-case hours of each month times that month's sunshine fraction
    hand = sum(dw[f"flicker_hours_m{m:02d}"].to_numpy() * frac[m] for m in range(1, 13))
    assert dw["flicker_hours"].to_numpy() == pytest.approx(hand)
    assert dw["flicker_hours_worst"].to_numpy() == pytest.approx(
        sum(dw[f"flicker_hours_m{m:02d}"].to_numpy() for m in range(1, 13)), abs=1e-6
    )
    w = dw["dwellings"].to_numpy()
    assert data["summary"]["over"]["draft_flicker_hours"] == int(w[hand > 6].sum())
    worst_over = int(w[dw["flicker_hours_worst"].to_numpy() > 6].sum())
    assert data["summary"]["over_worst_case"] == {"draft_flicker_hours": worst_over}
    assert worst_over > data["summary"]["over"]["draft_flicker_hours"] > 0


def test_climate_table_without_the_fraction_column_names_file_and_column(small_ws, tmp_path):
    bad = tmp_path / "klimaat.csv"
    bad.write_text("month,zon\n" + "".join(f"{m},0.3\n" for m in range(1, 13)), encoding="utf-8")
    out = CliRunner().invoke(main, ["nuisance", str(small_ws.path), "--sunshine", str(bad)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "klimaat.csv: column 'sunshine_fraction' missing" in out.output
    out = CliRunner().invoke(main, ["nuisance", str(small_ws.path), "--sunshine", "knmi-bilt"])
    assert out.exit_code == 2 and "knmi-de-bilt" in out.output
