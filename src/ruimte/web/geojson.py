# SPDX-License-Identifier: Apache-2.0
"""GeoJSON in and out: frames to FeatureCollections in WGS84, and checked geometries back.

Examples
--------
>>> from pyproj import CRS
>>> geom = geometry_from_geojson({"type": "Point", "coordinates": [5.38720621, 52.1551744]},
...                              CRS.from_epsg(28992))
>>> round(geom.x), round(geom.y)
(155000, 463000)
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import mapping, shape

from ruimte.web.validation import OutOfAreaError, check_in_area
from ruimte.workspace.records import RecordError

#: geometry types a claim or comment may have
ALLOWED_TYPES = ("Point", "LineString", "Polygon", "MultiPolygon")
MAX_VERTICES = 10_000


def jsonable(value: Any) -> Any:
    """Turn a numpy / pandas value into JSON (NaN and NA become None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of a (non-spatial) frame as JSON-ready dicts."""
    columns = [c for c in frame.columns if c != "geometry"]
    return [
        {c: jsonable(v) for c, v in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def feature_collection(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return ``frame`` as a GeoJSON FeatureCollection in WGS84 (null geometry kept as null)."""
    geo = frame.to_crs(4326) if frame.crs is not None and len(frame) else frame
    props = records(pd.DataFrame(geo.drop(columns=geo.geometry.name)))
    features = [
        {
            "type": "Feature",
            "geometry": mapping(g) if g is not None and not g.is_empty else None,
            "properties": p,
        }
        for g, p in zip(geo.geometry, props, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def geometry_from_geojson(geometry: dict[str, Any], crs: CRS) -> shapely.Geometry:
    """Check a GeoJSON geometry in WGS84 and return it in ``crs``.

    Raises
    ------
    RecordError
        If it is not a Point, LineString, Polygon or MultiPolygon, has too many
        vertices, has non-finite coordinates, lies outside the area of use of
        ``crs`` (:func:`~ruimte.web.validation.check_in_area`), or is invalid beyond repair.
    """
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ALLOWED_TYPES:
        raise RecordError(
            f"geometry type {kind!r} is not accepted; use one of {', '.join(ALLOWED_TYPES)}."
        )
    try:
        geom = shape(geometry)
    except Exception as exc:
        raise RecordError(f"the {kind} geometry cannot be read: {exc}.") from None
    if geom.is_empty:
        raise RecordError(f"the {kind} geometry is empty; draw at least one shape.")
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        raise RecordError(f"the geometry has more than {MAX_VERTICES:,} vertices; simplify it.")
    check_in_area(geom.bounds, crs)
    transformer = Transformer.from_crs(4326, crs, always_xy=True)
    projected = shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    if not np.isfinite(shapely.get_coordinates(projected)).all():
        raise OutOfAreaError("geometry: its coordinates cannot be projected to the workspace CRS.")
    if not projected.is_valid:
        projected = shapely.make_valid(projected)
        if projected.geom_type not in ALLOWED_TYPES:
            raise RecordError(
                "the drawn shape crosses itself; draw it again without crossing edges."
            )
    return projected
