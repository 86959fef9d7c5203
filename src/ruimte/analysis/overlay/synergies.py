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
    features: gpd.GeoDataFrame,
    table: RelationTable,
    settings: OverlaySettings,
    *,
    suggestions: bool = True,
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
    suggestions : bool
        Add the ``suggestion`` texts; False leaves the column out, for
        :func:`suggestion_text` to make when the layer is read (the kernel does so).

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
    extra = {
        # two shared strings, not one string object per row
        "kind": np.array(["suggestion", "adjacent"], dtype=object)[adjacent.astype(np.intp)],
        "shift_m": np.where(adjacent, 0.0, distance - settings.adjacent_m),
        "n_within": n_within,
    }
    columns = tuple(c for c in SYNERGY_COLUMNS if c != "suggestion")
    out = describe_pairs(features, pairs, columns, rows, extra)
    if suggestions:
        out.insert(SUGGESTION_AT, "suggestion", suggestion_text(out))
    return out


#: where ``suggestion`` stands among the columns of the synergy layer
SUGGESTION_AT = SYNERGY_COLUMNS.index("suggestion")


def suggestion_text(layer: gpd.GeoDataFrame) -> np.ndarray:
    """Return the ``suggestion`` column of a synergy layer, from its pairs and shifts.

    One text per near miss (``kind == "suggestion"``): shift the claim
    ``feature_a`` by ``shift_m`` (rounded to metres) towards ``feature_b``, or add
    a buffer strip that wide; ``""`` for adjacent pairs.

    Examples
    --------
    >>> import pandas as pd
    >>> layer = pd.DataFrame({"kind": ["adjacent", "suggestion"], "feature_a": ["A", "B"],
    ...                       "feature_b": ["C", "D"], "shift_m": [0.0, 120.4]})
    >>> suggestion_text(layer).tolist()
    ['', 'shift B 120 m towards D, or add a 120 m buffer strip']
    """
    near = np.flatnonzero(layer["kind"].to_numpy() == "suggestion")
    a = layer["feature_a"].to_numpy()[near].tolist()
    b = layer["feature_b"].to_numpy()[near].tolist()
    metres = np.round(layer["shift_m"].to_numpy()[near]).astype(np.int64).tolist()
    text = np.full(len(layer), "", dtype=object)
    text[near] = [
        f"shift {x} {m} m towards {y}, or add a {m} m buffer strip"
        for x, y, m in zip(a, b, metres, strict=True)
    ]
    return text
