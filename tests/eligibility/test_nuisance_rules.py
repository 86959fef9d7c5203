# SPDX-License-Identifier: Apache-2.0
"""Wind rules that exclude by computed noise or shadow flicker at dwellings (one dwelling)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer
from scipy.optimize import brentq

from ruimte.analysis.eligibility import run_eligibility
from ruimte.analysis.nuisance import flicker as fl
from ruimte.analysis.nuisance.settings import load_method
from ruimte.rules import RuleError, load_turbine_types, parse_rules
from ruimte.workspace import Workspace

CRS = "EPSG:28992"
X0, Y0 = 200_000.0, 500_000.0
RES = 25.0
HOUSE = (X0 + 2000 + RES / 2, Y0 + 2000 + RES / 2)  # a cell centre of the 25 m grid
LDEN_OFFSET = 10 * math.log10((12 + 4 * 10**0.5 + 8 * 10) / 24)  # END, constant operation
SPEC = load_turbine_types()["rvo_2020_average"]


def hand_level(lwa, dp, hs, hr=5.0, alpha=0.0019):
    """ISO 9613-2 eqs. 7, 8, 10, 11 by hand (as in tests/nuisance), not the kernel."""
    d = math.hypot(dp, hs - hr)
    agr = max(0.0, 4.8 - ((hs + hr) / d) * (17 + 300 / d))
    d_omega = 10 * math.log10(1 + (dp**2 + (hs - hr) ** 2) / (dp**2 + (hs + hr) ** 2))
    return lwa + d_omega - (20 * math.log10(d) + 11) - alpha * d - agr


@pytest.fixture
def one_house(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    area = gpd.GeoDataFrame(
        {"code": ["GM1"], "name": ["Een"], "level": ["municipality"]},
        geometry=[shapely.box(X0, Y0, X0 + 4000, Y0 + 4000)], crs=CRS,
    )  # fmt: skip
    src = tmp_path / "area.gpkg"
    area.to_file(src)
    ws.import_regions(src, code_field="code", name_field="name", level_field="level")
    house = gpd.GeoDataFrame({"function": ["housing"]}, geometry=[shapely.Point(HOUSE)], crs=CRS)
    house.to_file(tmp_path / "house.gpkg")
    ws.import_file(tmp_path / "house.gpkg", name="buildings", function="housing")
    return ws


def _rules(rule_file, norm: str) -> str:
    return rule_file(
        f"""
technology: wind
resolution_m: {RES:g}
exclude:
  - dataset: buildings
    function: housing
    nuisance: {norm}
    source: helpdesk_wind_normen
potential:
  turbine_type: rvo_2020_average
"""
    )


def _centres(result):
    g = result.grid
    cols, rows = np.meshgrid(np.arange(g.cols), np.arange(g.rows))
    return g.left + (cols + 0.5) * g.resolution, g.top - (rows + 0.5) * g.resolution


def test_noise_rule_excludes_the_disc_where_lden_exceeds_47_db(one_house, rule_file):
    r47 = brentq(
        lambda r: hand_level(SPEC["lwa_dba"], r, SPEC["hub_height_m"]) + LDEN_OFFSET - 47, 1, 5000
    )
    assert 560 < r47 < 590  # 106 dB(A) at 125.5 m: more than the 400 m rule of thumb
    result = run_eligibility(one_house, "wind", rules=_rules(rule_file, "bal_lden_47"), save=False)
    x, y = _centres(result)
    d = np.hypot(x - HOUSE[0], y - HOUSE[1])
    inside = result.codes != 255
    excluded = inside & (result.codes == 0)
    assert excluded[d < r47 - 1].all() and not excluded[inside & (d > r47 + 1)].any()
    # the excluded cells' area is the disc's, within the cells cut by the circle
    assert excluded.sum() * RES**2 == pytest.approx(math.pi * r47**2, rel=0.02)
    assert result.rules.describe()[0]["nuisance"] == "bal_lden_47"


def test_flicker_rule_excludes_where_the_shadow_exceeds_6_hours(one_house, rule_file):
    result = run_eligibility(
        one_house, "wind", rules=_rules(rule_file, "draft_flicker_hours"), save=False
    )
    x, y = _centres(result)
    inside = result.codes != 255
    # a sample of cells along a ring and a cross: a turbine at the cell, the shadow at the house
    d = np.hypot(x - HOUSE[0], y - HOUSE[1])
    pick = np.flatnonzero((inside & (d < 1600)).ravel())[::97]
    _, method = load_method()
    lon, lat = Transformer.from_crs(CRS, 4326, always_xy=True).transform(X0 + 2000, Y0 + 2000)
    sun = fl.sun_path(lat, lon, method)  # the area's centre, as the rule uses
    assert len(pick) > 50
    # one turbine at a time (shadows of several turbines at one step count once): ask each
    each = np.array([
        fl.shadow_flicker(x.ravel()[[k]], y.ravel()[[k]], np.array([SPEC["hub_height_m"]]),
                          np.array([SPEC["rotor_m"]]), np.array([HOUSE[0]]),
                          np.array([HOUSE[1]]), sun, method)["flicker_hours"].iloc[0]
        for k in pick
    ])  # fmt: skip
    excluded = result.codes.ravel()[pick] == 0
    assert excluded.any() and (~excluded).any()
    assert (excluded == (each > 6)).all()
    # worst-case shadow falls north of the house only from turbines south of it: asymmetric
    south = y.ravel()[pick] < HOUSE[1] - 200
    north = y.ravel()[pick] > HOUSE[1] + 200
    assert excluded[south].mean() != excluded[north].mean()


def test_nuisance_key_errors_name_the_rule(one_house, rule_file):
    with pytest.raises(RuleError, match="'buffer_m' cannot be used with 'nuisance'"):
        rule = {"dataset": "b", "nuisance": "bal_lden_47", "buffer_m": 5}
        parse_rules({"technology": "wind", "exclude": [rule]})
    with pytest.raises(RuleError, match="exclude rules of wind turbines only"):
        parse_rules({"technology": "solar", "exclude": [{"dataset": "b", "nuisance": "x"}]})
    with pytest.raises(RuleError, match=r"exclude\[0\]: key 'nuisance' names 'bal_lden_74'"):
        run_eligibility(one_house, "wind", rules=_rules(rule_file, "bal_lden_74"), save=False)
