# SPDX-License-Identifier: Apache-2.0
"""Frames in and out of PostgreSQL: column types, rows for COPY, frames from rows.

The PostGIS store gives the same frames as the GeoPackage store reads with
pyogrio: an integer column with an empty value is ``float64`` (NaN), a
boolean column with an empty value holds objects (``None``), text is objects,
and a spatial table comes back as a GeoDataFrame with its geometry in a
column named ``geometry``. Geometries travel as (E)WKB made and read by
shapely; nothing here writes WKB by hand.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

#: PostgreSQL column types of the schema's logical types
SQL_TYPES = {
    "str": "text",
    "json": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
}

#: PostGIS geometry type names of the GDAL ones the schema uses
GEOMETRY_TYPES = {
    "Unknown": "Geometry",
    "Geometry": "Geometry",
    "Point": "Point",
    "MultiPoint": "MultiPoint",
    "LineString": "LineString",
    "MultiLineString": "MultiLineString",
    "Polygon": "Polygon",
    "MultiPolygon": "MultiPolygon",
    "GeometryCollection": "GeometryCollection",
}

GEOM = "geom"
FID = "fid"


def sql_type_of(series: pd.Series) -> str:
    """Return the PostgreSQL type that stores a dataset column as GDAL would.

    Parameters
    ----------
    series : pandas.Series
        One attribute column of a frame to store.

    Returns
    -------
    str
        ``bigint``, ``double precision``, ``boolean``, ``timestamp`` or ``text``.
    """
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "bigint"
    if pd.api.types.is_float_dtype(dtype):
        return "double precision"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "timestamptz" if getattr(dtype, "tz", None) is not None else "timestamp"
    values = series.dropna()
    if len(values) and all(isinstance(v, (bool, np.bool_)) for v in values):
        return "boolean"
    return "text"


def layer_geometry_type(geoms: gpd.GeoSeries) -> str:
    """Return the PostGIS geometry type of a new layer: the one type, or ``Geometry``."""
    kinds = {t for t in geoms.geom_type.dropna().unique() if t}
    if len(kinds) == 1:
        return GEOMETRY_TYPES.get(kinds.pop(), "Geometry")
    if kinds <= {"Polygon", "MultiPolygon"} and kinds:
        return "MultiPolygon"
    if kinds <= {"LineString", "MultiLineString"} and kinds:
        return "MultiLineString"
    if kinds <= {"Point", "MultiPoint"} and kinds:
        return "MultiPoint"
    return "Geometry"


def _plain(value: Any) -> Any:
    """Return a value as COPY takes it: None for empty, Python scalars, JSON for lists, dicts."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _whole(value: Any) -> Any:
    if (
        isinstance(value, (float, np.floating))
        and not math.isnan(value)
        and float(value).is_integer()
    ):
        return int(value)
    return value


def geometry_hex(geoms: gpd.GeoSeries, srid: int, *, multi: str | None) -> list[str | None]:
    """Return hex EWKB (by shapely) of each geometry, promoted to ``multi`` when asked.

    Parameters
    ----------
    geoms : GeoSeries
        The geometries to store.
    srid : int
        The SRID to embed.
    multi : str or None
        ``"MultiPolygon"`` (etc.): single parts become one-part multis, as
        GDAL's ``promote_to_multi`` does for a GeoPackage layer of that type.
    """
    values = np.asarray(geoms.array, dtype=object)
    if multi is not None:
        single = {"MultiPolygon": "Polygon", "MultiLineString": "LineString", "MultiPoint": "Point"}
        make = {
            "MultiPolygon": shapely.MultiPolygon,
            "MultiLineString": shapely.MultiLineString,
            "MultiPoint": shapely.MultiPoint,
        }[multi]
        values = np.array(
            [make([g]) if g is not None and g.geom_type == single[multi] else g for g in values],
            dtype=object,
        )
    with_srid = shapely.set_srid(values, srid)
    out = shapely.to_wkb(with_srid, hex=True, include_srid=True)
    return [None if g is None else h for g, h in zip(values, out, strict=True)]


def copy_rows(
    frame: pd.DataFrame,
    columns: Sequence[str],
    geometry: list[str | None] | None,
    integers: frozenset[str] = frozenset(),
) -> Iterator[tuple[Any, ...]]:
    """Yield the rows of ``frame`` for COPY: the named columns, then the geometry (hex EWKB).

    Columns named in ``integers`` go to integer columns: a float column read
    back with empties (``2.0``, NaN) is written as whole numbers.
    """
    cols = [
        [_whole(v) for v in frame[c].tolist()] if c in integers else frame[c].tolist()
        for c in columns
    ]
    if geometry is not None:
        cols.append(geometry)
    for row in zip(*cols, strict=True):
        yield tuple(_plain(v) for v in row)


def build_frame(
    names: Sequence[str],
    kinds: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    spatial: bool,
    crs: CRS,
) -> pd.DataFrame:
    """Build the frame pyogrio would read from the same table in a GeoPackage.

    Parameters
    ----------
    names : sequence of str
        Attribute columns, in table order.
    kinds : sequence of str
        Their PostgreSQL types (``bigint``, ``text`` ...).
    rows : list of tuple
        The fetched rows: the attributes, then the geometry as WKB when spatial.
    spatial : bool
        Whether the last value of each row is a geometry.
    crs : pyproj.CRS
        CRS of the geometry column.
    """
    width = len(names)
    columns = list(zip(*rows, strict=True)) if rows else [()] * (width + int(spatial))
    data: dict[str, Any] = {}
    for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        data[name] = _column(list(columns[i]), kind)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    if not spatial:
        return frame
    wkb = [None if v is None else bytes(v) for v in columns[width]]
    geoms = shapely.from_wkb(np.array(wkb, dtype=object)) if wkb else np.array([], dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)


def _column(values: list[Any], kind: str) -> pd.Series:
    has_null = any(v is None for v in values)
    if kind in ("bigint", "integer", "smallint"):
        if has_null:
            return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
        return pd.Series(values, dtype="int64")
    if kind in ("double precision", "real", "numeric"):
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if kind == "boolean":
        if has_null:
            return pd.Series(values, dtype="object")
        return pd.Series(values, dtype="bool")
    if kind.startswith("timestamp"):
        return pd.Series(pd.to_datetime(values))
    return pd.Series(values, dtype="object")
