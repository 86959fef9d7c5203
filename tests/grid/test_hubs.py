# SPDX-License-Identifier: Apache-2.0
"""Battery dispatch (HiGHS), the hub calculation and the shipped 8760 profiles."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely import Point

from ruimte.analysis.grid.dispatch import DispatchError, min_peak_dispatch
from ruimte.analysis.grid.hubs import HubError, evaluate_hub, hub_members, hub_series
from ruimte.analysis.grid.profiles import generate_profiles, load_profiles, solar_geometry


@pytest.mark.parametrize(
    ("power", "energy", "efficiency", "peak"),
    [
        (10.0, 10.0, 1.0, 2.0),  # spread evenly: (0 + 4 + 0 + 4) / 4
        (1.0, 10.0, 1.0, 3.0),  # power-limited: 4 - 1
        (10.0, 1.0, 1.0, 3.0),  # energy-limited: 1 MWh shifted per cycle
        (10.0, 10.0, 0.81, 4.0 / 1.81),  # 0.9 each way: 0.81 p = 4 - p
        (0.0, 0.0, 1.0, 4.0),  # no battery
    ],
)
def test_dispatch_hand_cases(power, energy, efficiency, peak):
    d = min_peak_dispatch(
        np.array([0.0, 4.0, 0.0, 4.0]), power, energy, round_trip_efficiency=efficiency
    )
    assert d.status == "Optimal"
    assert d.peak_mw == pytest.approx(peak, abs=1e-6)
    assert d.soc_mwh.min() >= -1e-9 and d.soc_mwh.max() <= energy + 1e-9
    assert np.abs(d.grid_mw).max() == pytest.approx(peak, abs=1e-6)


def test_dispatch_export_peak_is_shaved_too():
    # solar surplus of 6 MW at noon, 2 MW demand at night: store the surplus
    d = min_peak_dispatch(np.array([2.0, -6.0, 2.0, 2.0]), 10.0, 10.0)
    assert d.peak_mw == pytest.approx(0.0, abs=1e-6)


def test_dispatch_rejects_bad_sizes():
    with pytest.raises(DispatchError, match="power_mw >= 0"):
        min_peak_dispatch(np.array([1.0]), -1.0, 1.0)


def test_evaluate_hub_by_hand():
    gen = np.array([0.0, 3.0, 0.0, 3.0])
    dem = np.array([2.0, 1.0, 2.0, 1.0])
    r = evaluate_hub(gen, dem, 5.0, 5.0, round_trip_efficiency=1.0)
    s = r.summary
    assert s["separate_mw"] == pytest.approx(5.0)  # 3 + 2
    assert s["matched_mw"] == pytest.approx(2.0)  # net [2, -2, 2, -2]
    assert s["hub_mw"] == pytest.approx(0.0, abs=1e-6)  # the battery evens it out
    assert s["avoided_mw"] == pytest.approx(5.0, abs=1e-6)


def test_shipped_profiles_are_the_generated_ones_and_calibrated():
    shipped = load_profiles()
    generated = generate_profiles(2026)
    assert len(shipped) == 8760
    for col in ("solar_pv", "wind", "household", "heat_pump", "ev_charging"):
        assert shipped[col].to_numpy() == pytest.approx(
            generated[col].to_numpy(), rel=1e-4, abs=1e-9
        )
    assert shipped["solar_pv"].sum() == pytest.approx(875.0, rel=1e-3)  # CBS kWh/kWp
    assert shipped["wind"].sum() == pytest.approx(2960.0, rel=1e-3)  # RVO full-load hours
    assert shipped[["household", "heat_pump", "ev_charging"]].sum().to_numpy() == pytest.approx(
        1.0, rel=1e-3
    )
    night = shipped["hour"] % 24 < 4
    assert shipped.loc[night, "solar_pv"].max() == 0.0
    # heat pumps draw more in January than in July
    assert shipped["heat_pump"][:744].sum() > 3 * shipped["heat_pump"][4344:5088].sum()


def test_sun_position_by_hand():
    # noon (solar) at the June solstice at 52.1 N: zenith = 52.1 - 23.45 = 28.65 degrees;
    # at the December solstice: 52.1 + 23.45 = 75.55 degrees
    hours = np.arange(8760)
    zen = np.degrees(np.arccos(np.clip(solar_geometry(hours.astype(float)), -1, 1)))
    assert zen[171 * 24 : 172 * 24].min() == pytest.approx(28.65, abs=1.0)
    assert zen[354 * 24 : 355 * 24].min() == pytest.approx(75.55, abs=1.0)


def test_hub_members_and_series():
    claims = gpd.GeoDataFrame(
        {"claim_id": ["hub", "pv", "far", "bat", "none"],
         "function": ["energy_hub", "solar_field", "solar_field", "battery", "nature_reserve"],
         "quantity": [2.0, 1.0, 5.0, 1.0, 3.0], "unit": ["MW", "MWp", "MWp", "MW", "ha"]},
        geometry=[Point(0, 0), Point(300, 0), Point(5000, 0), Point(0, 400), Point(100, 0)],
        crs="EPSG:28992",
    )  # fmt: skip
    members = hub_members(claims, "hub", 500.0)
    assert members["claim_id"].tolist() == ["hub", "pv", "bat", "none"]
    gen, dem, power, energy, table, warnings = hub_series(members)
    profiles = load_profiles()
    # template 0.5 MWp per MW of hub (1 MWp) + 1 MWp field = 2 MWp of solar
    assert gen.sum() == pytest.approx(2.0 * 875.0, rel=1e-3)
    assert dem.sum() == pytest.approx(2.0 * 500.0, rel=1e-3)  # 500 MWh per MW of hub
    assert (power, energy) == (pytest.approx(2.0), pytest.approx(4.0))  # 0.5/1 x 2 + 1/2
    assert warnings == ["claim none (nature_reserve): no hub profile; left out."]
    assert np.allclose(gen, 2.0 * profiles["solar_pv"].to_numpy())
    with pytest.raises(HubError, match="no claim 'hbu'.*'hub'"):
        hub_members(claims, "hbu", 500.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dispatch_against_closed_form(seed):
    # with net demand >= 0, lossless storage and enough energy, the best flat profile is
    # max(mean, max(net) - P): the battery can only shave P off the top, and a cyclic
    # battery cannot lower the average
    rng = np.random.default_rng(seed)
    net = rng.uniform(0.0, 10.0, 48)
    for power in (0.5, 2.0, 100.0):
        d = min_peak_dispatch(net, power, 1e4)
        assert d.peak_mw == pytest.approx(max(net.mean(), net.max() - power), abs=1e-6)
        # energy balance of a lossless cyclic battery: what goes in comes out
        assert d.charge_mw.sum() == pytest.approx(d.discharge_mw.sum(), abs=1e-6)
