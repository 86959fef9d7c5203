"""Turbine layouts, full-load hours, the solar ladder and targets."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine

from ruimte.analysis.eligibility import ELIGIBLE, ClassLayer, FeatureLayer, Grid
from ruimte.analysis.potential.solar import LandTier, ladder_table, tier_grid
from ruimte.analysis.potential.targets import compare_with_targets, energy_targets
from ruimte.analysis.potential.wind import full_load_hours_from_wind_speed, place_turbines


def _rotated(x, y, deg, step_a, step_c):
    t = math.radians(deg)
    a = (x * math.sin(t) + y * math.cos(t)) / step_a
    c = (x * math.cos(t) - y * math.sin(t)) / step_c
    return np.column_stack([a, c])


@pytest.mark.parametrize("deg", [225.0, 270.0])
def test_turbines_keep_4d_by_7d_spacing_everywhere(deg):
    grid = Grid(0.0, 7500.0, 25.0, 300, 300)
    codes = np.zeros(grid.shape, dtype=np.uint8)
    codes[10:230, 10:120] = ELIGIBLE  # a big area
    codes[10:230, 123:230] = ELIGIBLE  # a second one, 75 m away (spacing must still hold)
    codes[290:293, 290:293] = ELIGIBLE  # a tiny area far away: gets one turbine
    d = 100.0
    x, y, area = place_turbines(codes, grid, rotor_m=d, wind_from_deg=deg)
    rows = np.floor((grid.top - y) / 25).astype(int)
    cols = np.floor((x - grid.left) / 25).astype(int)
    assert (codes[rows, cols] == ELIGIBLE).all()
    p = _rotated(x, y, deg, 7 * d, 4 * d)
    gaps = np.abs(p[:, None, :] - p[None, :, :]).max(axis=2) + np.eye(len(x)) * 9
    assert gaps.min() >= 1 - 1e-6  # no two turbines closer than 7D along or 4D across
    assert 3 in set(area.tolist())
    # the lattice density bound: one turbine per 28 D² (plus the lonely one)
    eligible_m2 = (codes == ELIGIBLE).sum() * 625.0
    assert 0.7 * eligible_m2 / (28 * d * d) < len(x) <= eligible_m2 / (28 * d * d) + 12


def test_full_load_hours_grow_with_wind_speed():
    hours = full_load_hours_from_wind_speed(np.array([5.0, 6.5, 8.0]))
    assert np.all(np.diff(hours) > 0)
    assert 2000 < hours[1] < 3000  # close to the Dutch fleet's ≈2,960 h at ≈6.5-7 m/s


def test_solar_ladder_first_matching_tier_wins():
    grid = Grid(0.0, 100.0, 10.0, 10, 10)
    codes = np.full(grid.shape, ELIGIBLE, dtype=np.uint8)
    codes[0, :] = 0  # not eligible: no tier
    classes = np.zeros((10, 10), dtype=np.uint8)
    classes[:, :5] = 2  # farmland on the west half
    classes[:, 8:] = 16  # water in the east
    landuse = Affine(10.0, 0, 0, 0, -10.0, 100.0)
    road = np.array([shapely.LineString([(0, 15), (100, 15)])])  # along row 8 (y 10..20)
    tiers = [
        LandTier(2, "edges", 0.833, edges=FeatureLayer(road, 10.0)),
        LandTier(3, "water", 1.0, classes=ClassLayer(classes, landuse, (16,))),
        LandTier(4, "farmland", 0.833, classes=ClassLayer(classes, landuse, (2,))),
    ]
    out = tier_grid(codes, grid, tiers, chunk=4)
    assert (out[0] == 0).all()
    assert (out[7:10, :] == 2).all()  # centres at y 5, 15, 25 are within 10 m of y=15
    assert (out[1:7, 8:] == 3).all() and (out[1:7, :5] == 4).all()
    assert (out[1:7, 5:8] == 0).all()
    regions = gpd.GeoDataFrame(
        {"code": ["R"], "level": ["municipality"]}, geometry=[shapely.box(0, 0, 100, 100)]
    )
    table = ladder_table(
        out,
        grid,
        regions,
        tiers,
        roof_m2=np.array([6000.0]),
        roof_mwp_per_ha=10 / 6.0,
        roof_share=0.5,
    )
    ha = dict(zip(table["name"], table["ha"], strict=True))
    assert ha == pytest.approx({"roofs": 0.3, "edges": 0.3, "water": 0.12, "farmland": 0.3})
    assert table.set_index("name").loc["roofs", "mwp"] == pytest.approx(0.5)


def test_targets_prefer_the_scenario_and_compare():
    targets = pd.DataFrame(
        {
            "region_code": ["ES", "GM", "ES", "PV"],
            "transition": ["energy", "energy", "energy", "housing"],
            "unit": ["TWh/yr", "TWh/yr", "TWh/yr", "homes"],
            "quantity": [1.2, 0.4, 1.6, 900],
            "scenario": [None, None, "ambitie", None],
        }
    )
    assert energy_targets(targets).to_dict() == {"ES": 1.2, "GM": 0.4}
    assert energy_targets(targets, "ambitie").to_dict() == {"ES": 1.6, "GM": 0.4}
    regions = pd.DataFrame(
        {"region_code": ["ES", "XX"], "wind_gwh": [600.0, 1.0], "solar_gwh": [300.0, 0.0]}
    )
    out = compare_with_targets(regions, energy_targets(targets))
    assert out.loc[0, "possible_twh"] == pytest.approx(0.9)
    assert out.loc[0, "share_of_target"] == pytest.approx(0.75)
    assert np.isnan(out.loc[1, "target_twh"])
