# SPDX-License-Identifier: Apache-2.0
"""The planar arrangement of footprint boundaries, tile by tile.

The land under the overlaps is cut into faces: in each tile, the boundaries
of the footprints that meet the tile's overlaps are clipped at the tile's
edges, noded together with the tile's outline (``shapely.union_all`` of the
lines) and polygonized. No footprint boundary crosses a face, so one point on
a face's surface tells, by an STRtree ``within`` test, every footprint that
covers the whole face. The cost grows with the number of faces (the size of
the answer), never with the combinations of footprints stacked on one spot.

Tiles bound the memory: one tile's lines and faces at a time per thread, and
only the faces covered by two or more footprints are kept. A piece of land
that crosses a tile edge comes out as one face per tile;
:mod:`~ruimte.analysis.overlay.pieces` merges them again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from ruimte.analysis.overlay.arrays import ordered_map

#: default tile: about this many footprint vertices in it
TILE_VERTICES = 20_000
#: tile edges are shifted off round coordinates by this fraction of a tile
_ORIGIN_SHIFT = 0.3819660112501051  # (3 - sqrt 5) / 2: no data lie on such a grid

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Tiling:
    """A square grid of tiles.

    Attributes
    ----------
    x0, y0 : float
        The lower-left corner of the first tile.
    size : float
        The side of a tile in metres.
    nx, ny : int
        Tiles per row and per column.
    """

    x0: float
    y0: float
    size: float
    nx: int
    ny: int

    @classmethod
    def covering(cls, bounds: np.ndarray, size: float) -> Tiling:
        """Return the grid of tiles of ``size`` that covers ``bounds`` (minx, miny, maxx, maxy).

        Examples
        --------
        >>> t = Tiling.covering(np.array([0.0, 0.0, 250.0, 90.0]), 100.0)
        >>> (t.nx, t.ny), len(t.boxes())
        ((3, 2), 6)
        """
        if not size > 0:
            raise ValueError(f"tile size must be positive, not {size}")
        x0 = bounds[0] - _ORIGIN_SHIFT * size
        y0 = bounds[1] - _ORIGIN_SHIFT * size
        nx = max(1, math.ceil((bounds[2] - x0) / size))
        ny = max(1, math.ceil((bounds[3] - y0) / size))
        return cls(float(x0), float(y0), float(size), nx, ny)

    def boxes(self) -> np.ndarray:
        """Return each tile's bounds as rows (minx, miny, maxx, maxy), row by row."""
        col, row = np.meshgrid(np.arange(self.nx), np.arange(self.ny))
        col, row = col.ravel(), row.ravel()
        x = self.x0 + np.arange(self.nx + 1) * self.size  # shared edges: bit-identical
        y = self.y0 + np.arange(self.ny + 1) * self.size
        return np.stack([x[col], y[row], x[col + 1], y[row + 1]], axis=1)

    def neighbours(self) -> np.ndarray:
        """Return per tile whether it has a neighbour to the (left, below, right, above)."""
        col, row = np.meshgrid(np.arange(self.nx), np.arange(self.ny))
        col, row = col.ravel(), row.ravel()
        return np.stack([col > 0, row > 0, col < self.nx - 1, row < self.ny - 1], axis=1)


@dataclass(frozen=True)
class Faces:
    """Faces of the arrangement covered by two or more footprints.

    Attributes
    ----------
    geometry : ndarray of shapely Polygons
        The faces; they do not overlap each other.
    tile : ndarray of int
        The tile each face lies in.
    start : ndarray of int
        Offsets into ``feature``: face ``f`` is covered by ``feature[start[f]:start[f + 1]]``.
    feature : ndarray of int
        Footprint positions, ascending per face.
    """

    geometry: np.ndarray
    tile: np.ndarray
    start: np.ndarray
    feature: np.ndarray

    def __len__(self) -> int:
        return len(self.geometry)

    def owner(self) -> np.ndarray:
        """Return the face of each entry of ``feature``."""
        return np.repeat(np.arange(len(self)), np.diff(self.start))


def default_tile_size(footprints: np.ndarray, bounds: np.ndarray) -> float:
    """Return a tile side that holds about :data:`TILE_VERTICES` footprint vertices.

    One tile covers ``bounds`` when the footprints have fewer vertices than that.
    """
    extent = max(float(bounds[2] - bounds[0]), float(bounds[3] - bounds[1]), 1.0)
    vertices = int(shapely.get_num_coordinates(footprints).sum())
    if vertices <= TILE_VERTICES:
        return extent * 1.5
    area = max(float((bounds[2] - bounds[0]) * (bounds[3] - bounds[1])), 1.0)
    return max(math.sqrt(area * TILE_VERTICES / vertices), extent / 1000)


