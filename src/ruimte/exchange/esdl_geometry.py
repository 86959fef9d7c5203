# SPDX-License-Identifier: Apache-2.0
"""Shapely geometries (lon/lat) as ESDL geometries."""

from __future__ import annotations

from typing import Any

import shapely


def _point(esdl: Any, x: float, y: float) -> Any:
    return esdl.Point(lat=float(y), lon=float(x))


def to_esdl_geometry(esdl: Any, geom: shapely.Geometry) -> Any:
    """Return the ESDL geometry of a shapely geometry in lon/lat (WGS84).

    Parameters
    ----------
    esdl : module
        The ``esdl`` module.
    geom : shapely.Geometry

    Returns
    -------
    esdl.Geometry
    """
    if geom.geom_type == "Point":
        return esdl.Point(lat=geom.y, lon=geom.x, CRS="WGS84")
    if geom.geom_type == "LineString":
        return esdl.Line(point=[_point(esdl, x, y) for x, y in geom.coords], CRS="WGS84")
    if geom.geom_type == "Polygon":
        ring = list(geom.exterior.coords)[:-1]
        holes = [esdl.SubPolygon(point=[_point(esdl, x, y) for x, y in list(h.coords)[:-1]])
                 for h in geom.interiors]  # fmt: skip
        return esdl.Polygon(
            exterior=esdl.SubPolygon(point=[_point(esdl, x, y) for x, y in ring]),
            interior=holes,
            CRS="WGS84",
        )
    if geom.geom_type == "MultiPolygon":
        return esdl.MultiPolygon(
            polygon=[to_esdl_geometry(esdl, p) for p in geom.geoms], CRS="WGS84"
        )
    if geom.geom_type == "MultiLineString":
        return to_esdl_geometry(esdl, shapely.line_merge(geom) if geom.length else geom.geoms[0])
    return esdl.Point(lat=geom.centroid.y, lon=geom.centroid.x, CRS="WGS84")
