# SPDX-License-Identifier: Apache-2.0
"""``run_eligibility``: read the workspace, run the kernel, store the result."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.analysis.eligibility.components import (
    area_per_region,
    drop_small_areas,
    eligible_polygons,
)
from ruimte.analysis.eligibility.coverage import eligible_area_m2, settle_cover
from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.inputs import AnalysisArea, analysis_area, build_problem
from ruimte.analysis.eligibility.kernel import ELIGIBLE, OUTSIDE, compute_eligibility
from ruimte.analysis.eligibility.subcells import SUB
from ruimte.rules import RuleSet, load_rules, rules_path
from ruimte.workspace import Workspace
from ruimte.workspace.rasters import RasterData

logger = logging.getLogger(__name__)

__all__ = ["EligibilityResult", "evaluate_rules", "run_eligibility"]


@dataclass
class EligibilityResult:
    """What one eligibility run produced.

    Attributes
    ----------
    technology : str
    codes : numpy.ndarray of uint8
        1 eligible, 0 excluded, 255 outside the analysis area.
    grid : Grid
    rules : RuleSet
    area : AnalysisArea
    regions : DataFrame
        Eligible km² per region and governance level.
    polygons : GeoDataFrame
        Contiguous eligible areas.
    seconds : float
    datasets : list of str
        Datasets the rules read.
    cover : numpy.ndarray of uint8, optional
        Eligible sub-points per cell (settled, :mod:`.coverage`): the source
        of every eligible area reported; without it, cells are counted.
    """

    technology: str
    codes: np.ndarray
    grid: Grid
    rules: RuleSet
    area: AnalysisArea
    regions: pd.DataFrame
    polygons: gpd.GeoDataFrame
    seconds: float
    datasets: list[str]
    skipped: list[dict[str, str]] = field(default_factory=list)
    cover: np.ndarray | None = None

    @property
    def implausible(self) -> list[dict[str, Any]]:
        """Regions whose eligible share exceeds the rules' ``plausible_share_max``."""
        over = self.regions[self.regions["eligible_share"] > self.rules.plausible_share_max]
        return [
            {
                "region_code": r.region_code,
                "name": r.name,
                "eligible_share": round(r.eligible_share, 4),
            }
            for r in over.itertuples()
        ]

    def warnings(self) -> list[str]:
        """Say which rules could not apply and which regions look implausible."""
        out = [
            f"rule {s['rule']} ({s['mode']} {s['label']}) cannot apply and was skipped: "
            f"{s['reason']}"
            for s in self.skipped
        ]
        for level, km2 in sorted(self.regions.attrs.get("overlap_km2", {}).items()):
            out.append(
                f"the {level} regions overlap by {km2:,.2f} km² (their boundaries cross): "
                "each cell there is counted once, in the first region listed, so that the "
                f"{level} figures add up"
            )
        over = self.implausible
        if over:
            names = ", ".join(
                f"{r['name'] or r['region_code']} {r['eligible_share']:.0%}" for r in over[:5]
            ) + (f" and {len(over) - 5} more" if len(over) > 5 else "")
            likely = (
                "likely because of the skipped rules: "
                + "; ".join(s["label"] for s in self.skipped)
                if self.skipped
                else "check that the rules cover dwellings, roads, water and nature"
            )
            out.append(
                f"{len(over)} of {len(self.regions)} regions are more than "
                f"{self.rules.plausible_share_max:.0%} eligible, which is implausible ({names}); "
                f"{likely}."
            )
        return out

    @property
    def eligible_km2(self) -> float:
        """Eligible area of the whole analysis area (from the cover when there is one)."""
        if self.cover is not None:
            return eligible_area_m2(self.cover, self.grid) / 1e6
        return self.eligible_cells_km2

    @property
    def eligible_cells_km2(self) -> float:
        """Area of the eligible cells (decided by their centre, as in the raster)."""
        return float((self.codes == ELIGIBLE).sum()) * self.grid.cell_area_m2 / 1e6

    def summary(self) -> dict[str, Any]:
        """JSON-able headline figures (also what ``--json`` prints)."""
        return {
            "technology": self.technology,
            "region": self.area.code,
            "eligible_km2": round(self.eligible_km2, 6),
            "eligible_cells_km2": round(self.eligible_cells_km2, 6),
            "area_method": (
                f"eligible sub-points: {SUB} x {SUB} per cell where a buffer's edge crosses it"
                if self.cover is not None
                else "eligible cells, by their centre"
            ),
            "resolution_m": self.grid.resolution,
            "cells": int(self.codes.size),
            "min_area_ha": self.rules.min_area_ha,
            "rules": self.rules.path,
            "seconds": round(self.seconds, 2),
            "complete": not self.skipped,
            "skipped_rules": self.skipped,
            "implausible_regions": self.implausible,
            "warnings": self.warnings(),
            "regions": [
                {k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.regions.to_dict("records")
            ],
        }

    def raster(self, crs: Any) -> RasterData:
        """Return the codes as a raster (nodata 255) for :meth:`Workspace.save_result`."""
        return RasterData(self.codes, self.grid.transform, crs, OUTSIDE, "uint8")


def run_eligibility(
    ws: Workspace,
    technology: str,
    *,
    rules: str | Path | None = None,
    region: str | None = None,
    resolution: float | None = None,
    scheduler: Any = None,
    chunk: int = 1024,
    progress: bool = False,
    save: bool = True,
    strict: bool = False,
) -> EligibilityResult:
    """Compute where a technology may go under its rules, and store it.

    Parameters
    ----------
    ws : Workspace
    technology : {"wind", "solar"}
    rules : path, optional
        A rule file; default ``<workspace>/rules/<tech>.yaml`` or the package default.
    region : str, optional
        A region code; default the union of the top-level regions.
    resolution : float, optional
        Cell size in metres; default the rule file's ``resolution_m``.
    scheduler : str or distributed.Client, optional
        See :func:`~ruimte.analysis.eligibility.kernel.compute_eligibility`.
    chunk : int
        Chunk edge in cells.
    progress : bool
        Progress bar on stderr.
    save : bool
        Store as result ``eligibility_<technology>`` (raster ``grid``, layer
        ``polygons``, table ``regions``) in one transaction.
    strict : bool
        Refuse rules that cannot apply (their dataset or raster is absent)
        instead of skipping them and marking the result incomplete.

    Returns
    -------
    EligibilityResult

    Raises
    ------
    RuleError
        For a broken rule file, an unknown function or region, a resolution
        coarser than the region, or (``strict``) an absent dataset or raster.
        Nothing is written then.
    """
    rules_file = Path(rules) if rules is not None else None
    ruleset = load_rules(technology, workspace=ws.folder, rules=rules_file)
    area = analysis_area(ws, region)
    res = float(resolution if resolution is not None else ruleset.resolution_m)
    result = evaluate_rules(
        ws, ruleset, area, res, scheduler=scheduler, chunk=chunk, progress=progress, strict=strict
    )
    if save:
        _save(ws, result, rules_path(technology, workspace=ws.folder, rules=rules_file))
    return result


def evaluate_rules(
    ws: Workspace,
    ruleset: RuleSet,
    area: AnalysisArea,
    resolution: float,
    *,
    scheduler: Any = None,
    chunk: int = 1024,
    progress: bool = False,
    strict: bool = False,
    polygons: bool = True,
) -> EligibilityResult:
    """Run the kernel for rules already in memory; store nothing.

    What :func:`run_eligibility` does between reading the rule file and
    storing the result (also used for the setback variants of
    ``ruimte potential``). Parameters as there; ``polygons=False`` leaves
    the polygons empty (they cost a vectorisation the caller may not need).

    Returns
    -------
    EligibilityResult
    """
    start = time.perf_counter()
    tech = ruleset.technology
    problem, datasets, skipped = build_problem(ws, ruleset, area, resolution, strict=strict)
    for item in skipped:
        logger.info("eligibility %s: rule %s skipped: %s", tech, item["rule"], item["reason"])
    logger.info("eligibility %s: %d x %d cells at %g m", tech, *problem.grid.shape, resolution)
    codes, cover = compute_eligibility(
        problem, chunk=chunk, scheduler=scheduler, progress=progress, cover=True
    )
    before = codes == ELIGIBLE
    codes = drop_small_areas(codes, problem.grid, ruleset.min_area_ha)
    cover = settle_cover(cover, codes, before & (codes != ELIGIBLE))
    table = area_per_region(codes, problem.grid, area.regions, cover)
    shapes = (
        eligible_polygons(codes, problem.grid, ws.crs, cover)
        if polygons
        else gpd.GeoDataFrame(geometry=[], crs=ws.crs)
    )
    return EligibilityResult(
        tech,
        codes,
        problem.grid,
        ruleset,
        area,
        table,
        shapes,
        time.perf_counter() - start,
        datasets,
        skipped,
        cover,
    )


def _save(ws: Workspace, result: EligibilityResult, path: Path) -> None:
    summary = result.summary()
    inputs = [f"dataset:{d}" for d in result.datasets] + ["regions", "vocabulary", f"file:{path}"]
    ws.save_result(
        f"eligibility_{result.technology}",
        "eligibility",
        layers={"polygons": result.polygons},
        rasters={"grid": result.raster(ws.crs)},
        tables={"regions": result.regions},
        inputs=inputs,
        parameters={
            "technology": result.technology,
            "region": result.area.code,
            "resolution_m": result.grid.resolution,
            "rules_file": str(path),
            "rules": result.rules.describe(),
            "min_area_ha": result.rules.min_area_ha,
            "skipped_rules": result.skipped,
        },
        summary={k: v for k, v in summary.items() if k != "regions"},
        seconds=result.seconds,
    )
