# SPDX-License-Identifier: Apache-2.0
"""Features as plain arrays: points, line segments, polygon rings, polygons.

The kernel asks every chunk for the features near it. Shapely geometries are
taken apart once (:meth:`Features.of`) into coordinate arrays that NumPy can
select by bounding box (:meth:`Features.within`) and that the distance tests
in :mod:`.exact` and :mod:`.marks` use directly, so no chunk pays for
geometry objects it only needs the coordinates of.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["POLYGON_IDS", "Features"]

#: shapely type ids of Polygon and MultiPolygon
POLYGON_IDS = (3, 6)
_POINT_IDS = (0, 4)
_COLLECTION_ID = 7


def _flat_parts(geoms: np.ndarray) -> np.ndarray:
    """Single-part geometries: multi-parts and collections split, empty parts dropped."""
    parts = shapely.get_parts(geoms)
    while (shapely.get_type_id(parts) == _COLLECTION_ID).any():
        parts = shapely.get_parts(parts)
    return parts[~shapely.is_empty(parts)]


def _segments(lines: np.ndarray) -> np.ndarray:
    """Consecutive vertex pairs of lines and rings, ``(m, 4)``: x0, y0, x1, y1."""
    if len(lines) == 0:
        return np.empty((0, 4))
    coords, index = shapely.get_coordinates(lines, return_index=True)
    same = index[1:] == index[:-1]
    return np.hstack([coords[:-1][same], coords[1:][same]])


def _boxes(segs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.minimum(segs[:, 0], segs[:, 2]),
        np.minimum(segs[:, 1], segs[:, 3]),
        np.maximum(segs[:, 0], segs[:, 2]),
        np.maximum(segs[:, 1], segs[:, 3]),
    )


def _overlaps(boxes: tuple[np.ndarray, ...], bounds: tuple[float, ...]) -> np.ndarray:
    xmin, ymin, xmax, ymax = boxes
    return (xmin <= bounds[2]) & (xmax >= bounds[0]) & (ymin <= bounds[3]) & (ymax >= bounds[1])


_FIELDS = ("points", "lines", "rings", "polygons")


@dataclass(frozen=True)
class Features:
    """Points, segments and polygons of a set of geometries.

    Attributes
    ----------
    points : numpy.ndarray
        ``(n, 2)`` coordinates of the points, sorted by x (as :meth:`of` makes them).
    lines : numpy.ndarray
        ``(m, 4)`` segments ``x0, y0, x1, y1`` of the lines.
    rings : numpy.ndarray
        ``(k, 4)`` segments of the polygons' rings (exterior and holes).
    polygons : numpy.ndarray of shapely Polygons
        The polygons (multi-polygons split), for inside tests.

    Examples
    --------
    >>> f = Features.of(np.array([shapely.Point(1, 2), shapely.box(0, 0, 1, 1)]))
    >>> f.points.tolist(), len(f.lines), len(f.rings), len(f.polygons)
    ([[1.0, 2.0]], 0, 4, 1)
    """

    points: np.ndarray
    lines: np.ndarray
    rings: np.ndarray
    polygons: np.ndarray

    @classmethod
    def of(cls, geoms: np.ndarray) -> Features:
        """Take shapely geometries apart (empty and missing ones are skipped)."""
        geoms = np.asarray(geoms, dtype=object)
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
        types = shapely.get_type_id(geoms)
        single = types == 0  # the common case (buildings as points): no splitting
        parts = _flat_parts(geoms[~single])
        part_types = shapely.get_type_id(parts)
        pointlike = np.isin(part_types, _POINT_IDS)
        polygonal = np.isin(part_types, POLYGON_IDS)
        polygons = parts[polygonal]
        points = shapely.get_coordinates(np.concatenate([geoms[single], parts[pointlike]]))
        rings = _segments(shapely.get_parts(shapely.boundary(polygons)))
        return cls(
            points[np.argsort(points[:, 0], kind="stable")],
            _segments(parts[~pointlike & ~polygonal]),
            rings,
            polygons,
        )

    @classmethod
    def concat(cls, parts: list[Features]) -> Features:
        """All features of ``parts`` together (points no longer sorted)."""
        if len(parts) == 1:
            return parts[0]
        return cls(*(np.concatenate([getattr(p, name) for p in parts]) for name in _FIELDS))

    def __len__(self) -> int:
        return len(self.points) + len(self.lines) + len(self.rings)

    def within(self, bounds: tuple[float, float, float, float]) -> Features:
        """Return the points, segments and polygons whose bounding box meets ``bounds``."""
        xmin, ymin, xmax, ymax = bounds
        lo = int(np.searchsorted(self.points[:, 0], xmin, side="left"))
        hi = int(np.searchsorted(self.points[:, 0], xmax, side="right"))
        slab = self.points[lo:hi]
        points = slab[(slab[:, 1] >= ymin) & (slab[:, 1] <= ymax)]
        polygons = self.polygons
        if len(polygons):
            polygons = polygons[_overlaps(tuple(shapely.bounds(polygons).T), bounds)]
        return Features(
            points,
            self.lines[_overlaps(_boxes(self.lines), bounds)],
            self.rings[_overlaps(_boxes(self.rings), bounds)],
            polygons,
        )
