# SPDX-License-Identifier: Apache-2.0
"""Turn a rule set and a workspace into an :class:`EligibilityProblem` (the read edge)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from pyproj import CRS

from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.kernel import ClassLayer, EligibilityProblem, FeatureLayer
from ruimte.analysis.eligibility.nuisance_rules import nuisance_layer, nuisance_reach, site_of
from ruimte.errors import did_you_mean
from ruimte.rules import ClassRule, RuleError, RuleSet, VectorRule
from ruimte.workspace import Workspace

__all__ = ["AnalysisArea", "analysis_area", "build_problem"]


@dataclass(frozen=True)
class AnalysisArea:
    """The region analysed and the regions whose figures are reported."""

    code: str | None
    geometry: shapely.Geometry
    regions: gpd.GeoDataFrame


def analysis_area(ws: Workspace, region: str | None) -> AnalysisArea:
    """Return the area to analyse: one region, or the union of the top-level regions.

    Raises
    ------
    RuleError
        If ``region`` is not a region code of the workspace, or there are no regions.
    """
    regions = ws.regions()
    if regions.empty:
        raise RuleError(
            f"{ws.path}: the workspace has no regions. Import them with "
            "`ruimte import WORKSPACE FILE --as regions`."
        )
    if region is not None:
        match = regions[regions["code"] == region]
        if match.empty:
            raise RuleError(
                f"--region: no region with code {region!r} in {ws.path}. "
                f"{did_you_mean(region, regions['code'])}"
            )
        geom = match.geometry.iloc[0]
    else:
        top = regions[regions["parent_code"].isna()]
        geom = shapely.union_all((top if not top.empty else regions).geometry.values)
    inside = regions[regions.intersects(geom)]
    overlap = inside.geometry.intersection(geom).area / inside.geometry.area
    return AnalysisArea(region, geom, inside[overlap > 1e-9].reset_index(drop=True))


def check_resolution(resolution: float, area: AnalysisArea, where: str) -> None:
    """Refuse a cell size coarser than the analysed region."""
    xmin, ymin, xmax, ymax = area.geometry.bounds
    span = min(xmax - xmin, ymax - ymin)
    if not math.isfinite(resolution) or resolution <= 0:
        raise RuleError(f"{where}: resolution {resolution:g} m must be a finite number above 0.")
    if resolution > span:
        raise RuleError(
            f"{where}: resolution {resolution:g} m is coarser than the region "
            f"{area.code or 'analysed'} ({span:,.0f} m across). Use a cell size well below it, "
            "e.g. 25 or 10."
        )


def check_buffers(max_buffer_m: float, crs: CRS, where: str) -> None:
    """Refuse a buffer wider than the CRS's whole area of use (a typo, not a rule)."""
    from pyproj import Transformer

    use = crs.area_of_use
    if use is None:
        return
    to_crs = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    xs, ys = to_crs.transform(
        [use.west, use.east, use.east, use.west], [use.south] * 2 + [use.north] * 2
    )
    extent = math.hypot(max(xs) - min(xs), max(ys) - min(ys))
    if not math.isfinite(extent):
        return
    if max_buffer_m > extent:
        raise RuleError(
            f"{where}: a buffer of {max_buffer_m:g} m is wider than the whole area of "
            f"{crs.name} ({extent:,.0f} m across). Check the rule file."
        )


