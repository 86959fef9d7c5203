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

from dataclasses import dataclass
from itertools import pairwise

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.analysis.overlay.arrays import rank_in_runs, unique_ints
from ruimte.analysis.overlay.pieces import Overlaps, Pieces
from ruimte.analysis.overlay.relations import CODES, NAMES, RelationTable

M2_PER_HA = 10_000.0
#: a piece's detail lists at most this many pairs (then "... and N more pairs")
DETAIL_PAIRS = 20

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
    features: gpd.GeoDataFrame,
    overlaps: Overlaps,
    pieces: Pieces,
    table: RelationTable,
    land_use: np.ndarray | None = None,
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
    land_use : ndarray of int, optional
        Per feature, its land use (:func:`~ruimte.analysis.overlay.dissolve.land_use_units`):
        ``n_features`` counts the distinct land uses on a piece. Default: each feature its own.

    Returns
    -------
    conflicts, shared_use : GeoDataFrame
        Columns :data:`PIECE_COLUMNS`; ``shared_use`` adds ``saved_ha``.
        ``detail`` lists the conflicting pairs (the first :data:`DETAIL_PAIRS`, then
        how many more), or the conditions of shared use.
    """
    conflicts, shared_use, conflict_detail, shared_detail = classified_pieces(
        features, overlaps, pieces, table, land_use
    )
    conflicts.insert(DETAIL_AT, "detail", conflict_detail.text())
    shared_use.insert(DETAIL_AT, "detail", shared_detail.text())
    return conflicts, shared_use


#: where ``detail`` stands among the columns of a piece layer
DETAIL_AT = PIECE_COLUMNS.index("detail")


@dataclass(frozen=True, eq=False)
class Detail:
    """What a piece layer's ``detail`` column is made of, as integer arrays.

    The text (hundreds of thousands of strings at 200k claims, 67 MiB) is built
    by :meth:`text` when the layer is first read, not while the overlay runs.

    Attributes
    ----------
    piece : ndarray of int
        Per listed pair, the row of its piece in the layer (sorted).
    words : ndarray of object
        The texts the pairs refer to: feature ids, or the matrix's conditions.
    a, b : ndarray of int
        Per listed pair, its texts: ``words[a] + " x " + words[b]`` and the relation
        name ``code`` (pairs), or the condition ``words[a]`` (``b`` is None).
    code : ndarray of int
        Per listed pair, its relation (pairs only).
    more : ndarray of int
        Per row, how many pairs beyond the listed ones (``... and N more pairs``).
    """

    piece: np.ndarray
    words: np.ndarray
    a: np.ndarray
    b: np.ndarray | None
    code: np.ndarray | None
    more: np.ndarray

    def __call__(self, _layer: object = None) -> np.ndarray:
        """Return the ``detail`` column (see :meth:`text`); builds a deferred column."""
        return self.text()

    def text(self) -> np.ndarray:
        """Return the ``detail`` column: the listed pairs or conditions joined with ``"; "``."""
        rows = np.arange(len(self.more))
        if self.b is None:  # few distinct conditions: joined once per distinct row
            joined = join_groups(self.piece, self.words[self.a], rows, "; ")
        else:  # each pair's text once (no repeats within a piece), joined per piece in order
            words, names = self.words.tolist(), NAMES
            pairs = [
                f"{words[a]} x {words[b]} ({names[c]})"
                for a, b, c in zip(
                    self.a.tolist(), self.b.tolist(), self.code.tolist(), strict=True
                )
            ]
            bounds = np.searchsorted(self.piece, np.arange(len(rows) + 1)).tolist()
            joined = np.empty(len(rows), dtype=object)
            joined[:] = ["; ".join(pairs[lo:hi]) for lo, hi in pairwise(bounds)]
        cut = self.more > 0
        joined[cut] = joined[cut] + np.array([f"; ... and {m} more pairs" for m in self.more[cut]])
        return joined


def classified_pieces(
    features: gpd.GeoDataFrame,
    overlaps: Overlaps,
    pieces: Pieces,
    table: RelationTable,
    land_use: np.ndarray | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, Detail, Detail]:
    """:func:`classify_pieces` without the ``detail`` columns: the layers and their details."""
    crs = features.crs
    fn = table.codes_of(features["function"])
    pair_code = table.code[fn[overlaps.i], fn[overlaps.j]]
    inc = pd.DataFrame({"piece": pieces.piece, "pair": pieces.pair})
    inc["code"] = pair_code[inc["pair"].to_numpy()]
    worst = inc.groupby("piece", sort=True)["code"].min().reindex(range(len(pieces)))
    worst_code = worst.to_numpy(dtype=np.int64)
    conflict = worst_code <= CODES["distance"]
    shared = (worst_code == CODES["shared"]) | (worst_code == CODES["synergy"])
    members = _members(features, overlaps, inc, len(pieces), land_use)
    ids = features["feature_id"].astype(str).to_numpy(dtype=object)

    def layer(
        mask: np.ndarray, detail_codes: tuple[int, ...], what: str
    ) -> tuple[gpd.GeoDataFrame, Detail]:
        chosen = np.flatnonzero(mask)
        sub = inc[inc["piece"].isin(chosen) & inc["code"].isin(detail_codes)]
        more = np.zeros(len(chosen), dtype=np.int64)
        if what == "pairs":  # a deep stack: the first pairs, and how many more
            piece_of = sub["piece"].to_numpy()  # sorted
            more = np.bincount(piece_of, minlength=len(pieces))[chosen] - DETAIL_PAIRS
            sub = sub[rank_in_runs(piece_of) < DETAIL_PAIRS]
        pair = sub["pair"].to_numpy()
        row = np.searchsorted(chosen, sub["piece"].to_numpy()).astype(np.int32)
        pa, pb = overlaps.i[pair].astype(np.int32), overlaps.j[pair].astype(np.int32)
        if what == "pairs":
            detail = Detail(row, ids, pa, pb, sub["code"].to_numpy(dtype=np.int8), more)
        else:  # the conditions of the pairs' functions, as codes into the matrix's texts
            words = table.condition.ravel()
            code = (fn[pa] * len(table.functions) + fn[pb]).astype(np.int32)
            detail = Detail(row, words, code, None, None, more)
        out = pd.DataFrame(
            {
                "piece_id": chosen,
                "area_ha": pieces.area_m2[chosen] / M2_PER_HA,
                "relation": np.array(NAMES, dtype=object)[worst_code[chosen]],
                **{col: members[col][chosen] for col in PIECE_COLUMNS[3:9]},
            },
            copy=False,
        )
        return gpd.GeoDataFrame(out, geometry=pieces.geometry[chosen], crs=crs), detail

    conflicts, conflict_detail = layer(conflict, (CODES["exclusive"], CODES["distance"]), "pairs")
    shared_use, shared_detail = layer(shared, (CODES["shared"], CODES["synergy"]), "conditions")
    shared_use.insert(
        len(PIECE_COLUMNS) - 1, "saved_ha", (shared_use["n_features"] - 1) * shared_use["area_ha"]
    )
    return conflicts, shared_use, conflict_detail, shared_detail


def _members(
    features: gpd.GeoDataFrame,
    overlaps: Overlaps,
    inc: pd.DataFrame,
    n_pieces: int,
    land_use: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """Per piece: how many land uses cover it, which features, their functions, owners, levels."""
    pair = inc["pair"].to_numpy()
    piece = np.concatenate([inc["piece"].to_numpy()] * 2)
    feature = np.concatenate([overlaps.i[pair], overlaps.j[pair]])
    unique = unique_ints(piece.astype(np.int64) * len(features) + feature)  # sorted by piece
    piece, feature = unique // len(features), unique % len(features)
    everything = np.arange(n_pieces)
    claim = features["is_claim"].to_numpy(dtype=bool)[feature]
    ids = features["feature_id"].astype(str).to_numpy(dtype=object)
    if land_use is None:
        n_features = np.bincount(piece, minlength=n_pieces)
    else:
        uses = unique_ints(piece.astype(np.int64) * len(features) + land_use[feature])
        n_features = np.bincount(uses // len(features), minlength=n_pieces)
    out = {
        "n_features": n_features,
        "claim_ids": join_codes(piece[claim], feature[claim], ids, everything),
        "existing": join_codes(piece[~claim], feature[~claim], ids, everything),
    }
    for col, name in (
        ("function", "functions"),
        ("owner", "owners"),
        ("governance_level", "governance_levels"),
    ):
        codes, labels = pd.factorize(features[col].to_numpy(dtype=object))  # per feature
        labels = np.asarray(labels, dtype=object).astype(str).astype(object)
        out[name] = join_codes(piece, codes[feature], labels, everything)
    return out


def join_groups(
    keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, sep: str = ";"
) -> np.ndarray:
    """Join the distinct non-empty text ``values`` of each key, in order, for the ``wanted`` keys.

    Examples
    --------
    >>> join_groups(np.array([0, 0, 2, 0]), np.array(["a", "b", "a", "a"]), np.array([0, 1, 2]))
    array(['a;b', '', 'a'], dtype=object)
    """
    codes, labels = pd.factorize(pd.Series(values, dtype=object))
    return join_codes(keys, codes, np.asarray(labels, dtype=object), wanted, sep)


def join_codes(
    keys: np.ndarray, codes: np.ndarray, labels: np.ndarray, wanted: np.ndarray, sep: str = ";"
) -> np.ndarray:
    """Like :func:`join_groups`, with the values given as codes into ``labels``.

    Negative codes and empty labels are skipped. Vectorised: repeats are
    dropped (hashing), each wanted key gets a row of its codes in order,
    and each distinct row is joined once (few distinct rows for functions,
    owners or levels, however many keys).

    Examples
    --------
    >>> labels = np.array(["solar", "nature"], dtype=object)
    >>> join_codes(np.array([5, 5, 7]), np.array([1, 0, -1]), labels, np.array([7, 5]))
    array(['', 'nature;solar'], dtype=object)
    """
    keys, codes = np.asarray(keys, dtype=np.int64), np.asarray(codes, dtype=np.int64)
    labels = np.asarray(labels, dtype=object)
    keep = codes >= 0
    keep[keep] = labels[codes[keep]] != ""
    keys, codes = keys[keep], codes[keep]
    if not len(keys):
        return np.full(len(wanted), "", dtype=object)
    kept = ~pd.Series(keys * len(labels) + codes).duplicated().to_numpy()  # first appearance
    keys, codes = keys[kept], codes[kept]
    if (np.diff(keys) < 0).any():
        order = np.argsort(keys, kind="stable")
        keys, codes = keys[order], codes[order]
    rank = rank_in_runs(keys)
    where = pd.Index(wanted).get_indexer(keys)
    inside = where >= 0
    rows = np.full((len(wanted), int(rank.max()) + 1), -1, dtype=np.int64)
    rows[where[inside], rank[inside]] = codes[inside]
    # number the distinct rows (column by column) and join each distinct row once
    row_id = np.zeros(len(rows), dtype=np.int64)
    for column in rows.T:
        row_id = pd.factorize(row_id * (len(labels) + 1) + column + 1)[0].astype(np.int64)
    first = np.full(int(row_id.max(initial=-1)) + 1, len(rows), dtype=np.int64)
    np.minimum.at(first, row_id, np.arange(len(rows)))
    distinct = rows[first]
    text = np.full(len(distinct), "", dtype=object)
    for r, column in enumerate(distinct.T):
        at = column >= 0
        text[at] = labels[column[at]] if r == 0 else text[at] + sep + labels[column[at]]
    return text[row_id]
