# SPDX-License-Identifier: Apache-2.0
"""Distance violations: pairs closer than the compatibility matrix's minimum distance.

Distances are measured between the features themselves (a turbine's mast,
not its footprint). Pairs of two claims are reported one by one; a claim near
many existing features of one dataset and function (a turbine near 40
dwellings) is reported once, at the nearest one, with the count within the
minimum distance.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.analysis.overlay.arrays import first_of_each, run_starts, threaded
from ruimte.analysis.overlay.memory import release_freed_memory
from ruimte.analysis.overlay.relations import CODES, RelationTable
from ruimte.analysis.overlay.turbine_noise import TurbineNoise, is_noise_pair, noise_pairs

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
    "basis",
    "noise_db",
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
        ``line`` (the shortest line, from ``i`` to ``j``), ``min_distance_m``,
        ``condition`` and ``source`` of the relation.
    """
    geoms = features.geometry.to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    fn = table.codes_of(features["function"])
    found_i, found_j = [np.array([], dtype=np.intp)], [np.array([], dtype=np.intp)]
    found_reach = [np.array([], dtype=float)]
    for a in np.unique(fn[claim]):
        partners = np.flatnonzero(table.code[a] == code)
        if not len(partners):
            continue
        reach = reach_m if reach_m is not None else np.nanmax(table.min_distance_m[a, partners])
        # a claim of a lower function finds this pair from its own side: query it once
        targets = np.flatnonzero(np.isin(fn, partners) & (~claim | (fn >= a)))
        sources = np.flatnonzero(claim & (fn == a))
        # candidates by bounding box; the shortest line below decides (cheaper than a
        # dwithin test followed by a distance)
        x0, y0, x1, y1 = shapely.bounds(geoms[sources]).T
        boxes = shapely.box(x0 - reach, y0 - reach, x1 + reach, y1 + reach)
        local_src, local_tgt = shapely.STRtree(geoms[targets]).query(boxes)
        del boxes  # a box per source and the tree: freed before the next function's
        found_i.append(sources[local_src])
        found_j.append(targets[local_tgt])
        found_reach.append(np.full(len(local_src), reach))
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    reach = np.concatenate(found_reach)
    keep = i != j
    i, j, reach = i[keep], j[keep], reach[keep]
    both = claim[j]  # two claims (of one function: found from both sides): lower position first
    i, j = np.where(both, np.minimum(i, j), i), np.where(both, np.maximum(i, j), j)
    keys = i.astype(np.int64) * len(features) + j
    first = first_of_each(keys)
    i, j, reach = i[first], j[first], reach[first]
    # the shortest line's length is the distance: one GEOS distance computation per pair;
    # in blocks, so only the near pairs' lines are kept (most candidates are farther)
    parts = [_near_block(geoms, i[k], j[k], reach[k]) for k in _blocks(len(i))]
    i = np.concatenate([np.array([], dtype=np.intp)] + [p[0] for p in parts])
    j = np.concatenate([np.array([], dtype=np.intp)] + [p[1] for p in parts])
    line = np.concatenate([np.array([], dtype=object)] + [p[2] for p in parts])
    distance = np.concatenate([np.array([], dtype=float)] + [p[3] for p in parts])
    del parts
    release_freed_memory()  # the far candidates' lines, freed among the kept ones
    fa, fb = fn[i], fn[j]
    return pd.DataFrame(
        {
            "i": i,
            "j": j,
            "distance_m": distance,
            "line": line,
            "min_distance_m": table.min_distance_m[fa, fb],
            "condition": table.condition[fa, fb],
            "source": table.source[fa, fb],
        },
        copy=False,
    )


#: candidate pairs measured at once (bounds the memory of their shortest lines)
_BLOCK = 1 << 17


def _blocks(n: int) -> list[slice]:
    return [slice(lo, min(lo + _BLOCK, n)) for lo in range(0, n, _BLOCK)]


