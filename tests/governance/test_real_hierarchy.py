# SPDX-License-Identifier: Apache-2.0
"""Cascade and roll-up on the real 2024 hierarchy: 342 municipalities, 30 RES regions, 12 provinces.

Expected values come straight from the CBS table (pandas group sums) or are
written out by hand from its rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from ruimte.governance.cascade import CascadeError, cascade
from ruimte.governance.hierarchy import Hierarchy, HierarchyError
from ruimte.governance.rollup import rollup

RANKS = {"national": 0, "province": 1, "res_region": 2, "municipality": 3}
NATIONAL_TWH = 35.0  # Klimaatakkoord: 35 TWh/yr wind and solar on land by 2030 (FACTS.md section 5)


@pytest.fixture
def cbs(shared_data: Path) -> pd.DataFrame:
    return pd.read_csv(shared_data / "tables" / "cbs_gemeente_provincie_res_2024.csv")


@pytest.fixture
def hierarchy(cbs: pd.DataFrame) -> Hierarchy:
    # as `ruimte import --regions` stores it: a municipality's primary parent is
    # its RES region, its province a further parent; provinces and RES regions under NL
    regions = pd.concat(
        [
            pd.DataFrame({"code": ["NL"], "level": ["national"]}),
            pd.DataFrame({"code": cbs["pv_code"].unique(), "level": "province"}),
            pd.DataFrame({"code": cbs["res_code"].unique(), "level": "res_region"}),
            pd.DataFrame({"code": cbs["gm_code"], "level": "municipality"}),
        ]
    )
    links = pd.concat(
        [
            pd.DataFrame({"code": cbs["pv_code"].unique(), "parent_code": "NL"}),
            pd.DataFrame({"code": cbs["res_code"].unique(), "parent_code": "NL"}),
            pd.DataFrame({"code": cbs["gm_code"], "parent_code": cbs["res_code"]}),
            pd.DataFrame({"code": cbs["gm_code"], "parent_code": cbs["pv_code"]}),
        ]
    )
    return Hierarchy(regions, links)


@pytest.fixture
def population(cbs: pd.DataFrame) -> dict[str, float]:
    return dict(zip(cbs["gm_code"], cbs["inwoners_2024"].astype(float), strict=True))


def test_the_hierarchy_has_the_real_counts(hierarchy: Hierarchy, population: dict) -> None:
    assert len(hierarchy.at_level("municipality")) == 342
    assert len(hierarchy.at_level("res_region")) == 30
    assert len(hierarchy.at_level("province")) == 12
    assert len(hierarchy.leaves("NL")) == 342  # reached through both parents, counted once
    assert sum(population.values()) == 17_942_942


def test_national_35_twh_onto_res_regions_by_population(
    hierarchy: Hierarchy, population: dict, cbs: pd.DataFrame
) -> None:
    split = cascade(NATIONAL_TWH, "NL", "res_region", hierarchy, population)
    assert len(split) == 30
    assert split["quantity"].sum() == pytest.approx(NATIONAL_TWH)
    drenthe = split.set_index("code").loc["ES03", "quantity"]
    assert drenthe == pytest.approx(35 * 504_129 / 17_942_942)  # ≈ 0.983 TWh/yr
    expected = cbs.groupby("res_code")["inwoners_2024"].sum() / 17_942_942 * NATIONAL_TWH
    assert split.set_index("code")["quantity"].to_dict() == pytest.approx(expected.to_dict())


def test_national_35_twh_onto_municipalities_by_area(
    hierarchy: Hierarchy, shared_data: Path
) -> None:
    gm = pyogrio.read_dataframe(
        shared_data / "admin" / "nl_admin_2024_cbs.gpkg", layer="gemeenten", read_geometry=False
    )
    area = dict(zip(gm["gm_code"], gm["area_km2"], strict=True))
    split = cascade(NATIONAL_TWH, "NL", "municipality", hierarchy, area)
    assert len(split) == 342
    assert split["quantity"].sum() == pytest.approx(NATIONAL_TWH)
    groningen = split.set_index("code").loc["GM0014", "quantity"]
    assert groningen == pytest.approx(NATIONAL_TWH * 198.294 / gm["area_km2"].sum())


def test_foodvalley_spans_two_provinces_and_is_split_not_double_counted(
    hierarchy: Hierarchy, population: dict
) -> None:
    assert hierarchy.leaves("ES09") & hierarchy.leaves("PV25")
    assert hierarchy.leaves("ES09") & hierarchy.leaves("PV26")
    # Foodvalley's people: Gelderland 284,407 (Barneveld, Ede, Nijkerk, Scherpenzeel,
    # Wageningen), Utrecht 95,428 (Renswoude, Rhenen, Veenendaal)
    gelderland = 62_592 + 123_532 + 45_361 + 10_343 + 42_579
    utrecht = 5_753 + 20_235 + 69_440
    assert hierarchy.share("ES09", "PV25", population) == pytest.approx(
        gelderland / (gelderland + utrecht)
    )
    # roll a 1.0 TWh Foodvalley target up to the provinces: split, nothing lost
    provinces = rollup({"ES09": 1.0}, "province", hierarchy, RANKS, population)
    assert provinces.sum() == pytest.approx(1.0)
    assert provinces["PV26"] == pytest.approx(utrecht / (gelderland + utrecht))
    assert (provinces.drop(["PV25", "PV26"]) == 0).all()


def test_res_targets_roll_up_to_provincial_population_shares(
    hierarchy: Hierarchy, population: dict, cbs: pd.DataFrame
) -> None:
    res = cascade(NATIONAL_TWH, "NL", "res_region", hierarchy, population)
    values = dict(zip(res["code"], res["quantity"], strict=True))
    provinces = rollup(values, "province", hierarchy, RANKS, population)
    assert provinces.sum() == pytest.approx(NATIONAL_TWH)
    expected = cbs.groupby("pv_code")["inwoners_2024"].sum() / 17_942_942 * NATIONAL_TWH
    assert provinces.to_dict() == pytest.approx(expected.to_dict())
    national = rollup(values, "national", hierarchy, RANKS, population)
    assert national["NL"] == pytest.approx(NATIONAL_TWH)


def test_a_province_passes_foodvalley_only_its_own_part(
    hierarchy: Hierarchy, population: dict
) -> None:
    split = cascade(10.0, "PV26", "res_region", hierarchy, population).set_index("code")
    assert split["quantity"].sum() == pytest.approx(10.0)
    # Utrecht's Foodvalley municipalities hold 95,428 of the province's 1,400,057 people
    assert split.loc["ES09", "quantity"] == pytest.approx(10.0 * 95_428 / 1_400_057)


def test_equal_shares_and_bad_keys(hierarchy: Hierarchy) -> None:
    split = cascade(NATIONAL_TWH, "NL", "province", hierarchy, "equal")
    assert split["quantity"].tolist() == pytest.approx([NATIONAL_TWH / 12] * 12)
    with pytest.raises(CascadeError, match="Did you mean 'municipality'"):
        cascade(1.0, "NL", "municipalty", hierarchy, "equal")
    with pytest.raises(CascadeError, match="no positive value in 'ES09'"):
        cascade(1.0, "ES09", "municipality", hierarchy, {"GM0014": 5.0})
    with pytest.raises(CascadeError, match="unknown key 'popultion'"):
        cascade(1.0, "NL", "province", hierarchy, "popultion")


def test_a_cycle_in_the_parents_is_refused() -> None:
    regions = pd.DataFrame({"code": ["A", "B"], "level": ["province", "res_region"]})
    links = pd.DataFrame({"code": ["A", "B"], "parent_code": ["B", "A"]})
    with pytest.raises(HierarchyError, match="is its own ancestor"):
        Hierarchy(regions, links)
