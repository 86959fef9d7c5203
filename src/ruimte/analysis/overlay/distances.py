# SPDX-License-Identifier: Apache-2.0
"""Distance violations: pairs closer than the compatibility matrix's minimum distance.

Distances are measured between the features themselves (a turbine's mast,
not its footprint). Pairs of two claims are reported one by one; a claim near
many existing features of one dataset and function (a turbine near 40
dwellings) is reported once, at the nearest one, with the count within the
minimum distance.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.analysis.overlay.arrays import threaded, unique_ints
from ruimte.analysis.overlay.relations import CODES, RelationTable

#: Columns of the distance-violation layer (besides ``geometry``, the shortest line).
VIOLATION_COLUMNS: tuple[str, ...] = (
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
    "min_distance_m",
    "shortfall_m",
    "n_within",
    "source",
)


def near_pairs(
    features: gpd.GeoDataFrame,
    table: RelationTable,
    code: int,
    reach_m: float | None = None,
) -> pd.DataFrame:
    """Find pairs with relation ``code`` near each other (at least one a claim).

    Each claim function queries an STRtree of only the features whose function
    has that relation with it, so unrelated neighbours cost nothing; claims of
    a lower function are left to that function's query, so a pair of two
    claims is measured once.

    Parameters
    ----------
    features : GeoDataFrame
        The overlay's features.
    table : RelationTable
        The matrix for the features' functions.
    code : int
        The relation (:data:`~ruimte.analysis.overlay.relations.CODES`).
    reach_m : float, optional
        How far to look; default each pair's minimum distance (``distance`` relations).

    Returns
    -------
    DataFrame
        ``i``, ``j`` (feature positions, ``i`` a claim), ``distance_m``,
        ``min_distance_m``, ``condition`` and ``source`` of the relation.
    """
    geoms = features.geometry.to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    fn = table.codes_of(features["function"])
    found_i, found_j = [np.array([], dtype=np.intp)], [np.array([], dtype=np.intp)]
    for a in np.unique(fn[claim]):
        partners = np.flatnonzero(table.code[a] == code)
        if not len(partners):
            continue
        reach = reach_m if reach_m is not None else np.nanmax(table.min_distance_m[a, partners])
        # a claim of a lower function finds this pair from its own side: query it once
        targets = np.flatnonzero(np.isin(fn, partners) & (~claim | (fn >= a)))
        sources = np.flatnonzero(claim & (fn == a))
        local_src, local_tgt = shapely.STRtree(geoms[targets]).query(
            geoms[sources], predicate="dwithin", distance=reach
        )
        found_i.append(sources[local_src])
        found_j.append(targets[local_tgt])
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    keep = i != j
    i, j = i[keep], j[keep]
    both = claim[j]  # two claims (of one function: found from both sides): lower position first
    i, j = np.where(both, np.minimum(i, j), i), np.where(both, np.maximum(i, j), j)
    unique = unique_ints(i.astype(np.int64) * len(features) + j)
    i, j = unique // len(features), unique % len(features)
    fa, fb = fn[i], fn[j]
    return pd.DataFrame(
        {
            "i": i,
            "j": j,
            "distance_m": threaded(shapely.distance, geoms[i], geoms[j])
            if len(i)
            else np.array([]),
            "min_distance_m": table.min_distance_m[fa, fb],
            "condition": table.condition[fa, fb],
            "source": table.source[fa, fb],
        }
    )


def nearest_per_group(features: gpd.GeoDataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Keep claim-claim pairs; reduce claim-existing pairs to the nearest per dataset and function.

    Adds ``n_within``: the number of pairs the row stands for.
    """
    claim = features["is_claim"].to_numpy(dtype=bool)
    key_origin = features["origin"].to_numpy()
    key_fn = features["function"].to_numpy()
    j = pairs["j"].to_numpy(dtype=np.intp)
    group = np.where(
        claim[j],
        features["feature_id"].to_numpy()[j],
        pd.Series(key_origin[j]).astype(str) + "|" + pd.Series(key_fn[j]).astype(str),
    )
    frame = pairs.assign(group=group).sort_values(["i", "group", "distance_m", "j"])
    counts = frame.groupby(["i", "group"], sort=False)["j"].transform("size")
    frame = frame.assign(n_within=counts).drop_duplicates(["i", "group"])
    return frame.drop(columns="group").reset_index(drop=True)


def describe_pairs(
    features: gpd.GeoDataFrame, pairs: pd.DataFrame, columns: tuple[str, ...]
) -> gpd.GeoDataFrame:
    """Attach both features' ids, functions, owners and levels, and the shortest line."""
    i, j = pairs["i"].to_numpy(dtype=np.intp), pairs["j"].to_numpy(dtype=np.intp)
    out = pairs.drop(columns=["i", "j"]).copy()
    out["feature_a"] = features["feature_id"].to_numpy()[i]
    out["feature_b"] = features["feature_id"].to_numpy()[j]
    for col in ("function", "owner", "governance_level"):
        out[f"{col}_a"] = features[col].to_numpy()[i]
        out[f"{col}_b"] = features[col].to_numpy()[j]
    out["origin_b"] = features["origin"].to_numpy()[j]
    geoms = features.geometry.to_numpy()
    line = (
        threaded(shapely.shortest_line, geoms[i], geoms[j])
        if len(i)
        else np.array([], dtype=object)
    )
    return gpd.GeoDataFrame(out[list(columns)], geometry=line, crs=features.crs)


def distance_violations(features: gpd.GeoDataFrame, table: RelationTable) -> gpd.GeoDataFrame:
    """Find pairs closer than their minimum distance (at least one of them a claim).

    Parameters
    ----------
    features : GeoDataFrame
        The overlay's features.
    table : RelationTable
        The matrix for the features' functions.

    Returns
    -------
    GeoDataFrame
        Columns :data:`VIOLATION_COLUMNS`; the geometry is the shortest line
        between the two features. ``shortfall_m = min_distance_m - distance_m``.
    """
    pairs = near_pairs(features, table, CODES["distance"])
    pairs = pairs[pairs["distance_m"] < pairs["min_distance_m"]]
    pairs = nearest_per_group(features, pairs)
    pairs["shortfall_m"] = pairs["min_distance_m"] - pairs["distance_m"]
    return describe_pairs(features, pairs, VIOLATION_COLUMNS)
