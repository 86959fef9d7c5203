# SPDX-License-Identifier: Apache-2.0
"""Classify overlapping land: conflicts and shared use, once per distinct piece.

A piece of land covered by several features takes the most severe relation
among its covering pairs (:data:`~ruimte.analysis.overlay.relations.CODES`):
``exclusive`` or ``distance`` make it a **conflict**; otherwise ``shared`` or
``synergy`` make it **shared use**; pieces where every pair is ``neutral`` are
not findings. Shared use saves ``(n_features - 1) * area`` against siting
every feature apart.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.analysis.overlay.arrays import unique_ints
from ruimte.analysis.overlay.pieces import Overlaps, Pieces
from ruimte.analysis.overlay.relations import CODES, NAMES, RelationTable

M2_PER_HA = 10_000.0

#: Columns of the conflicts and shared-use layers (besides ``geometry``).
PIECE_COLUMNS: tuple[str, ...] = (
    "piece_id",
    "area_ha",
    "relation",
    "n_features",
    "claim_ids",
    "existing",
    "functions",
    "owners",
    "governance_levels",
    "detail",
)


def pair_table(
    features: gpd.GeoDataFrame, overlaps: Overlaps, table: RelationTable
) -> pd.DataFrame:
    """Describe every overlapping pair: both features, their relation and the overlap in ha.

    Returns
    -------
    DataFrame
        ``feature_a``, ``feature_b``, ``function_a``, ``function_b``, ``owner_a``,
        ``owner_b``, ``governance_level_a``, ``governance_level_b``, ``relation``,
        ``condition``, ``source``, ``overlap_ha``.
    """
    fn = table.codes_of(features["function"])
    a, b = fn[overlaps.i], fn[overlaps.j]
    out = {"feature_a": features["feature_id"].to_numpy()[overlaps.i]}
    out["feature_b"] = features["feature_id"].to_numpy()[overlaps.j]
    for col in ("function", "owner", "governance_level"):
        values = features[col].to_numpy()
        out[f"{col}_a"], out[f"{col}_b"] = values[overlaps.i], values[overlaps.j]
    out["relation"] = np.array(NAMES, dtype=object)[table.code[a, b]]
    out["condition"] = table.condition[a, b]
    out["source"] = table.source[a, b]
    out["overlap_ha"] = overlaps.area_m2 / M2_PER_HA
    return pd.DataFrame(out)


def classify_pieces(
    features: gpd.GeoDataFrame, overlaps: Overlaps, pieces: Pieces, table: RelationTable
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the conflict pieces and the shared-use pieces as two GeoDataFrames.

    Parameters
    ----------
    features : GeoDataFrame
        The overlay's features (see :mod:`ruimte.analysis.overlay.inputs`).
    overlaps, pieces : Overlaps, Pieces
        From :mod:`ruimte.analysis.overlay.pieces`.
    table : RelationTable
        The matrix for the features' functions.

    Returns
    -------
    conflicts, shared_use : GeoDataFrame
        Columns :data:`PIECE_COLUMNS`; ``shared_use`` adds ``saved_ha``.
        ``detail`` lists the conflicting pairs, or the conditions of shared use.
    """
    crs = features.crs
    fn = table.codes_of(features["function"])
    pair_code = table.code[fn[overlaps.i], fn[overlaps.j]]
    inc = pd.DataFrame({"piece": pieces.piece, "pair": pieces.pair})
    inc["code"] = pair_code[inc["pair"].to_numpy()]
    worst = inc.groupby("piece", sort=True)["code"].min().reindex(range(len(pieces)))
    worst_code = worst.to_numpy(dtype=np.int64)
    conflict = worst_code <= CODES["distance"]
    shared = (worst_code == CODES["shared"]) | (worst_code == CODES["synergy"])
    members = _members(features, overlaps, inc, len(pieces))
    ids = features["feature_id"].to_numpy()

    def layer(mask: np.ndarray, detail_codes: tuple[int, ...], what: str) -> gpd.GeoDataFrame:
        chosen = np.flatnonzero(mask)
        sub = inc[inc["piece"].isin(chosen) & inc["code"].isin(detail_codes)]
        pa, pb = overlaps.i[sub["pair"].to_numpy()], overlaps.j[sub["pair"].to_numpy()]
        if what == "pairs":
            text = [
                f"{x} x {y} ({NAMES[c]})"
                for x, y, c in zip(ids[pa], ids[pb], sub["code"].to_numpy(), strict=True)
            ]
        else:
            text = list(table.condition[fn[pa], fn[pb]])
        joined = join_groups(sub["piece"].to_numpy(), np.asarray(text, dtype=object), chosen, "; ")
        out = pd.DataFrame(
            {
                "piece_id": chosen,
                "area_ha": pieces.area_m2[chosen] / M2_PER_HA,
                "relation": np.array(NAMES, dtype=object)[worst_code[chosen]],
                **{col: members[col][chosen] for col in PIECE_COLUMNS[3:9]},
                "detail": joined,
            }
        )
        return gpd.GeoDataFrame(out, geometry=pieces.geometry[chosen], crs=crs)

    conflicts = layer(conflict, (CODES["exclusive"], CODES["distance"]), "pairs")
    shared_use = layer(shared, (CODES["shared"], CODES["synergy"]), "conditions")
    shared_use.insert(
        len(PIECE_COLUMNS), "saved_ha", (shared_use["n_features"] - 1) * shared_use["area_ha"]
    )
    return conflicts, shared_use


