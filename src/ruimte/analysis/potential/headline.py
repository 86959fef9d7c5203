# SPDX-License-Identifier: Apache-2.0
"""The demo headline: eligible land, wind and solar potential against the RES target."""

from __future__ import annotations

import math
from typing import Any

from ruimte.analysis.potential.run import run_potential
from ruimte.workspace import Workspace

__all__ = ["headline"]


def headline(ws: Workspace) -> dict[str, Any]:
    """Run the potential on a workspace and return JSON-able headline figures.

    The target compared with is that of the RES region (the first
    ``res_region`` with an energy target), else the largest region that has one.

    Returns
    -------
    dict
        ``wind_eligible_km2``, ``solar_eligible_km2``, ``turbines``, ``wind_mw``,
        ``wind_gwh``, ``solar_mwp``, ``solar_gwh``, ``target_region``,
        ``target_twh``, ``possible_twh``, ``realistic_twh``, ``seconds``,
        ``setback_variants`` (see :mod:`.variants`) and ``lines``.
    """
    result = run_potential(ws)
    s = result.summary()
    with_target = result.regions[result.regions["target_twh"].notna()]
    res = with_target[with_target["level"] == "res_region"]
    row = (res if not res.empty else with_target).iloc[0] if not with_target.empty else None
    target = float(row["target_twh"]) if row is not None else math.nan
    possible = float(row["possible_twh"]) if row is not None else math.nan
    realistic = float(row["realistic_twh"]) if row is not None else math.nan
    code = str(row["region_code"]) if row is not None else None
    out = {
        k: s[k]
        for k in (
            "wind_eligible_km2",
            "solar_eligible_km2",
            "turbines",
            "wind_mw",
            "wind_gwh",
            "solar_mwp",
            "solar_gwh",
            "seconds",
        )
    }
    out |= {
        "target_region": code,
        "target_twh": None if math.isnan(target) else target,
        "possible_twh": None if math.isnan(possible) else round(possible, 3),
        "realistic_twh": None if math.isnan(realistic) else round(realistic, 3),
    }
    lines = [
        f"Eligible land: wind {s['wind_eligible_km2']:,.1f} km², "
        f"solar {s['solar_eligible_km2']:,.1f} km² (exact buffers, {s['resolution_m']:g} m cells)",
        f"Wind: {s['turbines']} turbines, {s['wind_mw']:,.0f} MW, {s['wind_gwh']:,.0f} GWh/yr",
        (
            f"Solar: {s['solar_mwp']:,.0f} MWp, {s['solar_gwh']:,.0f} GWh/yr (roofs, "
            "built-up/edges, water, farmland)"
            if s["solar_mwp"] is not None
            else "Solar: unknown (the workspace has no regions to total it over)"
        ),
    ]
    if code is not None:
        lines.append(
            f"{code}: {possible:,.2f} TWh/yr technically possible against a target of "
            f"{target:,.2f} TWh/yr ({possible / target:,.1f}×: every eligible cell built)"
        )
        lines.append(
            f"{code}: realistic (provisional uptake shares from the rules): "
            + (
                f"{realistic:,.2f} TWh/yr ({realistic / target:.0%} of the target)"
                if not math.isnan(realistic)
                else "unknown (a tier or wind has no uptake share)"
            )
        )
    variants = s.get("setback_variants") or []
    if variants:
        lines.append(
            "Wind setback variants (technical): "
            + "; ".join(
                f"{v['rule']}: {v['turbines']} turbines, {v['twh']:,.2f} TWh/yr"
                if v["applies"]
                else f"{v['rule']}: cannot apply ({v['reason']})"
                for v in variants
            )
        )
    out["setback_variants"] = variants
    out["lines"] = lines
    return out
