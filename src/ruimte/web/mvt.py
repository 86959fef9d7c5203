# SPDX-License-Identifier: Apache-2.0
"""Mapbox Vector Tiles from a GeoDataFrame: reproject once, clip per tile, encode.

Pure: a :class:`TileSource` holds one layer's features in Web Mercator with an
STRtree; :meth:`TileSource.tile` cuts and encodes one ``z/x/y`` tile with
``mapbox_vector_tile``. The web routes keep sources and encoded tiles in memory.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import box
>>> frame = gpd.GeoDataFrame({"function": ["housing"]}, geometry=[box(155000, 463000,
...     155100, 463100)], crs="EPSG:28992")
>>> source = TileSource.from_frame(frame, "buildings", properties=["function"])
>>> z, x, y = 14, *tile_of_point(5.387, 52.156, 14)
>>> layer = mapbox_vector_tile.decode(source.tile(z, x, y))["buildings"]
>>> layer["features"][0]["properties"]
{'function': 'housing'}
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import mapbox_vector_tile
import numpy as np
import shapely

#: half the width of the Web Mercator square, in metres
ORIGIN_SHIFT_M = 20037508.342789244
EXTENT = 4096
#: tile pixels (of 4096) kept beyond the tile edge so strokes join across tiles
BUFFER = 64
MAX_ZOOM = 22


class TileRangeError(ValueError):
    """A tile address outside the pyramid (x or y beyond 2**z - 1, z beyond 22)."""


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """Return the Web Mercator bounds (minx, miny, maxx, maxy) of tile ``z/x/y`` (XYZ scheme).

    Raises
    ------
    TileRangeError
        If the address is outside the pyramid.

    Examples
    --------
    >>> [round(v) for v in tile_bounds(1, 1, 0)]
    [0, 0, 20037508, 20037508]
    """
    n = 2**z
    if not (0 <= z <= MAX_ZOOM and 0 <= x < n and 0 <= y < n):
        raise TileRangeError(f"tile {z}/{x}/{y} does not exist: use 0 <= x, y < 2**z and z <= 22.")
    size = 2 * ORIGIN_SHIFT_M / n
    minx = -ORIGIN_SHIFT_M + x * size
    maxy = ORIGIN_SHIFT_M - y * size
    return minx, maxy - size, minx + size, maxy


def tile_of_point(lon: float, lat: float, z: int) -> tuple[int, int]:
    """Return the (x, y) of the zoom-``z`` tile holding a WGS84 point."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    lat_r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)
    return x, y


def _plain(value: Any) -> Any:
    """Turn a numpy / pandas scalar into something the MVT encoder accepts; None drops it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass
class TileSource:
    """One layer's features in Web Mercator, indexed for tiling.

    Attributes
    ----------
    name : str
        Layer name inside each tile.
    geometries : numpy.ndarray
        Shapely geometries in EPSG:3857.
    properties : list of dict
        Attributes per feature (only the columns asked for).
    tree : shapely.STRtree
        Spatial index over ``geometries``.
    """

    name: str
    geometries: np.ndarray
    properties: list[dict[str, Any]]
    tree: shapely.STRtree

    @classmethod
    def from_frame(
        cls, frame: gpd.GeoDataFrame, name: str, *, properties: Sequence[str] = ()
    ) -> TileSource:
        """Reproject ``frame`` to EPSG:3857 and index it; keep the ``properties`` columns."""
        frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        merc = frame.to_crs(3857) if frame.crs is not None else frame
        geometries = np.asarray(merc.geometry.values, dtype=object)
        columns = [c for c in properties if c in merc.columns]
        rows = merc[columns].itertuples(index=False, name=None) if columns else [()] * len(merc)
        records = [
            {k: v for k, v in zip(columns, map(_plain, row), strict=True) if v is not None}
            for row in rows
        ]
        return cls(name, geometries, records, shapely.STRtree(geometries))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Web Mercator bounds of all features."""
        if len(self.geometries) == 0:
            return (0.0, 0.0, 0.0, 0.0)
        b = shapely.total_bounds(self.geometries)
        return float(b[0]), float(b[1]), float(b[2]), float(b[3])

    def tile(self, z: int, x: int, y: int) -> bytes:
        """Encode tile ``z/x/y``: the features it touches, clipped and simplified to its pixels.

        Returns
        -------
        bytes
            A Mapbox Vector Tile (protobuf); empty bytes when no feature touches the tile.
        """
        minx, miny, maxx, maxy = tile_bounds(z, x, y)
        pad = (maxx - minx) * BUFFER / EXTENT
        hits = self.tree.query(shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad))
        if len(hits) == 0:
            return b""
        hits = np.sort(hits)
        clipped = shapely.clip_by_rect(
            self.geometries[hits], minx - pad, miny - pad, maxx + pad, maxy + pad
        )
        # to tile pixels (y down), all features at once; snapping to the integer grid
        # keeps geometries valid and collapses those smaller than a pixel
        scale = EXTENT / (maxx - minx)
        pixels = shapely.transform(
            clipped,
            lambda xy: np.column_stack(((xy[:, 0] - minx) * scale, (maxy - xy[:, 1]) * scale)),
        )
        pixels = shapely.set_precision(shapely.simplify(pixels, 1.0), 1.0)
        pixels = shapely.orient_polygons(pixels, exterior_cw=False)  # MVT: clockwise on screen
        keep = ~shapely.is_empty(pixels)
        features = [
            {"geometry": geom, "properties": self.properties[i], "id": int(i) + 1}
            for geom, i in zip(pixels[keep], hits[keep], strict=True)
        ]
        if not features:
            return b""
        return mapbox_vector_tile.encode(
            {"name": self.name, "features": features},
            default_options={"extents": EXTENT, "y_coord_down": True, "check_winding_order": False},
        )
