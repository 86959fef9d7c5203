# SPDX-License-Identifier: Apache-2.0
"""Demo headline: dwellings over the national noise and flicker norms per scenario."""

from __future__ import annotations

from typing import Any

from ruimte.analysis.nuisance.inputs import scenario_turbines
from ruimte.analysis.nuisance.run import run_nuisance
from ruimte.analysis.nuisance.settings import load_norms

__all__ = ["headline"]


def _national(norms: Any, indicators: tuple[str, ...]) -> Any:
    rows = norms[norms["indicator"].isin(indicators) & (norms["status"] == "national")]
    return rows.iloc[0] if len(rows) else None


def _count(over: dict[str, Any], norm: Any) -> str:
    value = None if norm is None else over.get(norm["id"])
    return "unknown" if value is None else str(value)


def headline(ws: Any) -> dict[str, Any]:
    """Run and store the nuisance of every scenario with turbine claims; return its figures.

    The line names the dwellings over the first national Lden norm (47 dB, Bal)
    and the first national flicker norm (Activiteitenregeling: more than 17
    days with more than 20 minutes), astronomical worst case, distance bands.

    Parameters
    ----------
    ws : Workspace

    Returns
    -------
    dict
        ``{"scenarios": {name: {...}}, "lines": [str, ...]}``; scenarios without
        turbine claims are left out (and said so).
    """
    norms = load_norms()
    noise = _national(norms, ("lden_db",))
    flicker = _national(norms, ("flicker_days_over_20min", "flicker_hours"))
    figures: dict[str, Any] = {}
    lines: list[str] = []
    names = ws.scenarios()["name"].astype(str).tolist() or [None]
    for name in names:
        turbines, _ = scenario_turbines(ws, name)
        if not (turbines["origin"] == "claim").any():
            lines.append(f"nuisance {name}: no located turbine claims, not assessed")
            continue
        result, key = run_nuisance(ws, name)
        s = result.summary
        over = s["over"]
        figures[str(name)] = {"result": key, "turbines": s["turbines"],
                              "dwellings": s["dwellings"], "over": over}  # fmt: skip

        lines.append(
            f"nuisance {name}: {s['turbines']} turbines; dwellings over "
            f"{noise['label'] if noise is not None else 'a national noise norm'}: "
            f"{_count(over, noise)}, "
            f"over {flicker['label'] if flicker is not None else 'a flicker norm'}: "
            f"{_count(over, flicker)} (worst case) of {s['dwellings']} dwellings"
        )
    return {"scenarios": figures, "lines": lines}
