# SPDX-License-Identifier: Apache-2.0
"""Synergies: pairs the matrix values when adjacent, and suggestions that would make them so.

A ``synergy`` pair (battery at a substation, energy hub in a mobility hub, a
solar meadow against a nature reserve) is **adjacent** when the features
touch, overlap or lie at most ``adjacent_m`` apart; within ``suggestion_m``
it is a **suggestion**: shifting one claim by ``shift_m`` (or a buffer strip
that wide) would make it adjacent. Both distances live in ``data/overlay.yaml``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from ruimte.analysis.overlay.distances import describe_pairs, near_pairs, nearest_per_group
from ruimte.analysis.overlay.relations import CODES, RelationTable
from ruimte.analysis.overlay.settings import OverlaySettings

#: Columns of the synergy layer (besides ``geometry``, the shortest line).
SYNERGY_COLUMNS: tuple[str, ...] = (
    "kind",
    "feature_a",
    "feature_b",
    "function_a",
    "function_b",
    "owner_a",
    "owner_b",
    "governance_level_a",
    "governance_level_b",
    "origin_b",
    "distance_m",
    "shift_m",
    "n_within",
    "condition",
    "suggestion",
)


def synergies(
    features: gpd.GeoDataFrame, table: RelationTable, settings: OverlaySettings
) -> gpd.GeoDataFrame:
    """Find adjacent synergy pairs and suggest the near misses (at least one a claim).

    Parameters
    ----------
    features : GeoDataFrame
        The overlay's features.
    table : RelationTable
        The matrix for the features' functions.
    settings : OverlaySettings
        ``adjacent_m`` and ``suggestion_m``.

    Returns
    -------
    GeoDataFrame
        Columns :data:`SYNERGY_COLUMNS`; ``kind`` is ``"adjacent"`` or
        ``"suggestion"``; ``shift_m`` is 0 for adjacent pairs.
    """
    pairs = near_pairs(features, table, CODES["synergy"], settings.suggestion_m)
    rows, n_within = nearest_per_group(features, pairs)
    distance = pairs["distance_m"].to_numpy()[rows]
    adjacent = distance <= settings.adjacent_m
    shift = np.where(adjacent, 0.0, distance - settings.adjacent_m)
    ids = features["feature_id"].astype(str).to_numpy(dtype=object)
    near = np.flatnonzero(~adjacent)
    i = pairs["i"].to_numpy()[rows][near]
    j = pairs["j"].to_numpy()[rows][near]
    metres = np.round(shift[near]).astype(np.int64).tolist()
    suggestion = np.full(len(rows), "", dtype=object)
    suggestion[near] = [
        f"shift {a} {m} m towards {b}, or add a {m} m buffer strip"
        for a, b, m in zip(ids[i].tolist(), ids[j].tolist(), metres, strict=True)
    ]
    extra = {
        # two shared strings, not one string object per row
        "kind": np.array(["suggestion", "adjacent"], dtype=object)[adjacent.astype(np.intp)],
        "shift_m": shift,
        "n_within": n_within,
        "suggestion": suggestion,
    }
    return describe_pairs(features, pairs, SYNERGY_COLUMNS, rows, extra)
