"""Shadow flicker against an independent, step-by-step ray-disc computation with pvlib."""

import math

import numpy as np
import pandas as pd
import pvlib
import pytest

from ruimte.analysis.nuisance.flicker import realistic_hours, shadow_flicker, sun_path
from ruimte.analysis.nuisance.settings import FlickerMethod

LAT, LON = 52.75, 6.55  # Drenthe
METHOD = FlickerMethod(time_step_min=10, year=2025, min_sun_elevation_deg=3.0)
HUB, ROTOR = 120.0, 136.0


@pytest.fixture(scope="module")
def sun():
    return sun_path(LAT, LON, METHOD)


def reference_minutes(dx, dy, hub=HUB, rotor=ROTOR, hr=2.0):
    """Loop over every 10-minute step of 2025: does the ray to the sun meet the disc.

    The dwelling sits at (0, 0, hr); the hub at (dx, dy, hub). For each step the
    rotor plane is the plane through the hub with the sun direction as normal;
    the ray from the dwelling towards the sun meets that plane at
    P + lam * s with lam = (T - P) . s; shadow when the meeting point lies within
    the rotor radius of the hub (and lam > 0). Returns minutes per day (365).
    """
    times = pd.date_range("2025-01-01", "2026-01-01", freq="10min", tz="UTC", inclusive="left")
    pos = pvlib.solarposition.get_solarposition(times + pd.Timedelta(minutes=5), LAT, LON)
    zen = np.radians(pos["apparent_zenith"].to_numpy())
    azi = np.radians(pos["azimuth"].to_numpy())
    per_day = np.zeros(365)
    if math.hypot(dx, dy) > 12 * rotor:
        return per_day
    p = (0.0, 0.0, hr)
    t = (dx, dy, hub)
    for k in range(len(times)):
        if 90.0 - math.degrees(zen[k]) < 3.0:
            continue
        s = (math.sin(zen[k]) * math.sin(azi[k]), math.sin(zen[k]) * math.cos(azi[k]),
             math.cos(zen[k]))  # fmt: skip
        lam = sum((t[i] - p[i]) * s[i] for i in range(3))
        if lam <= 0:
            continue
        hit = [p[i] + lam * s[i] for i in range(3)]
        if math.dist(hit, t) <= rotor / 2:
            per_day[times[k].dayofyear - 1] += 10
    return per_day


@pytest.mark.parametrize(("dx", "dy"), [(-350.0, 0.0), (420.0, 150.0), (0.0, -600.0)])
def test_hours_and_minutes_match_the_step_by_step_reference(sun, dx, dy):
    # turbine at (dx, dy) from the dwelling: put the dwelling at (-dx, -dy), turbine at 0
    out = shadow_flicker(np.array([0.0]), np.array([0.0]), np.array([HUB]), np.array([ROTOR]),
                         np.array([-dx]), np.array([-dy]), sun, METHOD)  # fmt: skip
    ref = reference_minutes(dx, dy)
    assert ref.sum() > 0  # each case has shadow: a test that cannot fail is a defect
    # float32 sun vectors against float64: allow one step at the edge of the disc
    days = (ref > 0).sum()
    assert abs(out["flicker_hours"].iloc[0] * 60 - ref.sum()) <= 10
    assert abs(out["flicker_max_minutes_day"].iloc[0] - ref.max()) <= 10
    assert abs(out["flicker_days"].iloc[0] - days) <= 1
    assert abs(out["flicker_days_over_20min"].iloc[0] - (ref > 20).sum()) <= 1


def test_dwelling_south_of_the_turbine_gets_no_shadow(sun):
    # at 52.75 N the sun never stands in the north high enough to throw the
    # rotor's shadow 500 m south
    out = shadow_flicker(np.zeros(1), np.zeros(1), np.array([HUB]), np.array([ROTOR]),
                         np.array([0.0]), np.array([-500.0]), sun, METHOD)  # fmt: skip
    assert reference_minutes(0.0, 500.0).sum() == 0
    assert out["flicker_hours"].iloc[0] == 0


def test_beyond_twelve_rotor_diameters_nothing_counts(sun):
    far = 12 * ROTOR + 5
    out = shadow_flicker(np.zeros(1), np.zeros(1), np.array([HUB]), np.array([ROTOR]),
                         np.array([far, far - 10]), np.array([0.0, 0.0]), sun, METHOD)  # fmt: skip
    assert out["flicker_turbines"].tolist() == [0, 1]
    assert out["flicker_hours"].iloc[0] == 0


def test_simultaneous_shadow_of_two_turbines_counts_once_and_chunks_agree(sun):
    rx = np.array([-400.0, -380.0, 300.0, 5000.0])
    ry = np.array([0.0, 60.0, 100.0, 0.0])
    one = shadow_flicker(np.zeros(1), np.zeros(1), np.array([HUB]), np.array([ROTOR]), rx, ry,
                         sun, METHOD)  # fmt: skip
    two = shadow_flicker(np.zeros(2), np.zeros(2), np.full(2, HUB), np.full(2, ROTOR), rx, ry,
                         sun, METHOD, max_cells=1)  # fmt: skip  # one pair per chunk
    pd.testing.assert_frame_equal(one.drop(columns="flicker_turbines"),
                                  two.drop(columns="flicker_turbines"))  # fmt: skip
    assert two["flicker_turbines"].tolist() == [2, 2, 2, 0]


def test_realistic_expectation_scales_the_months(sun):
    out = shadow_flicker(np.zeros(1), np.zeros(1), np.array([HUB]), np.array([ROTOR]),
                         np.array([-350.0]), np.array([0.0]), sun, METHOD)  # fmt: skip
    months = out[[f"flicker_hours_m{k:02d}" for k in range(1, 13)]].to_numpy()
    assert months.sum() == pytest.approx(out["flicker_hours"].iloc[0])
    frac = np.linspace(0.1, 0.6, 12)
    assert realistic_hours(out, frac)[0] == pytest.approx(float(months[0] @ frac))
    with pytest.raises(ValueError, match="12 monthly values"):
        realistic_hours(out, np.full(11, 0.3))
