# SPDX-License-Identifier: Apache-2.0
"""Repair invalid geometries and unify geometry types before storing a layer.

GeoPackage layers hold one geometry type and analyses need valid geometries,
so every imported layer passes :func:`repair_geometries` and
:func:`promote_to_multi`. Neither mutates its input.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

logger = logging.getLogger(__name__)

__all__ = ["RepairReport", "promote_to_multi", "repair_geometries"]

_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString", "LinearRing")
_PUNTAL = ("Point", "MultiPoint")


@dataclass(frozen=True)
class RepairReport:
    """What :func:`repair_geometries` changed.

    Attributes
    ----------
    n_features : int
        Features in the input.
    n_invalid_repaired : int
        Invalid geometries made valid (and kept).
    n_empty_dropped : int
        Features dropped because their geometry was empty, or became empty when
        repaired (e.g. a polygon collapsed to a line).
    n_null_dropped : int
        Features dropped because they had no geometry at all.
    dropped_rows : list of int
        0-based positions in the input of every dropped feature, ascending.
    """

    n_features: int
    n_invalid_repaired: int
    n_empty_dropped: int
    n_null_dropped: int
    dropped_rows: list[int] = field(default_factory=list)

    @property
    def n_kept(self) -> int:
        """Features in the output."""
        return self.n_features - self.n_empty_dropped - self.n_null_dropped

    @property
    def changed(self) -> bool:
        """True when any geometry was repaired or dropped."""
        return bool(self.n_invalid_repaired or self.dropped_rows)


def _make_valid(geoms: np.ndarray) -> np.ndarray:
    try:
        return shapely.make_valid(geoms, method="structure", keep_collapsed=False)
    except (ValueError, shapely.errors.UnsupportedGEOSVersionError):  # GEOS < 3.10
        return shapely.make_valid(geoms)


def _layer_kind(geoms: np.ndarray) -> int | None:
    """Return the one dimension (0, 1, 2) of all geometries, or None when mixed."""
    dims = set(shapely.get_dimensions(geoms).tolist())
    return dims.pop() if len(dims) == 1 else None


def _keep_dimension(geom: BaseGeometry, dim: int) -> BaseGeometry:
    """Keep only the parts of ``geom`` of dimension ``dim``."""
    if (
        geom is None
        or geom.is_empty
        or shapely.get_dimensions(geom) == dim
        and (geom.geom_type != "GeometryCollection")
    ):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == dim]
    flat = [q for p in parts for q in shapely.get_parts(p)]
    if not flat:
        return shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")
    if dim == 2:
        return shapely.multipolygons(flat) if len(flat) > 1 else flat[0]
    if dim == 1:
        return shapely.multilinestrings(flat) if len(flat) > 1 else flat[0]
    return shapely.multipoints(flat) if len(flat) > 1 else flat[0]


def repair_geometries(
    gdf: gpd.GeoDataFrame, *, valid: np.ndarray | None = None
) -> tuple[gpd.GeoDataFrame, RepairReport]:
    """Make every geometry valid and drop features without geometry.

    Invalid geometries are repaired with :func:`shapely.make_valid` (method
    ``"structure"``, ``keep_collapsed=False`` where GEOS supports it). In a
    layer of one dimension (all polygons, all lines or all points), parts of
    another dimension produced by the repair are removed, so a polygon layer
    stays polygonal (several polygons become a MultiPolygon). Null and empty
    geometries, including those that become empty, are dropped and counted.

    Parameters
    ----------
    gdf : GeoDataFrame
        The layer as read. Not modified.
    valid : numpy.ndarray of bool, optional
        :func:`shapely.is_valid` of ``gdf``'s geometries, when already computed
        (e.g. while the file was read); computed here otherwise.

    Returns
    -------
    GeoDataFrame
        A new frame without the dropped rows; the original index labels are
        kept so rows can be traced back.
    RepairReport
        Counts and the 0-based positions of dropped rows.

    Examples
    --------
    >>> from shapely import Polygon
    >>> bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> fixed, report = repair_geometries(gpd.GeoDataFrame(geometry=[bowtie]))
    >>> fixed.geometry.iloc[0].geom_type, fixed.geometry.iloc[0].area
    ('MultiPolygon', 2.0)
    >>> report.n_invalid_repaired
    1
    """
    geoms = np.asarray(gdf.geometry.array, dtype=object).copy()
    n = len(geoms)
    null = shapely.is_missing(geoms)
    empty = ~null & shapely.is_empty(geoms)
    present = ~null & ~empty
    if valid is None or len(valid) != n:
        valid = shapely.is_valid(geoms)
    invalid = present & ~np.asarray(valid, dtype=bool)

    if invalid.any():  # the common case, all valid, needs neither the layer kind nor repair
        kind = _layer_kind(geoms[present]) if present.any() else None
        repaired = _make_valid(geoms[invalid])
        if kind is not None:
            repaired = np.array([_keep_dimension(g, kind) for g in repaired], dtype=object)
        geoms[invalid] = repaired

    collapsed = invalid & (shapely.is_missing(geoms) | shapely.is_empty(geoms))
    drop = null | empty | collapsed
    dropped_rows = np.flatnonzero(drop).tolist()
    report = RepairReport(
        n_features=n,
        n_invalid_repaired=int((invalid & ~collapsed).sum()),
        n_empty_dropped=int((empty | collapsed).sum()),
        n_null_dropped=int(null.sum()),
        dropped_rows=dropped_rows,
    )
    out = gdf.copy()
    if invalid.any():
        out[gdf.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    if drop.any():
        out = out.loc[~drop]
    if report.changed:
        logger.info(
            "repaired %d invalid geometries, dropped %d empty and %d null of %d features",
            report.n_invalid_repaired,
            report.n_empty_dropped,
            report.n_null_dropped,
            n,
        )
    return out, report


def promote_to_multi(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give a layer one geometry type by promoting single parts to multi-parts.

    A layer holding both Polygon and MultiPolygon becomes all MultiPolygon (the
    same for lines and points), since a GeoPackage layer has one geometry type.
    A layer with only single-part geometries is returned unchanged.

    Parameters
    ----------
    gdf : GeoDataFrame
        The layer. Not modified.

    Returns
    -------
    GeoDataFrame
        A copy with promoted geometries.
    """
    out = gdf.copy()
    geoms = np.asarray(gdf.geometry.array, dtype=object).copy()
    types = shapely.get_type_id(geoms)  # -1 for missing
    promoted = False
    for single, multi, make in (
        (3, 6, shapely.multipolygons),
        (1, 5, shapely.multilinestrings),
        (0, 4, shapely.multipoints),
    ):
        singles = types == single
        if singles.any() and (types == multi).any():
            idx = np.flatnonzero(singles)
            geoms[idx] = make(geoms[idx], indices=np.arange(idx.size))
            promoted = True
    if promoted:
        out[gdf.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    return out