def _members(
    features: gpd.GeoDataFrame, overlaps: Overlaps, inc: pd.DataFrame, n_pieces: int
) -> dict[str, np.ndarray]:
    """Per piece: how many features cover it, which, their functions, owners and levels."""
    pair = inc["pair"].to_numpy()
    piece = np.concatenate([inc["piece"].to_numpy()] * 2)
    feature = np.concatenate([overlaps.i[pair], overlaps.j[pair]])
    unique = unique_ints(piece.astype(np.int64) * len(features) + feature)  # sorted by piece
    piece, feature = unique // len(features), unique % len(features)
    everything = np.arange(n_pieces)
    claim = features["is_claim"].to_numpy(dtype=bool)[feature]
    ids = features["feature_id"].to_numpy()[feature]
    out = {
        "n_features": np.bincount(piece, minlength=n_pieces),
        "claim_ids": join_groups(piece[claim], ids[claim], everything),
        "existing": join_groups(piece[~claim], ids[~claim], everything),
    }
    for col, name in (("function", "functions"), ("owner", "owners")):
        out[name] = join_groups(piece, features[col].to_numpy()[feature], everything)
    out["governance_levels"] = join_groups(
        piece, features["governance_level"].to_numpy()[feature], everything
    )
    return out


def join_groups(
    keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, sep: str = ";"
) -> np.ndarray:
    """Join the distinct non-empty text ``values`` of each key, in order, for the ``wanted`` keys.

    Vectorised: values are ranked within their key and joined rank by rank.

    Examples
    --------
    >>> join_groups(np.array([0, 0, 2, 0]), np.array(["a", "b", "a", "a"]), np.array([0, 1, 2]))
    array(['a;b', '', 'a'], dtype=object)
    """
    frame = pd.DataFrame({"key": keys, "value": pd.Series(values, dtype=object)})
    text = frame["value"].notna().to_numpy() & (frame["value"].to_numpy() != "")
    frame = frame[text].drop_duplicates()
    out = np.full(len(wanted), "", dtype=object)
    if frame.empty:
        return out
    rank = frame.groupby("key", sort=False).cumcount().to_numpy()
    where = pd.Index(wanted).get_indexer(frame["key"].to_numpy())
    inside = where >= 0
    value, rank, where = frame["value"].to_numpy()[inside], rank[inside], where[inside]
    first = rank == 0
    out[where[first]] = value[first]
    for r in range(1, int(rank.max(initial=0)) + 1):
        at = rank == r
        out[where[at]] = out[where[at]] + sep + value[at]
    return out
