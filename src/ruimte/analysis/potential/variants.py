# SPDX-License-Identifier: Apache-2.0
"""Setback variants: the wind turbines that fit with another distance for one exclude rule.

``setback_variants`` in the wind rules (e.g. dwellings 400 m -> 600 m and
-> 800 m, each with a source and marked provisional) are computed beside the
technical and realistic potential: per variant the rules are changed in
memory, the eligibility kernel runs once more (nothing is stored), and the
turbines are placed as for the base. A variant whose rule cannot apply (its
dataset is absent, so the base skipped it too) is reported as such, with
turbines, MW and TWh unknown (None), never 0.

Cost: one eligibility run plus one turbine placement per variant that can
apply; none for a variant that cannot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import pandas as pd

from ruimte.analysis.eligibility.run import EligibilityResult, evaluate_rules
from ruimte.rules import SetbackVariant
from ruimte.workspace import Workspace

__all__ = ["setback_variants"]


def _rule_text(base_buffer: float, variant: SetbackVariant, label: str) -> str:
    return f"{label}: {base_buffer:g} m -> {variant.buffer_m:g} m"


def setback_variants(
    ws: Workspace,
    wind: EligibilityResult,
    place: Callable[[EligibilityResult], gpd.GeoDataFrame],
    per_region: Callable[[gpd.GeoDataFrame, gpd.GeoDataFrame, Any], pd.DataFrame],
    *,
    scheduler: Any = None,
) -> list[dict[str, Any]]:
    """Place wind turbines under each setback variant of ``wind``'s rules.

    Parameters
    ----------
    ws : Workspace
    wind : EligibilityResult
        The base wind eligibility; its rules, area and resolution are reused.
    place : callable
        Eligibility result -> turbines (``capacity_mw``, ``gwh_per_year``),
        the same placement as the base.
    per_region : callable
        (regions, turbines, grid) -> ``region_code, turbines, wind_mw, wind_gwh``.
    scheduler : optional
        As for :func:`~ruimte.analysis.eligibility.run_eligibility`.

    Returns
    -------
    list of dict
        Per variant: ``name``, ``rule`` (text), ``dataset``, ``function``,
        ``base_buffer_m``, ``buffer_m``, ``source``, ``provisional``,
        ``note``, ``applies``, ``reason`` (why not, else None), ``turbines``,
        ``wind_mw``, ``twh`` (None when it cannot apply), ``eligible_km2``
        and ``regions`` (``region_code, turbines, wind_mw, twh`` per region
        analysed).
    """
    out = []
    skipped = {s["rule"]: s["reason"] for s in wind.skipped}
    for variant in wind.rules.setback_variants:
        rules, base = wind.rules.with_variant(variant)
        row: dict[str, Any] = {
            "name": variant.name,
            "rule": _rule_text(base.buffer_m, variant, base.label.split(" +")[0]),
            "dataset": list(variant.datasets),
            "function": list(variant.functions),
            "base_buffer_m": base.buffer_m,
            "buffer_m": variant.buffer_m,
            "source": variant.source,
            "provisional": variant.provisional,
            "note": variant.note,
            "applies": base.where not in skipped,
            "reason": skipped.get(base.where),
            "turbines": None,
            "wind_mw": None,
            "twh": None,
            "eligible_km2": None,
            "regions": [],
        }
        if row["applies"]:
            result = evaluate_rules(
                ws, rules, wind.area, wind.grid.resolution, scheduler=scheduler, polygons=False
            )
            turbines = place(result)
            table = per_region(wind.area.regions, turbines, result.grid)
            row |= {
                "turbines": int(len(turbines)),
                "wind_mw": round(float(turbines["capacity_mw"].sum()), 1),
                "twh": round(float(turbines["gwh_per_year"].sum()) / 1000.0, 4),
                "eligible_km2": round(result.eligible_km2, 3),
                "regions": [
                    {
                        "region_code": r.region_code,
                        "turbines": int(r.turbines),
                        "wind_mw": round(float(r.wind_mw), 1),
                        "twh": round(float(r.wind_gwh) / 1000.0, 4),
                    }
                    for r in table.itertuples()
                ],
            }
        out.append(row)
    return out