def arrangement_faces(
    footprints: np.ndarray,
    overlaps: np.ndarray,
    tiling: Tiling,
    progress: Progress | None = None,
) -> Faces:
    """Cut the land under ``overlaps`` into faces, tile by tile, with their covering footprints.

    Parameters
    ----------
    footprints : ndarray of shapely geometries
        Polygonal footprints.
    overlaps : ndarray of shapely geometries
        The land of interest: only footprints that meet these take part.
    tiling : Tiling
        The tiles; each tile is cut on its own (in parallel threads).
    progress : callable, optional
        Called as ``progress(done, total)`` after each tile.

    Returns
    -------
    Faces
        Every face covered by two or more of the footprints (and possibly outside
        ``overlaps``), in tile order.

    Examples
    --------
    Two squares overlapping in a 1 x 2 strip, cut by a grid of 1.5 m tiles:

    >>> from shapely import box
    >>> fp = np.array([box(0, 0, 2, 2), box(1, 0, 3, 2)])
    >>> tiles = Tiling.covering(np.array([1.0, 0.0, 2.0, 2.0]), 1.5)
    >>> f = arrangement_faces(fp, np.array([box(1, 0, 2, 2)]), tiles)
    >>> round(float(shapely.area(f.geometry).sum()), 9), sorted(set(f.feature.tolist()))
    (2.0, [0, 1])
    """
    footprints = np.asarray(footprints, dtype=object)
    overlaps = np.asarray(overlaps, dtype=object)
    fp_tree = shapely.STRtree(footprints)
    ov_tree = shapely.STRtree(overlaps)
    boxes = tiling.boxes()

    def cut(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _tile_faces(boxes[k], footprints, fp_tree, overlaps, ov_tree)

    done = list(ordered_map(cut, range(len(boxes)), progress))
    counts = np.array([len(geoms) for geoms, _, _ in done], dtype=np.intp)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    geometry = np.concatenate([g for g, _, _ in done]) if done else np.array([], dtype=object)
    tile = np.repeat(np.arange(len(done)), counts)
    face = np.concatenate([f + offsets[k] for k, (_, f, _) in enumerate(done)] or [[]])
    feature = np.concatenate([fe for _, _, fe in done] or [[]])
    face, feature = face.astype(np.intp), feature.astype(np.intp)
    order = np.lexsort((feature, face))
    face, feature = face[order], feature[order]
    start = np.searchsorted(face, np.arange(len(geometry) + 1))
    return Faces(np.asarray(geometry, dtype=object), tile, start, feature)


def _tile_faces(
    bounds: np.ndarray,
    footprints: np.ndarray,
    fp_tree: shapely.STRtree,
    overlaps: np.ndarray,
    ov_tree: shapely.STRtree,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One tile: its faces covered twice or more, and per covering ``(face, footprint)``."""
    nothing = (np.array([], dtype=object), np.array([], np.intp), np.array([], np.intp))
    tile = shapely.box(*bounds)
    ov = ov_tree.query(tile)  # by bounding box: the overlaps that may lie in the tile
    if not len(ov):
        return nothing
    near = fp_tree.query(tile)
    _, hit = shapely.STRtree(footprints[near]).query(overlaps[ov], predicate="intersects")
    cand = near[np.unique(hit)]  # the footprints that meet land of interest
    lines = shapely.clip_by_rect(shapely.boundary(footprints[cand]), *bounds)
    lines = lines[~shapely.is_empty(lines)]
    if not len(lines):  # no boundary in the tile: the footprints cover all of it
        faces = np.array([tile], dtype=object)
    else:
        noded = shapely.union_all(np.append(lines, tile.exterior))
        faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
        faces = faces[shapely.area(faces) > 0]
    points = shapely.point_on_surface(faces)
    face, local = shapely.STRtree(footprints[cand]).query(points, predicate="within")
    twice = np.bincount(face, minlength=len(faces)) >= 2
    if not twice.any():
        return nothing
    renumber = np.cumsum(twice) - 1
    keep = twice[face]
    return faces[twice], renumber[face[keep]], cand[local[keep]]
