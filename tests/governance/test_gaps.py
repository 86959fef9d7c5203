# SPDX-License-Identifier: Apache-2.0
"""The gap report and plan checks on the demo region and on the real 2024 hierarchy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from ruimte.governance.cascade import cascade
from ruimte.governance.gaps import gap_report
from ruimte.governance.hierarchy import workspace_hierarchy
from ruimte.governance.quantities import UnitMismatchError, hectares, per_hectare
from ruimte.governance.report import area_key, workspace_cascade, workspace_gaps
from ruimte.workspace import Workspace

TODAY = dt.date(2026, 11, 29)


def test_units_convert_through_space_use_and_yield(ws: Workspace) -> None:
    vocab = ws.vocabulary
    # 80 ha solar at 1.2 ha/MWp and 875 kWh/kWp: 80 / 1.2 * 875 MWh = 58,333 MWh/yr
    assert hectares(vocab, "solar_field", 80, "ha") == 80
    assert 80 * per_hectare(vocab, "solar_field", "MWh/yr") == pytest.approx(80 / 1.2 * 875)
    # a 5.6 MW turbine takes 5.6 * 9.5 ha and yields 5.6 * 2,960 MWh/yr (basis assumptions)
    assert hectares(vocab, "wind_turbine", 5.6, "MW") == pytest.approx(53.2)
    assert per_hectare(vocab, "wind_turbine", "GWh/yr", {"full_load_hours_wind": 3400}) == (
        pytest.approx(3400 / 9.5 / 1000)
    )
    assert hectares(vocab, "housing", 1500, "homes", {"homes_per_ha": 30}) == pytest.approx(50)
    with pytest.raises(UnitMismatchError, match="unit 'MW' does not fit function 'housing'"):
        hectares(vocab, "housing", 10, "MW", what="claim X")


def test_demo_gap_report_by_hand(demo_ws: Workspace) -> None:
    report = workspace_gaps(demo_ws, "basis", today=TODAY)
    gaps = report.gaps.set_index("target_id")
    # ES99 energy 1.2 TWh/yr. Planned by 2030: five 5.6 MW turbines at 2,960 h, solar
    # 20.8 + 13.1 + 20.8 MWp at 875 kWh/kWp, and the not-yet-located 80 ha solar (C016)
    planned_mwh = 5 * 5.6 * 2960 + (20.8 + 13.1 + 20.8) * 875 + 80 / 1.2 * 875
    assert gaps.loc["T10", "planned"] == pytest.approx(planned_mwh / 1e6)
    assert gaps.loc["T10", "shortfall"] == pytest.approx(1.2 - planned_mwh / 1e6)
    # the four municipal targets 0.45 + 0.30 + 0.25 + 0.20 add up to the RES region's 1.2
    assert gaps.loc["T10", "lower_targets"] == pytest.approx(1.2)
    assert gaps.loc["T10", "lower_add_up"]
    # housing PV99 9,000 homes: 1,800 (C001) + 1,500 (C017) planned; municipalities add up
    assert gaps.loc["T20", "planned"] == pytest.approx(3300)
    assert gaps.loc["T20", "lower_targets"] == pytest.approx(9000)
    assert set(report.gaps["level"]) == {"province", "res_region", "municipality"}
    issues = {(r.plan_id, r.issue) for r in report.plans.itertuples()}
    assert ("P05", "late") in issues and ("P07", "late") in issues
    assert ("P05", "contradicts") in issues  # omgevingsplan to 2035 vs woondeal by 2030
    assert ("P02", "late") not in issues  # in force


def test_ambitie_targets_replace_the_basis_ones(demo_ws: Workspace) -> None:
    gaps = workspace_gaps(demo_ws, "ambitie", level="res_region", today=TODAY).gaps
    assert set(gaps["target_id"]) == {"T30", "T50"}  # T30 (1.6 TWh) replaces T10 (1.2 TWh)
    assert gaps.set_index("target_id").loc["T30", "target"] == pytest.approx(1.6)


def test_target_in_a_unit_that_does_not_fit_is_named(demo_ws: Workspace) -> None:
    demo_ws.add_targets(
        pd.DataFrame(
            [
                {
                    "target_id": "T99",
                    "region_code": "GM9901",
                    "function": "housing",
                    "quantity": 12.0,
                    "unit": "MW",
                    "horizon_year": 2030,
                }
            ]
        )
    )
    with pytest.raises(UnitMismatchError) as err:
        workspace_gaps(demo_ws, "basis")
    message = str(err.value)
    assert "target T99 (GM9901): unit 'MW' does not fit function 'housing'" in message
    assert "homes" in message and "change the function" in message


def test_cascade_of_a_stored_target_by_area(demo_ws: Workspace) -> None:
    split = workspace_cascade(demo_ws, "T10", "municipality", "area")
    areas = area_key(demo_ws)
    total = sum(areas[c] for c in ("GM9901", "GM9902", "GM9903", "GM9904"))
    assert split["quantity"].sum() == pytest.approx(1.2)
    assert split.set_index("code").loc["GM9902", "quantity"] == pytest.approx(
        1.2 * areas["GM9902"] / total
    )


def test_real_hierarchy_in_a_workspace_rolls_up_res_targets(
    ws: Workspace, shared_data: Path, import_real_hierarchy
) -> None:
    admin = shared_data / "admin" / "nl_admin_2024_cbs.gpkg"
    gm = pyogrio.read_dataframe(admin, layer="gemeenten")
    import_real_hierarchy(ws, admin)
    hierarchy = workspace_hierarchy(ws.regions(), ws.region_parents())
    assert sorted(hierarchy.parents["GM0345"]) == ["ES09", "PV26"]  # Veenendaal
    population = dict(zip(gm["gm_code"], gm["inwoners_2024"].astype(float), strict=True))
    res = cascade(35.0, "NL", "res_region", hierarchy, population)
    ws.add_targets(
        pd.DataFrame(
            [
                {
                    "target_id": "NL35",
                    "region_code": "NL",
                    "transition": "energy",
                    "quantity": 35.0,
                    "unit": "TWh/yr",
                    "horizon_year": 2030,
                }
            ]
            + [
                {
                    "target_id": f"T_{c}",
                    "region_code": c,
                    "transition": "energy",
                    "quantity": q,
                    "unit": "TWh/yr",
                    "horizon_year": 2030,
                }
                for c, q in zip(res["code"], res["quantity"], strict=True)
            ]
        )
    )
    gaps = gap_report(ws.targets(), ws.claims(), hierarchy, ws.vocabulary, area_key(ws))
    national = gaps.set_index("target_id").loc["NL35"]
    assert national["lower_level"] == "res_region"
    assert national["lower_targets"] == pytest.approx(35.0)  # Foodvalley counted once
    assert bool(national["lower_add_up"])
    assert national["shortfall"] == pytest.approx(35.0)  # no claims in this workspace
