# SPDX-License-Identifier: Apache-2.0
"""AC load flow: against pandapower itself and against a radial case computed by hand."""

from __future__ import annotations

import copy
import math

import pandapower as pp
import pandapower.networks as pn
import pandas as pd
import pytest
from grid_helpers import CRS, lines, substations, two_station_model

from ruimte.analysis.grid.loadflow import build_net, own_peaks, solve
from ruimte.analysis.grid.network_import import model_from_frames

ONE_TYPE = pd.DataFrame(
    [{"voltage_kv": 20, "r_ohm_per_km": 0.1, "x_ohm_per_km": 0.1, "c_nf_per_km": 0.0,
      "max_i_ka": 1.0}]
)  # fmt: skip


def test_solve_matches_pandapower_on_example_simple():
    net = pn.example_simple()
    reference = copy.deepcopy(net)
    pp.runpp(reference, numba=False)
    result = solve(net, case="example")
    assert result.converged
    assert result.buses["vm_pu"].to_numpy() == pytest.approx(reference.res_bus["vm_pu"], abs=1e-9)
    assert result.lines["loading_percent"].to_numpy() == pytest.approx(
        reference.res_line["loading_percent"], abs=1e-9
    )
    # known values of this network (pandapower 3.x): set points and the MV side
    assert result.buses.loc[0, "vm_pu"] == pytest.approx(1.02)
    assert result.buses.loc[5, "vm_pu"] == pytest.approx(1.03)
    assert result.buses.loc[3, "vm_pu"] == pytest.approx(1.0246, abs=1e-4)


def _radial(load_mw: float):
    subs = substations(
        [dict(x=0, y=0, substation_id="A", name="A", voltage_kv="20", capacity_mva=50.0,
              peak_load_mw=0.0),
         dict(x=10_000, y=0, substation_id="B", name="B", voltage_kv="20", capacity_mva=50.0,
              peak_load_mw=load_mw)]
    )  # fmt: skip
    ln = lines([dict(coords=[(0, 0), (10_000, 0)], name="A-B", voltage_kv=20)])
    return model_from_frames(subs, ln, crs=CRS)


def test_radial_line_voltage_drop_by_hand():
    p_mw, v1 = 4.0, 20.0
    model = _radial(p_mw)
    net = build_net(model, pd.Series({"B": p_mw}), case="offtake", line_types=ONE_TYPE, cos_phi=1.0)
    result = solve(net, case="radial")
    z = complex(1.0, 1.0)  # 10 km x (0.1 + j0.1) ohm/km
    v2 = complex(v1)
    for _ in range(50):  # V1 = V2 + Z conj(S / V2), line-to-line kV, MVA, ohm
        v2 = v1 - z * (p_mw / v2).conjugate()
    vm_b = result.buses.set_index("name").loc["B 20 kV", "vm_pu"]
    assert vm_b == pytest.approx(abs(v2) / v1, abs=1e-6)
    # the textbook approximation dV = (R P + X Q) / V: 1 x 4 / 20 = 0.2 kV = 1 %
    assert vm_b == pytest.approx(1 - 0.01, abs=2e-4)
    current_ka = p_mw / (math.sqrt(3) * abs(v2))
    assert result.lines.loc[0, "loading_percent"] == pytest.approx(current_ka / 1.0 * 100, rel=1e-4)
    assert result.violations == []


def test_radial_voltage_violation_is_named():
    model = _radial(40.0)  # 10 % drop
    net = build_net(model, pd.Series({"B": 40.0}), case="offtake", line_types=ONE_TYPE, cos_phi=1.0)
    result = solve(net)
    assert any(v.startswith("bus B 20 kV: voltage 0.8") for v in result.violations)


def test_own_peaks_subtract_children():
    model = two_station_model()
    parents = pd.Series({"A": None, "B": "A"}, dtype=object)
    assigned = pd.DataFrame({"substation_id": ["B"], "feedin_mw": [5.0], "offtake_mw": [0.0]})
    # A's 50 MW offtake includes B's 10; B gets its 10; feed-in A 40 - 8, B 8 + 5
    assert own_peaks(model, assigned, parents, "offtake").to_dict() == {"A": 40.0, "B": 10.0}
    assert own_peaks(model, assigned, parents, "feedin").to_dict() == {"A": 32.0, "B": 13.0}


def test_two_station_net_has_trafos_and_slack():
    model = two_station_model()
    peaks = pd.Series({"A": 40.0, "B": 10.0})
    net = build_net(model, peaks, case="offtake")
    assert len(net.trafo) == 2 and len(net.line) == 1 and len(net.ext_grid) == 1
    assert net.bus.loc[net.ext_grid.bus.iloc[0], "vn_kv"] == 150.0
    result = solve(net)
    assert result.converged
    # the 20 kV cable carries B's 10 MW plus losses: its own I^2 R (3 I^2 x 1.61 ohm)
    # and B's transformer
    line = result.lines.loc[0]
    cable_loss = 3 * line["i_ka"] ** 2 * 10 * 0.161
    trafo_b_in = result.trafos.set_index("name").loc["Beta", "p_hv_mw"]
    assert 10.0 < trafo_b_in < 10.2
    assert line["p_from_mw"] == pytest.approx(trafo_b_in + cable_loss, rel=0.01)


def test_line_rating_from_the_data_sets_the_thermal_limit():
    model = _radial(4.0)
    model.lines.loc[0, "capacity_mva"] = 10.0  # per circuit: 10 / (sqrt(3) x 20) = 0.2887 kA
    net = build_net(model, pd.Series({"B": 4.0}), case="offtake", line_types=ONE_TYPE, cos_phi=1.0)
    assert net.line.loc[0, "max_i_ka"] == pytest.approx(10.0 / (math.sqrt(3) * 20.0))
    result = solve(net)
    # 4 MW at about 19.8 kV: 0.1166 kA of 0.2887 kA
    assert result.lines.loc[0, "loading_percent"] == pytest.approx(40.4, abs=0.2)