def _near_block(
    geoms: np.ndarray, i: np.ndarray, j: np.ndarray, reach: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the candidate pairs of one block within reach: ``i``, ``j``, line, distance.

    Candidates whose bounding boxes lie farther apart than the reach are dropped
    first (the tree found them by the boxes' sides, not their corners: a sixth of the
    synergies' at 200k claims); the gap must pass the reach by a micrometre to spare,
    so the shortest line's length alone decides, as without the test.
    """
    a, b = shapely.bounds(geoms[i]), shapely.bounds(geoms[j])
    dx = np.maximum(np.maximum(a[:, 0] - b[:, 2], b[:, 0] - a[:, 2]), 0.0)
    dy = np.maximum(np.maximum(a[:, 1] - b[:, 3], b[:, 1] - a[:, 3]), 0.0)
    maybe = np.hypot(dx, dy) <= reach + _SPARE_M * np.maximum(reach, 1.0)
    i, j, reach = i[maybe], j[maybe], reach[maybe]
    line = threaded(shapely.shortest_line, geoms[i], geoms[j])
    distance = shapely.length(line)
    near = distance <= reach
    return i[near], j[near], line[near], distance[near]


#: the bounding-box test's reach to spare, per metre of reach
_SPARE_M = 1e-6


def nearest_per_group(
    features: gpd.GeoDataFrame, pairs: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Keep claim-claim pairs; reduce claim-existing pairs to the nearest per dataset and function.

    Returns
    -------
    rows : ndarray of int
        The positions in ``pairs`` of the rows kept, sorted by the first feature,
        then by the second claim or group of existing features.
    n_within : ndarray of int
        Per row kept, the number of pairs it stands for.
    """
    n = len(features)
    claim = features["is_claim"].to_numpy(dtype=bool)
    # a group per feature: a claim is its own group; existing features group by dataset and function
    origin = pd.factorize(features["origin"].astype(str), sort=True)[0]
    function, functions = pd.factorize(features["function"].astype(str), sort=True)
    key = np.where(claim, np.arange(n), n + origin * len(functions) + function)
    i, j = pairs["i"].to_numpy(dtype=np.intp), pairs["j"].to_numpy(dtype=np.intp)
    group = key[j]
    order = np.lexsort((j, pairs["distance_m"].to_numpy(), group, i))
    span = int(group.max(initial=0)) + 1
    starts = run_starts(i[order].astype(np.int64) * span + group[order])  # runs of (i, group)
    return order[starts], np.diff(np.r_[starts, len(order)])


def describe_pairs(
    features: gpd.GeoDataFrame,
    pairs: pd.DataFrame,
    columns: tuple[str, ...],
    rows: np.ndarray,
    extra: dict[str, Any],
) -> gpd.GeoDataFrame:
    """Attach both features' ids, functions, owners and levels; geometry: the shortest line.

    Each column of the result is built once, from the ``rows`` of ``pairs`` (or
    given in ``extra``, already for those rows), with no copy of the whole table:
    at 200k claims the synergies hold 478k rows, and a frame copied a few times
    over stood 250 MiB above the result in memory.
    """
    i, j = pairs["i"].to_numpy(dtype=np.intp)[rows], pairs["j"].to_numpy(dtype=np.intp)[rows]
    out: dict[str, Any] = {
        "feature_a": features["feature_id"].to_numpy()[i],
        "feature_b": features["feature_id"].to_numpy()[j],
        "origin_b": features["origin"].to_numpy()[j],
    }
    for col in ("function", "owner", "governance_level"):
        values = features[col].to_numpy()
        out[f"{col}_a"], out[f"{col}_b"] = values[i], values[j]
    data = {
        c: extra[c] if c in extra else out[c] if c in out else pairs[c].to_numpy()[rows]
        for c in columns
    }
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)), copy=False)
    line = pairs["line"].to_numpy(dtype=object)[rows]
    return gpd.GeoDataFrame(frame, geometry=line, crs=features.crs)


def distance_violations(
    features: gpd.GeoDataFrame, table: RelationTable, noise: TurbineNoise | None = None
) -> gpd.GeoDataFrame:
    """Find pairs closer than their minimum distance (at least one of them a claim).

    Parameters
    ----------
    features : GeoDataFrame
        The overlay's features.
    table : RelationTable
        The matrix for the features' functions.
    noise : TurbineNoise, optional
        The scenario's computed turbine noise: pairs of an assessed turbine
        claim and a dwelling are violations when the computed level is above
        the norm (``basis`` says so, ``noise_db`` holds the level), whatever
        the matrix's distance.

    Returns
    -------
    GeoDataFrame
        Columns :data:`VIOLATION_COLUMNS`; the geometry is the shortest line
        between the two features. ``shortfall_m = min_distance_m - distance_m``;
        for noise pairs ``min_distance_m`` is where the claim's loudest turbine
        alone meets the norm.
    """
    pairs = near_pairs(features, table, CODES["distance"])
    pairs = pairs[pairs["distance_m"].to_numpy() < pairs["min_distance_m"].to_numpy()]
    if noise is not None and len(noise.turbines):
        pairs = pairs[~is_noise_pair(features, pairs, noise)].assign(
            basis="distance", noise_db=np.nan
        )
        reach = noise.radius_m(extra_db=float(10 * np.log10(noise.max_per_claim())))
        wide = near_pairs(features, table, CODES["distance"], reach_m=reach)
        pairs = pd.concat([pairs, noise_pairs(features, wide, noise)], ignore_index=True)
    rows, n_within = nearest_per_group(features, pairs)
    distance = pairs["distance_m"].to_numpy()[rows]
    minimum = pairs["min_distance_m"].to_numpy()[rows]
    extra: dict[str, Any] = {"n_within": n_within, "shortfall_m": minimum - distance}
    if "basis" not in pairs:  # no noise pairs: one shared text, no level
        extra["basis"] = np.full(len(rows), "distance", dtype=object)
        extra["noise_db"] = np.full(len(rows), np.nan)
    return describe_pairs(features, pairs, VIOLATION_COLUMNS, rows, extra)