class _Reader:
    """Reads each dataset once and checks names against the workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        table = ws.datasets()
        self.vectors = sorted(table.loc[table["kind"] == "vector", "name"])
        self.rasters = sorted(table.loc[table["kind"] == "raster", "name"])
        self.cache: dict[str, gpd.GeoDataFrame] = {}

    def vector(self, name: str) -> gpd.GeoDataFrame:
        if name not in self.cache:  # rules use the function and the geometry only
            self.cache[name] = self.ws.read_dataset(name, columns=["function"])
        return self.cache[name]


def _check_functions(rule: VectorRule, ws: Workspace) -> None:
    """Refuse a function the vocabulary does not define (an error in the rule file)."""
    known = set(ws.vocabulary.functions)
    for fn in rule.functions:
        if fn not in known:
            raise RuleError(
                f"{rule.where}: key 'function' names {fn!r}, which the vocabulary does not "
                f"define. {did_you_mean(fn, known)}"
            )


def _hint(name: str, choices: list[str]) -> str:
    """Return a "Did you mean" for a close name; nothing when none is close."""
    hint = did_you_mean(name, choices)
    return hint + " " if hint.startswith("Did you mean") else ""


def _cannot_apply(rule: VectorRule | ClassRule, reader: _Reader, ws: Workspace) -> str | None:
    """Say why a rule cannot apply to this workspace (its data is absent), or None."""
    if isinstance(rule, ClassRule):
        if rule.raster in reader.rasters:
            return None
        return (
            f"key 'raster' names {rule.raster!r}, which is not a raster dataset of {ws.path}. "
            f"{_hint(rule.raster, reader.rasters)}Import it with `ruimte import "
            f"{ws.path} FILE --as {rule.raster}`."
        )
    for name in rule.datasets:
        if name not in reader.vectors:
            return (
                f"key 'dataset' names {name!r}, which is not a vector dataset of {ws.path}. "
                f"{_hint(name, reader.vectors)}Import it with `ruimte import "
                f"{ws.path} FILE --as {name}`."
            )
    if rule.functions:
        names = rule.datasets or tuple(reader.vectors)
        found = any(
            "function" in (frame := reader.vector(n))
            and frame["function"].isin(rule.functions).any()
            for n in names
        )
        if not found:
            fns = ", ".join(rule.functions)
            where = "dataset " + ", ".join(names) if rule.datasets else "any dataset"
            return (
                f"no feature of {where} "
                f"has the function {fns}. Import the features (e.g. `ruimte import {ws.path} FILE "
                f"--function {rule.functions[0]}`)."
            )
    return None


def _features(rule: VectorRule, reader: _Reader, box: shapely.Geometry) -> np.ndarray:
    names = rule.datasets or tuple(reader.vectors)
    parts = []
    for name in names:
        frame = reader.vector(name)
        if rule.functions:
            if "function" not in frame:
                continue
            frame = frame[frame["function"].isin(rule.functions)]
        geoms = np.asarray(frame.geometry.values, dtype=object)
        parts.append(geoms[shapely.intersects(geoms, box)])
    return np.concatenate(parts) if parts else np.array([], dtype=object)


def _classes(rule: ClassRule, ws: Workspace) -> ClassLayer:
    with rasterio.open(ws.raster_path(rule.raster)) as src:
        array = src.read(1)
        nodata = int(src.nodata) if src.nodata is not None else 0
        return ClassLayer(array, src.transform, rule.classes, nodata, rule.raster)


def build_problem(
    ws: Workspace,
    rules: RuleSet,
    area: AnalysisArea,
    resolution: float,
    *,
    strict: bool = False,
) -> tuple[EligibilityProblem, list[str], list[dict[str, str]]]:
    """Build the kernel's input from the workspace, with the rules that can apply.

    A rule whose dataset, raster or features are absent from the workspace
    cannot apply: it is skipped and listed (the result is then incomplete),
    or, with ``strict``, refused.

    Returns
    -------
    (EligibilityProblem, list of str, list of dict)
        The problem, the datasets it read (for result inputs) and the skipped
        rules (``rule``, ``mode``, ``label``, ``reason``).

    Raises
    ------
    RuleError
        Naming the rule file and key of an unknown function, or (``strict``)
        of an absent dataset or raster.
    """
    check_resolution(resolution, area, f"{rules.path} resolution_m / --resolution")
    check_buffers(rules.max_buffer_m, ws.crs, f"{rules.path} buffer_m")
    grid = Grid.covering(area.geometry.bounds, resolution)
    reader = _Reader(ws)
    used: set[str] = set()
    skipped: list[dict[str, str]] = []
    layers: dict[str, list] = {"exclude": [], "include": [], "xc": [], "ic": []}
    site = None
    for mode, items in (("exclude", rules.exclude), ("include", rules.include)):
        for rule in items:
            if isinstance(rule, VectorRule):
                _check_functions(rule, ws)
            reason = _cannot_apply(rule, reader, ws)
            if reason is not None:
                if strict:
                    raise RuleError(f"{rule.where}: {reason}")
                label = rule.label if isinstance(rule, VectorRule) else f"raster {rule.raster}"
                skipped.append({"rule": rule.where, "mode": mode, "label": label, "reason": reason})
                continue
            if isinstance(rule, VectorRule) and rule.nuisance:
                site = site or site_of(area.geometry, ws.crs)
                reach = nuisance_reach(rule, rules, site, resolution)
                halo = reach.radius_m + resolution
                box = shapely.buffer(shapely.box(*area.geometry.bounds), halo)
                used.update(rule.datasets or reader.vectors)
                layer = nuisance_layer(_features(rule, reader, box), reach, grid, rule.where)
                if isinstance(layer, ClassLayer):
                    layers["xc"].append(layer)
                else:
                    layers[mode].append(layer)
            elif isinstance(rule, VectorRule):
                box = shapely.buffer(shapely.box(*area.geometry.bounds), rule.buffer_m + resolution)
                geoms = _features(rule, reader, box)
                used.update(rule.datasets or reader.vectors)
                layers[mode].append(FeatureLayer(geoms, rule.buffer_m, rule.where))
            else:
                used.add(rule.raster)
                layers["xc" if mode == "exclude" else "ic"].append(_classes(rule, ws))
    problem = EligibilityProblem(
        grid=grid,
        area=np.array([area.geometry], dtype=object),
        exclude=tuple(layers["exclude"]),
        include=tuple(layers["include"]),
        exclude_classes=tuple(layers["xc"]),
        include_classes=tuple(layers["ic"]),
    )
    return problem, sorted(used), skipped
