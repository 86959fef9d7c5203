# SPDX-License-Identifier: Apache-2.0
"""One dataset, one land use: dissolve overlapping existing features before the area overlay.

Parallel circuits of one grid dataset, the segments of a road network at its
junctions, designations drawn on top of each other: existing features of one
dataset with one function that overlap each other are one land use. Cutting
the land by each of their boundaries would multiply the pieces (and stacks of
them would multiply the faces) without telling anything new. So the area
overlay runs on *units*: each claim on its own, each group of overlapping
existing features of one dataset and function as one footprint (their union).

The findings still name the features: :func:`expand_pieces` gives each piece
the features of its units that overlap it, and the overlapping pairs of
features (the ``pairs`` table) are measured feature by feature as before.
Only the features near a claim are dissolved; the rest never meets a claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ruimte.analysis.overlay.arrays import shared_runs, threaded
from ruimte.analysis.overlay.pieces import Overlaps, Pieces, covering_pairs


@dataclass(frozen=True)
class Units:
    """The area overlay's units: claims, and existing features dissolved per dataset and function.

    Attributes
    ----------
    unit : ndarray of int
        Per feature, its unit.
    footprints : ndarray of shapely geometries
        Per unit, its footprint (the union of its features' footprints).
    relevant : ndarray of bool
        Per unit, whether it is a claim.
    dissolved : int
        How many units hold more than one feature.
    """

    unit: np.ndarray
    footprints: np.ndarray
    relevant: np.ndarray
    dissolved: int

    def __len__(self) -> int:
        return len(self.footprints)


def land_use_units(features: gpd.GeoDataFrame) -> Units:
    """Group the existing features of one dataset and function that overlap each other.

    Two features overlap when their footprints share an area (touching is not
    enough). A group is one unit; claims and lone features are units of their own.

    Parameters
    ----------
    features : GeoDataFrame
        The overlay's features (``footprint``, ``is_claim``, ``origin``, ``function``).

    Returns
    -------
    Units

    Examples
    --------
    >>> from shapely import box
    >>> f = gpd.GeoDataFrame(
    ...     {
    ...         "is_claim": [True, False, False, False],
    ...         "origin": ["claims", "dataset:grid", "dataset:grid", "dataset:grid"],
    ...         "function": ["housing", "hv_line", "hv_line", "hv_line"],
    ...         "footprint": [box(0, 0, 9, 9), box(1, 0, 3, 9), box(2, 0, 4, 9), box(6, 0, 7, 9)],
    ...     },
    ...     geometry=[None] * 4,
    ... )
    >>> u = land_use_units(f)
    >>> u.unit.tolist(), u.dissolved, shapely.area(u.footprints).tolist()
    ([0, 1, 1, 2], 1, [81.0, 27.0, 9.0])
    """
    fp = features["footprint"].to_numpy()
    n = len(fp)
    claim = features["is_claim"].to_numpy(dtype=bool)
    existing = np.flatnonzero(~claim & ~shapely.is_empty(fp))
    group = np.arange(n)
    if len(existing) and claim.any():
        # existing features that meet a claim: the others take no part in the area overlay
        _, hit = shapely.STRtree(fp[existing]).query(fp[claim], predicate="intersects")
        near = existing[np.unique(hit)]
        key = pd.factorize(
            features["origin"].astype(str).to_numpy()[near]
            + "|"
            + features["function"].astype(str).to_numpy()[near]
        )[0]
        a, b = shapely.STRtree(fp[near]).query(fp[near])
        keep = (a < b) & (key[a] == key[b])
        a, b = a[keep], b[keep]
        inside = threaded(_interiors_meet, fp[near][a], fp[near][b])
        a, b = a[inside], b[inside]
        graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(near), len(near)))
        label = connected_components(graph, directed=False)[1]
        first = np.full(len(near), len(near), dtype=np.intp)
        np.minimum.at(first, label, np.arange(len(near)))
        group[near] = near[first[label]]  # each feature to the first of its group
    first_of_group, unit = np.unique(group, return_inverse=True)
    sizes = np.bincount(unit)
    footprints = fp[first_of_group].copy()
    order = np.argsort(unit, kind="stable")
    for members in shared_runs(order, sizes):
        footprints[unit[members[0]]] = shapely.union_all(fp[members])
    return Units(unit, footprints, claim[first_of_group], int((sizes > 1).sum()))


def _interiors_meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair of polygons shares an area (DE-9IM: interiors meet in 2D)."""
    return shapely.relate_pattern(a, b, "2********")


def expand_pieces(
    pieces: Pieces,
    unit_overlaps: Overlaps,
    units: Units,
    footprints: np.ndarray,
    overlaps: Overlaps,
    relevant: np.ndarray,
) -> Pieces:
    """Restate pieces of units in features: each piece's overlapping pairs of features.

    Parameters
    ----------
    pieces : Pieces
        The partition of the units' overlaps (its ``pair`` indexes ``unit_overlaps``).
    unit_overlaps : Overlaps
        The overlapping pairs of units.
    units : Units
        From :func:`land_use_units`.
    footprints : ndarray of shapely geometries
        The features' footprints.
    overlaps : Overlaps
        The overlapping pairs of features.
    relevant : ndarray of bool
        Per feature, whether it is a claim.

    Returns
    -------
    Pieces
        The same pieces; ``pair`` indexes ``overlaps``: the pairs of features
        (one a claim) that both overlap the piece.
    """
    pair = pieces.pair
    piece = np.concatenate([pieces.piece, pieces.piece])
    unit = np.concatenate([unit_overlaps.i[pair], unit_overlaps.j[pair]])
    n_units = len(units)
    distinct = np.unique(piece.astype(np.int64) * n_units + unit)
    piece, unit = distinct // n_units, distinct % n_units
    # each unit's features
    by_unit = np.argsort(units.unit, kind="stable")
    start = np.searchsorted(units.unit[by_unit], np.arange(n_units + 1))
    count = start[unit + 1] - start[unit]
    owner = np.repeat(np.arange(len(unit)), count)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
    feature = by_unit[np.repeat(start[unit], count) + offset]
    piece = piece[owner]
    # a feature of a dissolved unit: only where it overlaps the piece
    shared = count[owner] > 1
    check = np.flatnonzero(shared)
    meets = threaded(_interiors_meet, pieces.geometry[piece[check]], footprints[feature[check]])
    keep = np.ones(len(piece), dtype=bool)
    keep[check[~meets]] = False
    piece, feature = piece[keep], feature[keep]
    order = np.lexsort((feature, piece))
    piece, feature = piece[order], feature[order]
    cover_start = np.searchsorted(piece, np.arange(len(pieces) + 1))
    got_piece, got_pair = covering_pairs(cover_start, feature, overlaps, relevant, len(footprints))
    order = np.lexsort((got_pair, got_piece))
    return Pieces(pieces.geometry, pieces.area_m2, got_piece[order], got_pair[order])
