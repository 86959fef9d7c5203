# SPDX-License-Identifier: Apache-2.0
"""Read what the potential needs from the workspace: ladder tiers, roofs, wind speed."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import rasterio
import shapely

from ruimte.analysis.eligibility.kernel import ClassLayer, FeatureLayer
from ruimte.analysis.potential.solar import LandTier
from ruimte.rules import RuleError
from ruimte.workspace import Workspace

logger = logging.getLogger(__name__)

__all__ = ["mwp_per_ha", "land_tiers", "roof_geometries", "wind_speed_at"]


def mwp_per_ha(ws: Workspace, function_id: str) -> float:
    """MWp per hectare from a function's space use (``ha/MWp`` or ``m2/kWp``)."""
    fn = ws.vocabulary.function(function_id)
    value, unit = fn.space_use_value, fn.space_use_unit
    if not value:
        raise RuleError(f"vocabulary function {function_id!r} has no space use; set one.")
    if unit == "ha/MWp":
        return 1.0 / value
    if unit == "m2/kWp":
        return 10.0 / value
    raise RuleError(
        f"vocabulary function {function_id!r}: space use unit {unit!r} is not ha/MWp or m2/kWp."
    )


def _vectors(ws: Workspace) -> list[str]:
    table = ws.datasets()
    return list(table.loc[table["kind"] == "vector", "name"])


def _landuse(ws: Workspace, classes: list[int], raster: str) -> ClassLayer | None:
    table = ws.datasets()
    if raster not in set(table.loc[table["kind"] == "raster", "name"]):
        logger.warning("no raster %r: ladder tiers by class are skipped", raster)
        return None
    with rasterio.open(ws.raster_path(raster)) as src:
        nodata = int(src.nodata) if src.nodata is not None else 0
        return ClassLayer(src.read(1), src.transform, tuple(classes), nodata, raster)


def land_tiers(
    ws: Workspace, spec: list[dict[str, Any]], raster: str = "landuse"
) -> list[LandTier]:
    """Build the land tiers (all but roofs) of the ladder file for this workspace."""
    vectors = _vectors(ws)
    cache: dict[str, Any] = {}

    def read(name: str) -> Any:
        if name not in cache:
            cache[name] = ws.read_dataset(name)
        return cache[name]

    tiers = []
    for item in spec:
        if "roofs" in item:
            continue
        classes = _landuse(ws, item["classes"], raster) if item.get("classes") else None
        edges = None
        if item.get("edge_of"):
            names = [n for n in item["edge_of"] if n in vectors]
            geoms = [np.asarray(read(n).geometry.values, dtype=object) for n in names]
            merged = np.concatenate(geoms) if geoms else np.array([], dtype=object)
            edges = FeatureLayer(merged, float(item.get("edge_m", 0)), item["name"])
        polygons = np.array([], dtype=object)
        if item.get("functions"):
            parts = []
            for name in vectors:
                frame = read(name)
                if "function" in frame:
                    sel = frame[frame["function"].isin(item["functions"])]
                    parts.append(np.asarray(sel.geometry.values, dtype=object))
            polygons = np.concatenate(parts) if parts else polygons
        tiers.append(
            LandTier(
                tier=int(item["tier"]),
                name=str(item["name"]),
                mwp_per_ha=mwp_per_ha(ws, item["function"]),
                classes=classes,
                edges=edges,
                polygons=polygons,
            )
        )
    return tiers


def roof_geometries(ws: Workspace, spec: list[dict[str, Any]]) -> tuple[np.ndarray, dict]:
    """Return the roof tier's building footprints and its spec (empty when absent)."""
    for item in spec:
        if "roofs" in item and item["roofs"] in _vectors(ws):
            geoms = np.asarray(ws.read_dataset(item["roofs"]).geometry.values, dtype=object)
            return geoms[np.isin(shapely.get_type_id(geoms), (3, 6))], item
    return np.array([], dtype=object), {}


def wind_speed_at(
    ws: Workspace, raster: str | None, x: np.ndarray, y: np.ndarray
) -> np.ndarray | None:
    """Mean wind speed (m/s) at the turbine sites, or None without such a raster."""
    if not raster:
        return None
    table = ws.datasets()
    if raster not in set(table.loc[table["kind"] == "raster", "name"]):
        return None
    with rasterio.open(ws.raster_path(raster)) as src:
        values = np.array([v[0] for v in src.sample(zip(x, y, strict=True))], dtype=float)
        if src.nodata is not None:
            values[values == src.nodata] = np.nan
    return values
