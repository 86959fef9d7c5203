"""Noise kernel (ISO 9613-2 simplified) against hand calculations and analytic shapes."""

import math

import numpy as np
import pytest

from ruimte.analysis.nuisance.noise import (
    contour_radius_m,
    energy_sum_db,
    leq_db,
    noise_contours,
    point_level_db,
)
from ruimte.analysis.nuisance.settings import NoiseMethod, lden_offset_db, load_method

METHOD = NoiseMethod()  # alpha 1.9 dB/km, receiver 5 m, D_Omega on


def hand_level(lwa, dp, hs, hr=5.0, alpha=0.0019):
    """ISO 9613-2 eqs. 7, 8, 10, 11 written out term by term."""
    d = math.sqrt(dp * dp + (hs - hr) ** 2)  # slant distance
    adiv = 20 * math.log10(d) + 11
    aatm = alpha * d
    hm = (hs + hr) / 2
    agr = max(0.0, 4.8 - (2 * hm / d) * (17 + 300 / d))
    d_omega = 10 * math.log10(1 + (dp**2 + (hs - hr) ** 2) / (dp**2 + (hs + hr) ** 2))
    return lwa + d_omega - adiv - aatm - agr


@pytest.mark.parametrize(
    ("dp", "expected"),
    [
        # worked by hand for LwA 106 dB(A), hub 125.5 m, receiver 5 m:
        # 300 m: d = sqrt(300^2 + 120.5^2) = 323.30; Adiv = 20 lg 323.30 + 11 = 61.19;
        #        Aatm = 0.0019 * 323.30 = 0.61; hm = 65.25;
        #        Agr = 4.8 - (130.5/323.30)(17 + 0.928) = -2.44 -> 0;
        #        D_Omega = 10 lg(1 + 104520.25/107030.25) = 2.96
        #        Lp = 106 + 2.96 - 61.19 - 0.61 - 0 = 47.15
        (300.0, 47.15),
        # 500 m: d = 514.31; Adiv = 65.22; Aatm = 0.98; Agr = 4.8 - 0.2538 * 17.583 = 0.34;
        #        D_Omega = 2.99; Lp = 106 + 2.99 - 65.22 - 0.98 - 0.34 = 42.45
        (500.0, 42.45),
        # 1000 m: d = 1007.24; Adiv = 71.06; Aatm = 1.91; Agr = 4.8 - 0.1296 * 17.298 = 2.56;
        #        D_Omega = 3.00; Lp = 106 + 3.00 - 71.06 - 1.91 - 2.56 = 33.47
        (1000.0, 33.47),
    ],
)
def test_one_turbine_at_known_distances(dp, expected):
    assert hand_level(106.0, dp, 125.5) == pytest.approx(expected, abs=0.01)
    assert float(point_level_db(106.0, dp, 125.5, METHOD)) == pytest.approx(expected, abs=0.01)


def test_ground_term_is_clamped_at_zero_close_by():
    # at 300 m the eq. 10 bracket is negative: Agr must be 0, not a gain
    d = math.hypot(300.0, 120.5)
    d_omega = 10 * math.log10(1 + d * d / (300.0**2 + 130.5**2))
    without_ground = 106 + d_omega - (20 * math.log10(d) + 11) - 0.0019 * d
    assert float(point_level_db(106.0, 300.0, 125.5, METHOD)) == pytest.approx(
        without_ground, abs=0.01
    )


def test_lden_offset_from_the_end_definition():
    # 10 lg((12 + 4*10^0.5 + 8*10^1) / 24) = 10 lg(104.649 / 24) = 6.395
    assert lden_offset_db() == pytest.approx(6.395, abs=1e-3)
    assert load_method()[0].lden_offset_db == pytest.approx(6.395, abs=1e-3)


def test_two_identical_turbines_add_3_01_db():
    rx, ry = np.array([0.0, 250.0]), np.array([400.0, -300.0])
    one = leq_db(np.array([0.0]), np.array([0.0]), np.array([106.0]), np.array([120.0]), rx, ry)
    two = leq_db(np.zeros(2), np.zeros(2), np.full(2, 106.0), np.full(2, 120.0), rx, ry)
    np.testing.assert_allclose(two - one, 10 * math.log10(2), atol=1e-9)
    assert 10 * math.log10(2) == pytest.approx(3.0103, abs=1e-4)


def test_energy_sum_and_silence():
    assert float(energy_sum_db(np.array([50.0, 40.0]))) == pytest.approx(50.414, abs=1e-3)
    out = leq_db(np.array([]), np.array([]), np.array([]), np.array([]), np.zeros(3), np.zeros(3))
    assert np.isneginf(out).all()


def test_level_falls_with_distance():
    d = np.linspace(10, 5000, 500)
    assert (np.diff(point_level_db(106.0, d, 125.5, METHOD)) < 0).all()


@pytest.mark.parametrize("norm", [47.0, 45.0])
def test_contour_area_of_one_turbine_matches_the_circle(norm):
    off = METHOD.lden_offset_db
    r = contour_radius_m(106.0, 125.5, norm, METHOD, offset_db=off)
    assert float(point_level_db(106.0, r, 125.5, METHOD)) + off == pytest.approx(norm, abs=1e-6)
    cell = 5.0
    frame = noise_contours(
        np.array([1234.0]), np.array([-567.0]), np.array([106.0]), np.array([125.5]),
        {"n": (norm, off)}, METHOD, cell_m=cell,
    )  # fmt: skip
    area = frame.geometry.iloc[0].area
    circle = math.pi * r * r
    # raster of 5 m cells sampled at the centres: the boundary is within half a cell
    # diagonal, so the area within the ring pi((r +- 3.54)^2) - stated tolerance 2 %.
    assert abs(area - circle) / circle < 0.02
    assert (
        math.pi * (r - cell / math.sqrt(2)) ** 2 < area < math.pi * (r + cell / math.sqrt(2)) ** 2
    )
    centroid = frame.geometry.iloc[0].centroid
    assert centroid.x == pytest.approx(1234.0, abs=cell) and centroid.y == pytest.approx(
        -567, abs=cell
    )


def test_two_turbine_contour_is_bigger_than_the_union_of_circles():
    off = METHOD.lden_offset_db
    r = contour_radius_m(106.0, 125.5, 47.0, METHOD, offset_db=off)
    frame = noise_contours(
        np.array([0.0, 800.0]), np.array([0.0, 0.0]), np.full(2, 106.0), np.full(2, 125.5),
        {"n": (47.0, off)}, METHOD, cell_m=5.0,
    )  # fmt: skip
    assert frame.geometry.iloc[0].area > 2 * math.pi * r * r * 1.01  # the levels add up


def test_no_turbines_gives_empty_contours():
    frame = noise_contours(np.array([]), np.array([]), np.array([]), np.array([]), {"n": (47, 6)})
    assert frame.geometry.iloc[0].is_empty and frame["area_ha"].iloc[0] == 0
