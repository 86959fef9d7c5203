# SPDX-License-Identifier: Apache-2.0
"""AC load flow with pandapower for the feed-in peak and the offtake peak.

:func:`build_net` turns a :class:`GridModel` and the peak power per
substation into a pandapower network: per substation a bus at each voltage
with a transformer between (``capacity_mva``, parameters from
``data/transformer_types.csv``); lines between the buses of matching voltage
(parameters per voltage from ``data/line_types.csv``, ``circuits`` in
parallel, ``capacity_mva`` per circuit as the thermal limit where given).
Line ends that reach no substation become junction buses; a line without a
voltage takes the high voltage of the substation at its end; a substation
reached by a line of a voltage it lacks gets a bus and a transformer for it.
The external grid (slack) sits at the open ends of the highest-voltage lines
(the grid beyond the region) or else at the highest-voltage bus. Unbalanced
phases, tap changers and n-1 contingencies are not modelled. :func:`solve`
runs :func:`pandapower.runpp` and reports line and transformer loading and
voltages outside the limits of ``data/network_limits.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandapower as pp
import pandas as pd
import shapely

from ruimte.analysis.grid.factors import network_limits, read_table, transformer_parameters
from ruimte.analysis.grid.network import GridModel

Case = Literal["feedin", "offtake"]


@dataclass
class LoadFlowResult:
    """Outcome of one load flow (non-convergence is a result, not an exception).

    Attributes
    ----------
    case : str
    converged : bool
    buses, lines, trafos : DataFrame
        pandapower results joined to names (``vm_pu``; ``loading_percent``).
    violations : list of str
    summary : dict
    """

    case: str
    converged: bool
    buses: pd.DataFrame
    lines: pd.DataFrame
    trafos: pd.DataFrame
    violations: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def _line_type(voltage_kv: float, types: pd.DataFrame) -> pd.Series:
    idx = int(np.argmin(np.abs(types["voltage_kv"].to_numpy(dtype=float) - voltage_kv)))
    return types.iloc[idx]


def _bus(net: Any, vn_kv: float, name: str) -> int:
    return int(pp.create_bus(net, vn_kv=float(vn_kv), name=name))


def build_net(
    model: GridModel,
    p_mw: pd.Series,
    *,
    case: Case,
    line_types: pd.DataFrame | None = None,
    cos_phi: float | None = None,
) -> Any:
    """Build a pandapower network with each substation's own net peak at its lowest voltage.

    Parameters
    ----------
    model : GridModel
    p_mw : Series
        Net power per ``substation_id`` in MW (positive), of this substation
        alone (not of the stations it feeds).
    case : {"feedin", "offtake"}
        ``feedin`` creates static generators, ``offtake`` loads.
    line_types : DataFrame, optional
        Default ``data/line_types.csv``.
    cos_phi : float, optional
        Power factor of loads; default from ``data/network_limits.csv``.

    Returns
    -------
    pandapowerNet
    """
    limits = network_limits()
    types = read_table("line_types.csv") if line_types is None else line_types
    cos_phi = limits["load_cos_phi"] if cos_phi is None else cos_phi
    tan_phi = float(np.tan(np.arccos(cos_phi)))
    net = pp.create_empty_network(name=f"ruimte {case}")
    net["ruimte_notes"] = []
    stations = _Stations(net, model.substations, transformer_parameters())
    for row in model.substations.itertuples():
        for kv in (row.voltage_hv_kv, row.voltage_lv_kv):
            if np.isfinite(kv):
                stations.bus(row.Index, float(kv))
    tol = limits["snap_tolerance_m"]
    junctions: list[tuple[shapely.Point, float, int]] = []
    degree: dict[int, int] = {}
    skipped: list[str] = []
    inferred = 0
    for line in model.lines.itertuples():
        kv = float(line.voltage_kv)
        if not np.isfinite(kv):
            kv = _voltage_from_stations(line.geometry, stations, tol)
            inferred += 1
        if not np.isfinite(kv):
            skipped.append(str(line.name))
            continue
        ends = []
        for pt in (shapely.get_point(line.geometry, 0), shapely.get_point(line.geometry, -1)):
            station = stations.near(pt, tol)
            if station is not None:
                ends.append(stations.bus(station, kv))
                continue
            match = [b for g, v, b in junctions if v == kv and g.distance(pt) <= tol]
            if not match:
                match = [_bus(net, kv, f"{line.name} end {len(ends) + 1}")]
                junctions.append((pt, kv, match[0]))
            ends.append(match[0])
        if ends[0] == ends[1]:
            continue
        for b in ends:
            degree[b] = degree.get(b, 0) + 1
        lt = _line_type(kv, types)
        # a rating in the data (MVA per circuit) overrides the type's thermal current
        rated = float(line.capacity_mva) / (np.sqrt(3) * kv)
        max_i_ka = rated if np.isfinite(rated) and rated > 0 else float(lt["max_i_ka"])
        pp.create_line_from_parameters(
            net, ends[0], ends[1], length_km=max(float(line.length_km), 1e-3),
            r_ohm_per_km=float(lt["r_ohm_per_km"]), x_ohm_per_km=float(lt["x_ohm_per_km"]),
            c_nf_per_km=float(lt["c_nf_per_km"]), max_i_ka=max_i_ka,
            parallel=max(int(line.circuits), 1), name=str(line.name),
        )  # fmt: skip
    if inferred - len(skipped):
        net["ruimte_notes"].append(
            f"{inferred - len(skipped)} line(s) without a voltage took the high voltage of the "
            "substation at one of their ends."
        )
    if skipped:
        net["ruimte_notes"].append(
            f"{len(skipped)} line(s) without a voltage left out: {', '.join(skipped[:5])}"
            + (" ..." if len(skipped) > 5 else "")
        )
    for row in model.substations.itertuples():
        p = float(p_mw.get(row.substation_id, 0.0))
        bus = stations.lowest(row.Index)
        if p <= 0:
            continue
        if bus is None:
            net["ruimte_notes"].append(f"substation {row.name!r} has no voltage: its {p:.1f} MW "
                                       "are left out of the load flow.")  # fmt: skip
        elif case == "offtake":
            pp.create_load(net, bus, p_mw=p, q_mvar=p * tan_phi, name=str(row.name))
        else:
            pp.create_sgen(net, bus, p_mw=p, name=str(row.name))
    if stations.no_capacity:
        names = sorted(set(stations.no_capacity))
        net["ruimte_notes"].append(
            f"{len(names)} substation(s) without capacity: their transformers are modelled as "
            f"1000 MVA: {', '.join(names[:5])}" + (" ..." if len(names) > 5 else "")
        )
    open_ends = [(b, v) for _, v, b in junctions if degree.get(b, 0) == 1]
    _place_ext_grid(net, model.substations, stations, open_ends, limits["ext_grid_vm_pu"])
    return net


def _voltage_from_stations(geometry: Any, stations: _Stations, tol: float) -> float:
    """Return the high voltage of a substation at either end of a line, or NaN."""
    for pt in (shapely.get_point(geometry, 0), shapely.get_point(geometry, -1)):
        station = stations.near(pt, tol)
        if station is not None:
            kv = float(stations.subs.loc[station, "voltage_hv_kv"])
            if np.isfinite(kv):
                return kv
    return float("nan")


class _Stations:
    """Buses per substation and voltage; a missing level gets a bus and a transformer."""

    def __init__(self, net: Any, subs: Any, trafo: dict[str, float]) -> None:
        self.net, self.subs, self.trafo = net, subs, trafo
        self.buses: dict[tuple[int, float], int] = {}
        self.geoms = subs.geometry.to_numpy()
        self.no_capacity: list[str] = []

    def near(self, pt: shapely.Point, tol: float) -> int | None:
        dist = shapely.distance(self.geoms, pt)
        i = int(np.argmin(dist))
        return int(self.subs.index[i]) if dist[i] <= tol else None

    def lowest(self, index: int) -> int | None:
        levels = sorted(kv for i, kv in self.buses if i == index)
        return self.buses[(index, levels[0])] if levels else None

    def bus(self, index: int, kv: float) -> int:
        if (index, kv) in self.buses:
            return self.buses[(index, kv)]
        row = self.subs.loc[index]
        others = [v for i, v in self.buses if i == index]
        self.buses[(index, kv)] = _bus(self.net, kv, f"{row['name']} {kv:g} kV")
        if others:
            near = min(others, key=lambda v: abs(v - kv))
            hv, lv = max(kv, near), min(kv, near)
            cap = float(row["capacity_mva"])
            if not np.isfinite(cap) or cap <= 0:
                cap = 1e3
                self.no_capacity.append(str(row["name"]))
            t = self.trafo
            pp.create_transformer_from_parameters(
                self.net, self.buses[(index, hv)], self.buses[(index, lv)], sn_mva=cap,
                vn_hv_kv=hv, vn_lv_kv=lv, vkr_percent=t["vkr_percent"],
                vk_percent=t["vk_percent"], pfe_kw=t["pfe_kw"], i0_percent=t["i0_percent"],
                name=str(row["name"]),
            )  # fmt: skip
        return self.buses[(index, kv)]


def _place_ext_grid(
    net: Any, subs: Any, stations: _Stations, open_ends: list[tuple[int, float]], vm_pu: float
) -> None:
    """Put the slack at open ends of the highest-voltage lines, else at the top station."""
    levels = [kv for _, kv in stations.buses]
    top = max(levels + [kv for _, kv in open_ends])
    slack = [b for b, kv in open_ends if kv >= top]
    if not slack:
        slack = [b for (_, kv), b in stations.buses.items() if kv == top][:1]
    for bus in slack:
        pp.create_ext_grid(net, bus, vm_pu=vm_pu, name="HV grid")


def solve(net: Any, *, case: str = "", limits: dict[str, float] | None = None) -> LoadFlowResult:
    """Run an AC load flow (Newton-Raphson) and report loading and voltage violations.

    Parameters
    ----------
    net : pandapowerNet
    case : str
        Label for the report.
    limits : dict, optional
        ``vm_min_pu, vm_max_pu, line_loading_max_percent,
        trafo_loading_max_percent``; default ``data/network_limits.csv``.

    Returns
    -------
    LoadFlowResult
    """
    limits = limits or network_limits()
    try:
        pp.runpp(net, algorithm="nr", numba=False)
        converged = bool(net.converged)
    except pp.LoadflowNotConverged:
        converged = False
    if not converged:
        empty = pd.DataFrame()
        message = f"{case or 'load flow'}: the load flow did not converge (overloaded or islanded)."
        return LoadFlowResult(case, False, empty, empty, empty, [message], {"converged": False})
    buses = net.bus[["name", "vn_kv"]].join(net.res_bus[["vm_pu", "va_degree", "p_mw", "q_mvar"]])
    lines = net.line[["name", "length_km", "parallel"]].join(
        net.res_line[["p_from_mw", "i_ka", "loading_percent"]]
    )
    trafos = net.trafo[["name", "sn_mva"]].join(net.res_trafo[["p_hv_mw", "loading_percent"]])
    violations = list(net.get("ruimte_notes", []))
    islands = buses.loc[buses["vm_pu"].isna(), "name"].astype(str).tolist()
    if islands:
        violations.append(
            f"{len(islands)} bus(es) not connected to the external grid (islands): "
            + ", ".join(islands[:5])
            + (" ..." if len(islands) > 5 else "")
        )
    for row in buses.dropna(subset=["vm_pu"]).itertuples():
        if not limits["vm_min_pu"] <= row.vm_pu <= limits["vm_max_pu"]:
            violations.append(
                f"bus {row.name}: voltage {row.vm_pu:.3f} pu outside "
                f"{limits['vm_min_pu']:g}-{limits['vm_max_pu']:g} pu."
            )
    for what, frame, key in (("line", lines, "line_loading_max_percent"),
                             ("transformer", trafos, "trafo_loading_max_percent")):  # fmt: skip
        for row in frame[frame["loading_percent"] > limits[key]].itertuples():
            violations.append(f"{what} {row.name}: loaded {row.loading_percent:.0f} %.")
    summary = {
        "converged": True,
        "max_line_loading_percent": _round(lines["loading_percent"].max(), 2),
        "max_trafo_loading_percent": _round(trafos["loading_percent"].max(), 2),
        "vm_min_pu": _round(buses["vm_pu"].min(), 4),
        "vm_max_pu": _round(buses["vm_pu"].max(), 4),
        "violations": len(violations),
    }
    return LoadFlowResult(case, True, buses, lines, trafos, violations, summary)


def _round(value: Any, digits: int) -> float | None:
    """Round a float for a JSON summary; None for NaN (e.g. a max over no rows)."""
    value = float(value)
    return round(value, digits) if np.isfinite(value) else None


def own_peaks(
    model: GridModel, assigned: pd.DataFrame, parents: pd.Series, case: Case
) -> pd.Series:
    """Return each substation's own net peak (MW) for a load flow case.

    A station's present peak includes the stations it feeds, so their present
    peaks are subtracted (not below zero); claims assigned directly are added.

    Parameters
    ----------
    model : GridModel
    assigned : DataFrame
        ``substation_id, feedin_mw, offtake_mw`` per claim.
    parents : Series
        ``substation_id -> parent_id``.
    case : {"feedin", "offtake"}

    Returns
    -------
    Series
        MW by substation_id.
    """
    subs = model.substations.set_index("substation_id")
    column = "peak_feedin_mw" if case == "feedin" else "peak_load_mw"
    present = subs[column].astype(float).fillna(0.0)
    children = present.groupby(parents.reindex(present.index)).sum()
    own = (present - children.reindex(present.index).fillna(0.0)).clip(lower=0.0)
    direct = assigned.dropna(subset=["substation_id"]).groupby("substation_id")[f"{case}_mw"].sum()
    return own.add(direct, fill_value=0.0)


def run_loadflows(
    model: GridModel, assigned: pd.DataFrame, parents: pd.Series
) -> dict[str, LoadFlowResult]:
    """Run the feed-in peak and the offtake peak load flows.

    Parameters
    ----------
    model : GridModel
    assigned : DataFrame
    parents : Series

    Returns
    -------
    dict
        ``{"feedin": LoadFlowResult, "offtake": LoadFlowResult}``.
    """
    out = {}
    for case in ("feedin", "offtake"):
        peaks = own_peaks(model, assigned, parents, case)  # type: ignore[arg-type]
        out[case] = solve(build_net(model, peaks, case=case), case=case)  # type: ignore[arg-type]
    return out
