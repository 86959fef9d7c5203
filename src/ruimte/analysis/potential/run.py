# SPDX-License-Identifier: Apache-2.0
"""``run_potential``: wind turbines and solar ladder in eligible land, against targets."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.analysis.eligibility.run import EligibilityResult, run_eligibility
from ruimte.analysis.potential.inputs import land_tiers, mwp_per_ha, roof_geometries, wind_speed_at
from ruimte.analysis.potential.realistic import Uptake, add_realistic, uptake_shares
from ruimte.analysis.potential.solar import ladder_table, roof_area_per_region, tier_grid
from ruimte.analysis.potential.targets import compare_with_targets, energy_targets
from ruimte.analysis.potential.variants import setback_variants
from ruimte.analysis.potential.wind import full_load_hours_from_wind_speed, place_turbines
from ruimte.errors import did_you_mean
from ruimte.rules import RuleError, load_ladder, load_turbine_types
from ruimte.vocab import load_vocabulary
from ruimte.workspace import Workspace
from ruimte.workspace.rasters import RasterData

logger = logging.getLogger(__name__)

__all__ = ["PotentialResult", "run_potential"]


@dataclass
class PotentialResult:
    """Turbines, solar ladder and the per-region comparison with targets."""

    wind: EligibilityResult
    solar: EligibilityResult
    turbines: gpd.GeoDataFrame
    ladder: pd.DataFrame
    tiers: np.ndarray
    regions: pd.DataFrame
    parameters: dict[str, Any]
    seconds: float
    #: the uptake shares behind the realistic potential: wind's, then one per ladder tier
    uptake: list[Uptake] = field(default_factory=list)
    #: wind turbines under each setback variant of the wind rules (see :mod:`.variants`)
    setback_variants: list[dict[str, Any]] = field(default_factory=list)

    def area_total(self, column: str, *, strict: bool = False) -> float | None:
        """Return ``column`` summed over the area analysed (None when no region holds it).

        The row of the region analysed when there is one; otherwise the sum over
        the regions of the finest level present (the municipalities), which
        cover the area without overlap -- never just the first row of the table.
        With ``strict``, a sum with an unknown (NaN) part is unknown (None).
        """
        regions = self.regions
        if regions.empty or column not in regions:
            return None
        code = self.wind.area.code
        own = regions[regions["region_code"] == code] if code is not None else regions.iloc[0:0]
        if not own.empty:
            value = float(own[column].iloc[0])
            return None if strict and np.isnan(value) else value
        ranks = {lv.id: lv.rank for lv in load_vocabulary().levels.values() if lv.rank is not None}
        rank = regions["level"].map(ranks)
        leaves = regions[rank == rank.max()] if rank.notna().any() else regions
        if strict and leaves[column].isna().any():
            return None
        return float(leaves[column].sum())

    def technical_and_realistic(self) -> dict[str, Any]:
        """Return the technical and the realistic potential of the area, against its target.

        Returns
        -------
        dict
            ``technical``: ``twh``, ``target_twh``, ``times_target``;
            ``realistic``: ``wind_mw``, ``wind_gwh``, ``solar_mwp``,
            ``solar_gwh``, ``twh``, ``share_of_target``, ``provisional``,
            ``upper_bound`` (eligibility rules were skipped, so it is too high),
            ``unknown`` (what has no uptake share) and ``uptake`` (each share
            with its source). None where unknown, never 0.
        """

        def total(column: str, digits: int = 3) -> float | None:
            value = self.area_total(column, strict=True)
            return None if value is None else round(value, digits)

        technical, realistic, target = (
            total("possible_twh"),
            total("realistic_twh"),
            total("target_twh"),
        )

        def ratio(a: float | None) -> float | None:
            return None if a is None or not target else round(a / target, 3)

        skipped = [*getattr(self.wind, "skipped", []), *getattr(self.solar, "skipped", [])]
        return {
            "technical": {
                "twh": technical,
                "target_twh": target,
                "times_target": ratio(technical),
                "what": "every eligible cell built: turbines at every spacing position, "
                "panels on every eligible hectare",
            },
            "realistic": {
                "wind_mw": total("realistic_wind_mw", 1),
                "wind_gwh": total("realistic_wind_gwh", 1),
                "solar_mwp": total("realistic_solar_mwp", 1),
                "solar_gwh": total("realistic_solar_gwh", 1),
                "twh": realistic,
                "target_twh": target,
                "share_of_target": ratio(realistic),
                "provisional": any(u.provisional for u in self.uptake),
                # rules that could not apply leave land eligible that is not: both are too high
                "upper_bound": bool(skipped),
                "unknown": [u.what for u in self.uptake if u.share is None],
                "uptake": [u.to_dict() for u in self.uptake],
            },
        }

    def summary(self) -> dict[str, Any]:
        """JSON-able headline figures (what ``ruimte potential --json`` prints)."""
        solar_mwp, solar_gwh = self.area_total("solar_mwp"), self.area_total("solar_gwh")
        return {
            "region": self.wind.area.code,
            "resolution_m": self.wind.grid.resolution,
            "wind_eligible_km2": round(self.wind.eligible_km2, 3),
            "solar_eligible_km2": round(self.solar.eligible_km2, 3),
            "turbines": int(len(self.turbines)),
            "wind_mw": round(float(self.turbines["capacity_mw"].sum()), 1),
            "wind_gwh": round(float(self.turbines["gwh_per_year"].sum()), 1),
            "solar_mwp": None if solar_mwp is None else round(solar_mwp, 1),
            "solar_gwh": None if solar_gwh is None else round(solar_gwh, 1),
            "seconds": round(self.seconds, 2),
            **self.technical_and_realistic(),
            "setback_variants": self.setback_variants,
            "complete": not (self.wind.skipped or self.solar.skipped),
            "warnings": [f"wind: {w}" for w in self.wind.warnings()]
            + [f"solar: {w}" for w in self.solar.warnings()],
            "parameters": self.parameters,
            "regions": _records(self.regions),
            "ladder": _records(self.ladder),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict("records"):
        out.append(
            {
                k: (
                    None
                    if isinstance(v, float) and np.isnan(v)
                    else round(v, 4)
                    if isinstance(v, float)
                    else v
                )
                for k, v in row.items()
            }
        )
    return out


def _turbines(
    ws: Workspace, wind: EligibilityResult, turbine: str | None, full_load_hours: float | None
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    params = wind.rules.potential
    types = load_turbine_types()
    type_id = turbine or str(params.get("turbine_type", "rvo_2020_average"))
    if type_id not in types:
        raise RuleError(
            f"turbine type {type_id!r} is not in turbine_types.csv. {did_you_mean(type_id, types)}"
        )
    spec = types[type_id]
    x, y, area = place_turbines(
        wind.codes,
        wind.grid,
        rotor_m=spec["rotor_m"],
        across_d=float(params.get("spacing_across_d", 4)),
        along_d=float(params.get("spacing_along_d", 7)),
        wind_from_deg=float(params.get("prevailing_wind_deg", 225)),
    )
    hours = np.full(
        x.size, float(full_load_hours or params.get("full_load_hours") or spec["full_load_hours"])
    )
    speed = wind_speed_at(ws, params.get("wind_speed_raster"), x, y) if x.size else None
    hours_from = "wind_speed_raster" if speed is not None else "full_load_hours"
    if speed is not None and full_load_hours is None:
        from_speed = full_load_hours_from_wind_speed(speed)
        hours = np.where(np.isnan(speed), hours, from_speed)
    frame = gpd.GeoDataFrame(
        {
            "area_id": area,
            "turbine_type": type_id,
            "rotor_m": spec["rotor_m"],
            "hub_height_m": spec["hub_height_m"],
            "capacity_mw": spec["capacity_mw"],
            "full_load_hours": hours,
            "gwh_per_year": spec["capacity_mw"] * hours / 1000.0,
        },
        geometry=shapely.points(x, y),
        crs=ws.crs,
    )
    info = {
        "turbine_type": type_id,
        "hours_from": hours_from,
        "spacing_d": [params.get("spacing_across_d", 4), params.get("spacing_along_d", 7)],
        "prevailing_wind_deg": params.get("prevailing_wind_deg", 225),
    }
    return frame, info


def _per_region(regions: gpd.GeoDataFrame, turbines: gpd.GeoDataFrame, grid: Any) -> pd.DataFrame:
    """Count turbines per region by the centre of the cell each stands in.

    Eligibility decides a cell by its centre, so a turbine near a border may stand in
    the outer half of a cell whose centre is inside: counted by its own point it would
    fall in no region, and the regions would not add up to the total.
    """
    x, y = shapely.get_x(turbines.geometry.values), shapely.get_y(turbines.geometry.values)
    res = grid.resolution
    cx = grid.left + (np.floor((x - grid.left) / res) + 0.5) * res
    cy = grid.top - (np.floor((grid.top - y) / res) + 0.5) * res
    tree = shapely.STRtree(shapely.points(cx, cy)) if len(turbines) else None
    rows = []
    for region in regions.itertuples():
        idx = tree.query(region.geometry, predicate="contains") if tree is not None else []
        sel = turbines.iloc[idx]
        rows.append(
            {
                "region_code": region.code,
                "turbines": len(sel),
                "wind_mw": float(sel["capacity_mw"].sum()),
                "wind_gwh": float(sel["gwh_per_year"].sum()),
            }
        )
    return pd.DataFrame(rows)


def run_potential(
    ws: Workspace,
    *,
    region: str | None = None,
    resolution: float | None = None,
    wind_rules: str | Path | None = None,
    solar_rules: str | Path | None = None,
    turbine: str | None = None,
    full_load_hours: float | None = None,
    scenario: str | None = None,
    scheduler: Any = None,
    progress: bool = False,
    save: bool = True,
    strict: bool = False,
    variants: bool = True,
) -> PotentialResult:
    """Run wind and solar eligibility, place turbines, rank solar land, compare with targets.

    Parameters
    ----------
    ws : Workspace
    region, resolution, scheduler, progress, strict
        As for :func:`~ruimte.analysis.eligibility.run_eligibility`.
    wind_rules, solar_rules : path, optional
        Rule files for each technology.
    turbine : str, optional
        Turbine type id (``turbine_types.csv``); default from the wind rules.
    full_load_hours : float, optional
        Override; default from the wind rules, or a ``wind_speed`` raster when present.
    scenario : str, optional
        Whose targets to compare with (its own replace the general ones).
    save : bool
        Store ``eligibility_wind``, ``eligibility_solar`` and ``potential``.
    variants : bool
        Also place turbines under each ``setback_variants`` entry of the wind
        rules: one more wind eligibility run per variant, in memory (not
        stored as results; their figures are in the summary). False skips them.

    Returns
    -------
    PotentialResult
    """
    start = time.perf_counter()
    common = {
        "region": region,
        "resolution": resolution,
        "scheduler": scheduler,
        "progress": progress,
        "save": save,
        "strict": strict,
    }
    wind = run_eligibility(ws, "wind", rules=wind_rules, **common)
    solar = run_eligibility(ws, "solar", rules=solar_rules, **common)
    turbines, wind_info = _turbines(ws, wind, turbine, full_load_hours)
    variant_rows = (
        setback_variants(
            ws,
            wind,
            lambda result: _turbines(ws, result, turbine, full_load_hours)[0],
            _per_region,
            scheduler=scheduler,
        )
        if variants
        else []
    )
    spec = load_ladder()
    tiers = land_tiers(ws, spec)
    tier_codes = tier_grid(solar.codes, solar.grid, tiers)
    roofs, roof_spec = roof_geometries(ws, spec)
    regions = wind.area.regions
    roof_m2 = roof_area_per_region(roofs, regions) if len(roofs) else np.zeros(len(regions))
    roof_fn = roof_spec.get("function", "rooftop_solar")
    ladder = ladder_table(
        tier_codes,
        solar.grid,
        regions,
        tiers,
        roof_m2=roof_m2,
        roof_mwp_per_ha=mwp_per_ha(ws, roof_fn),
        roof_share=float(roof_spec.get("usable_roof_share", 0.0)),
    )
    kwh_per_kwp = float(solar.rules.potential.get("kwh_per_kwp", 875))
    ladder["gwh_per_year"] = ladder["mwp"] * kwh_per_kwp / 1000.0
    solar_sum = ladder.groupby("region_code", sort=False)[["ha", "mwp", "gwh_per_year"]].sum()
    table = wind.regions[["region_code", "name", "level"]].copy()
    table["wind_eligible_km2"] = wind.regions["eligible_km2"].to_numpy()
    table = table.merge(_per_region(regions, turbines, wind.grid), on="region_code")
    table["solar_eligible_km2"] = solar.regions["eligible_km2"].to_numpy()
    table["solar_mwp"] = table["region_code"].map(solar_sum["mwp"])
    table["solar_gwh"] = table["region_code"].map(solar_sum["gwh_per_year"])
    table = compare_with_targets(table, energy_targets(ws.targets(), scenario))
    wind_uptake, tier_uptake = uptake_shares(spec, wind.rules.potential)
    ladder, table = add_realistic(ladder, table, wind_uptake, tier_uptake, kwh_per_kwp)
    parameters = {
        **wind_info,
        "kwh_per_kwp": kwh_per_kwp,
        "scenario": scenario,
        "region": region,
        "resolution_m": wind.grid.resolution,
    }
    result = PotentialResult(
        wind,
        solar,
        turbines,
        ladder,
        tier_codes,
        table,
        parameters,
        time.perf_counter() - start,
        [wind_uptake, *tier_uptake.values()],
        variant_rows,
    )
    if save:
        summary = {
            k: v
            for k, v in result.summary().items()
            if k not in ("regions", "ladder", "parameters")
        }
        ws.save_result(
            "potential",
            "potential",
            scenario=scenario,
            layers={"turbines": turbines},
            rasters={"ladder": RasterData(tier_codes, solar.grid.transform, ws.crs, 0, "uint8")},
            tables={"regions": table, "ladder": ladder},
            inputs=[
                "result:eligibility_wind",
                "result:eligibility_solar",
                "targets",
                "regions",
                "vocabulary",
            ],
            parameters=parameters,
            summary=summary,
            seconds=result.seconds,
        )
    return result
