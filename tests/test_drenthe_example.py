# SPDX-License-Identifier: Apache-2.0
"""examples/drenthe.sh: a real RES region end to end with the CLI only, checked against the files.

The script builds a workspace from ../shared/data (province > RES region > 12
municipalities, RIVM turbines, solar parks, power plants, the OSM grid, Natura
2000, targets from a CSV) and runs eligibility, potential, conflicts, grid and
the gap report. The numbers are checked here against the source files, read
independently with geopandas.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from ruimte.cli.main import main
from ruimte.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "drenthe.sh"


@pytest.fixture(scope="module")
def drenthe(tmp_path_factory, request) -> tuple[Path, Path, str]:
    data = ROOT.parent / "shared" / "data"
    gpkg = data / "region_drenthe" / "drenthe_testregion.gpkg"
    if not gpkg.is_file():
        pytest.skip(f"real data not found at {data} (../shared/data beside the repository)")
    ws = tmp_path_factory.mktemp("drenthe") / "ws"
    env = {
        **os.environ,
        "DATA": str(data),
        "RUIMTE": f"{shlex.quote(sys.executable)} -m ruimte",
    }
    run = subprocess.run(
        ["bash", str(SCRIPT), str(ws)], env=env, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    return ws, gpkg, run.stdout


def _json(*args: str) -> dict:
    res = CliRunner().invoke(main, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_regions_and_claims_match_the_source_files(drenthe):
    ws_path, gpkg, _ = drenthe
    ws = Workspace.open(ws_path)
    municipalities = gpd.read_file(gpkg, layer="gemeenten")
    regions = ws.regions().set_index("code")
    assert set(municipalities["gm_code"]) <= set(regions.index)
    assert (regions.loc[municipalities["gm_code"], "parent_code"] == "ES03").all()
    assert regions.loc["ES03", "parent_code"] == "PV22"
    # the solar parks' capacity, as realised claims, sums to the file's capacity_mw
    solar = gpd.read_file(gpkg, layer="solar_parks")
    listed = _json("claims", "list", str(ws_path), "--function", "solar_field")
    assert listed["count"] == len(solar) == 35
    assert sum(c["quantity"] for c in listed["claims"]) == pytest.approx(solar["capacity_mw"].sum())
    turbines = _json("claims", "list", str(ws_path), "--function", "wind_turbine")
    assert turbines["count"] == len(gpd.read_file(gpkg, layer="windturbines_rivm")) == 115
    assert all(c["quantity"] is None for c in turbines["claims"])  # RIVM: locations only
    # power plants: the onshore wind MW of the province as in powerplantmatching
    plants = gpd.read_file(gpkg, layer="powerplants_ppm")
    stored = ws.read_dataset("powerplants")
    onshore = stored[(stored["Fueltype"] == "Wind") & (stored["Technology"] == "Onshore")]
    expected = plants[(plants["Fueltype"] == "Wind") & (plants["Technology"] == "Onshore")]
    assert onshore["Capacity"].sum() == pytest.approx(expected["Capacity"].sum()) == 227.8
    assert (onshore["function"] == "wind_turbine").all()
    assert stored["function"].notna().all()  # every Fueltype has a function


def test_gap_report_agrees_with_an_independent_rollup(drenthe):
    ws_path, gpkg, _ = drenthe
    report = _json("targets", str(ws_path), "--scenario", "basis")
    rows = {r["region_code"]: r for r in report["targets"]}
    assert len(rows) == 13  # the RES region and its 12 municipalities (targets.csv)
    # realised per municipality: solar parks (MWp) by where they lie, independently:
    # MWp x full-load hours of solar (vocabulary) -> TWh/yr
    solar = gpd.read_file(gpkg, layer="solar_parks")
    municipalities = gpd.read_file(gpkg, layer="gemeenten")
    joined = gpd.sjoin(solar, municipalities[["gm_code", "geometry"]], predicate="within")
    mwp = joined.groupby("gm_code_right")["capacity_mw"].sum()
    per_mwp = rows["ES03"]["realised"] / solar["capacity_mw"].sum()  # TWh per MWp, one factor
    for code, value in mwp.items():
        assert rows[code]["realised"] == pytest.approx(value * per_mwp, rel=1e-6), code
    assert sum(rows[c]["realised"] for c in municipalities["gm_code"]) == pytest.approx(
        rows["ES03"]["realised"]
    )
    # the 115 turbines have no capacity: counted as unknown, never as 0 MW
    assert rows["ES03"]["unknown_claims"] == 115 and rows["ES03"]["status"] == "unknown"
    turbines = gpd.read_file(gpkg, layer="windturbines_rivm")
    per_gm = gpd.sjoin(turbines, municipalities[["gm_code", "geometry"]], predicate="within")
    counts = per_gm.groupby("gm_code_right").size()
    for code in municipalities["gm_code"]:
        assert rows[code]["unknown_claims"] == counts.get(code, 0), code


def test_analyses_say_what_is_unknown(drenthe):
    ws_path, _, stdout = drenthe
    assert "INCOMPLETE - Eligible for wind" in stdout  # no buildings, roads, water, land use
    assert "capacity unknown for 27 of 27 substations: headroom not computed." in stdout
    info = _json("info", str(ws_path))
    results = {r["key"]: r for r in info["results"]}
    assert results["eligibility_wind"]["complete"] is False
    assert {"conflicts_basis", "grid_basis", "potential"} <= set(results)
    # no dwellings in the data: nuisance counts are unknown, not 0; the contours are there
    nuisance = Workspace.open(ws_path).result("nuisance_basis").summary
    assert nuisance["turbines"] == 115 + 3  # RIVM claims + onshore wind of powerplantmatching
    assert nuisance["dwellings"] is None and set(nuisance["over"].values()) == {None}
    assert nuisance["contour_area_ha"]["bal_lden_47"] > 0
    grid = Workspace.open(ws_path).result("grid_basis").summary
    assert grid["capacity_known"] == 0 and grid["overloaded"] is None


def test_population_per_municipality_matches_cbs_and_drives_the_cascade(drenthe):
    ws_path, _, stdout = drenthe
    cbs_csv = ROOT.parent / "shared" / "data" / "tables" / "cbs_gemeente_provincie_res_2024.csv"
    if not cbs_csv.is_file():
        pytest.skip(f"CBS table not found at {cbs_csv}")
    cbs = pd.read_csv(cbs_csv, dtype={"gm_code": str}).set_index("gm_code")
    drenthe_cbs = cbs[cbs["res_code"] == "ES03"]
    assert len(drenthe_cbs) == 12 and drenthe_cbs["inwoners_2024"].sum() == 504_129
    regions = Workspace.open(ws_path).regions("municipality").set_index("code")
    population = {
        code: json.loads(text)["population"] for code, text in regions["attributes"].items()
    }
    assert population == drenthe_cbs["inwoners_2024"].to_dict()  # every one, exactly
    assert population["GM0106"] == 69_701  # Assen
    # households too, against the national CBS boundaries file read with geopandas
    admin = ROOT.parent / "shared" / "data" / "admin" / "nl_admin_2024_cbs.gpkg"
    if admin.is_file():
        national = gpd.read_file(admin, layer="gemeenten", ignore_geometry=True)
        national = national[national["res_code"] == "ES03"].set_index("gm_code")
        households = {
            code: json.loads(text)["households"] for code, text in regions["attributes"].items()
        }
        assert households == pytest.approx(national["huishoudens"].to_dict())
        assert population == national["inwoners_2024"].to_dict()
    # the cascade by --key population, with no key file, splits 0.9834 TWh/yr by those shares
    split = _json("targets", str(ws_path), "--cascade", "targets_targets:2", "--to",
                  "municipality", "--key", "population")  # fmt: skip
    quantities = {r["code"]: r["quantity"] for r in split}
    expected = (drenthe_cbs["inwoners_2024"] / 504_129 * 0.9834).to_dict()
    assert quantities == pytest.approx(expected)
    assert quantities["GM0106"] == pytest.approx(0.9834 * 69_701 / 504_129)  # 0.1360
    # and it agrees with the municipal targets of targets.csv (rounded to 4 decimals there)
    targets = pd.read_csv(ROOT / "examples" / "drenthe" / "targets.csv").set_index("region_code")
    for code, value in quantities.items():
        assert targets.loc[code, "quantity"] == pytest.approx(value, abs=5e-5), code
    assert "split over municipality by population" in stdout


def test_realistic_potential_beside_the_technical_one(drenthe):
    ws_path, _, stdout = drenthe
    ws = Workspace.open(ws_path)
    summary = ws.result("potential").summary
    tech, real = summary["technical"], summary["realistic"]
    regions = ws.read_result("potential", "regions")
    ladder = ws.read_result("potential", "ladder")
    municipal = regions[regions["level"] == "municipality"]
    assert len(municipal) == 12
    # by hand from the stored technical figures and the rules' uptake shares
    shares = {1: 0.3, 2: 0.1, 3: 0.05, 4: 0.01}
    lad = ladder[ladder["region_code"].isin(municipal["region_code"])]
    solar_mwp = float((lad["mwp"] * lad["tier"].map(shares)).sum())
    expected = (0.1 * municipal["wind_gwh"].sum() + solar_mwp * 875 / 1000) / 1000
    assert real["twh"] == pytest.approx(expected, abs=1e-3)
    assert tech["twh"] == pytest.approx(municipal["possible_twh"].sum(), abs=1e-3)
    assert tech["target_twh"] == pytest.approx(0.9834, abs=1e-3)  # the 12 municipal targets
    assert real["twh"] < tech["twh"] / 5
    # eligibility is incomplete here (no buildings, roads, water): both are upper bounds
    assert real["upper_bound"] is True and real["provisional"] is True
    assert "Realistic potential (PROVISIONAL): " in stdout
    assert "Both are upper bounds: eligibility rules could not apply" in stdout
    # no buildings here: the dwelling setback variants cannot apply, reported as such, never 0
    variants = {v["name"]: v for v in summary["setback_variants"]}
    assert set(variants) == {"dwellings_600m", "dwellings_800m"}
    assert all(not v["applies"] and v["turbines"] is None for v in variants.values())
    assert "dwellings_600m cannot apply" in stdout


def test_turbines_per_municipality_add_up_to_the_headline(drenthe):
    """A turbine near a border counts in the region of its cell: the parts add up."""
    ws_path, _, stdout = drenthe
    ws = Workspace.open(ws_path)
    regions = ws.read_result("potential", "regions")
    turbines = ws.read_result("potential", "turbines")
    municipal = regions[regions["level"] == "municipality"]
    assert int(municipal["turbines"].sum()) == len(turbines)
    province = regions[regions["level"] == "province"]
    assert int(province["turbines"].iloc[0]) == len(turbines)
    assert f"wind {len(turbines)} turbines" in stdout
