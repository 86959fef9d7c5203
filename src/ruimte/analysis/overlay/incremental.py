# SPDX-License-Identifier: Apache-2.0
"""Recompute the overlay only where some claims changed.

After a claim is drawn, moved, edited or removed, only land within the old
and new footprints of the changed claims (the **window**) can change its
covering features, and only pairs with a changed claim can change their
distance or synergy. :func:`update_overlay` therefore

1. runs the whole kernel on the *local* features: those whose footprint
   meets the window or whose geometry lies within the largest reach
   (minimum distance or synergy suggestion distance) of a changed claim;
2. keeps the previous pieces of land outside the window and the local
   pieces inside it, and joins the two halves of a piece the window cut
   (same covering features, a shared stretch of edge) into one piece again,
   as the tiles of :func:`~ruimte.analysis.overlay.pieces.partition` do;
3. replaces every pair finding (distance violations, synergies, overlapping
   pairs) that names a changed claim by the local run's.

The result equals a full run on the new claims (the tests compare them on
the demo and on generated cases): the same pieces with the same covering
features and hectares, the same pairs. Piece ids of untouched pieces are
kept; new pieces get new ids. The cost grows with the local features and the
previous findings (one vectorised pass over them), not with the workspace.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ruimte.analysis.overlay.arrays import polygon_parts, polygonal
from ruimte.analysis.overlay.findings import M2_PER_HA
from ruimte.analysis.overlay.kernel import OverlayResult, overlay_features
from ruimte.analysis.overlay.relations import RelationTable
from ruimte.analysis.overlay.settings import OverlaySettings, load_settings
from ruimte.analysis.overlay.turbine_noise import TurbineNoise
from ruimte.vocab import Vocabulary

#: how far apart the two halves of a cut piece's common edge may lie (rounding), in metres
_EDGE_TOL_M = 1e-6

#: the claim attributes that decide the overlay's findings
_DECIDING = ("function", "transition", "layer", "owner", "governance_level")


def changed_claims(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> list[str]:
    """Return the feature ids of claims added, removed or changed between two feature tables.

    A claim has changed when its geometry (exactly) or one of the attributes
    the findings use (function, transition, layer, owner, governance level) differs.

    Examples
    --------
    >>> from shapely import box
    >>> def table(rows):
    ...     frame = pd.DataFrame(rows, columns=["feature_id", "function", "g"])
    ...     frame["is_claim"] = True
    ...     for col in _DECIDING[1:]:
    ...         frame[col] = None
    ...     return gpd.GeoDataFrame(frame, geometry="g")
    >>> a = table([("A", "solar_field", box(0, 0, 1, 1)), ("B", "housing", box(5, 5, 6, 6))])
    >>> b = table([("A", "solar_field", box(0, 0, 2, 1)), ("C", "housing", box(9, 9, 10, 10))])
    >>> changed_claims(a, b)
    ['A', 'B', 'C']
    """
    olds, news = _claims_by_id(old), _claims_by_id(new)
    both = olds.index.intersection(news.index)
    a, b = olds.index.get_indexer(both), news.index.get_indexer(both)
    same = np.ones(len(both), dtype=bool)
    for col in _DECIDING:
        x = olds[col].to_numpy(dtype=object)[a]
        y = news[col].to_numpy(dtype=object)[b]
        missing_x, missing_y = pd.isna(x), pd.isna(y)
        same &= (missing_x & missing_y) | (~missing_x & ~missing_y & (x == y))
    geo_a, geo_b = olds.geometry.to_numpy()[a], news.geometry.to_numpy()[b]
    missing = shapely.is_missing(geo_a) & shapely.is_missing(geo_b)
    same &= missing | shapely.equals_exact(geo_a, geo_b, tolerance=0.0)
    unchanged = set(both[same])
    ids = olds.index.union(news.index)
    return sorted(str(i) for i in ids if i not in unchanged)


def _claims_by_id(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    claims = features[features["is_claim"].to_numpy(dtype=bool)]
    return claims.set_index(claims["feature_id"].astype(str))  # type: ignore[return-value]


def update_overlay(
    previous: OverlayResult,
    features: gpd.GeoDataFrame,
    vocab: Vocabulary,
    settings: OverlaySettings | None = None,
    *,
    changed: Iterable[str] | None = None,
    noise: TurbineNoise | None = None,
) -> OverlayResult:
    """Update ``previous`` to the findings of ``features`` by recomputing only near the changes.

    Parameters
    ----------
    previous : OverlayResult
        A full (or earlier updated) result, with its ``features``.
    features : GeoDataFrame
        The new features (:func:`~ruimte.analysis.overlay.kernel.prepare_features`), the
        same existing land use as ``previous.features``.
    vocab : Vocabulary
        As for the full run.
    settings : OverlaySettings, optional
        The settings of the previous run (default: the packaged ones).
    changed : iterable of str, optional
        The feature ids of the changed claims; default :func:`changed_claims`.
    noise : TurbineNoise, optional
        The computed turbine noise of the full run (it widens the reach of a turbine claim).

    Returns
    -------
    OverlayResult
        The same findings as ``overlay_features(features, vocab, settings)``.
    """
    settings = settings or load_settings()
    ids = sorted(
        set(changed if changed is not None else changed_claims(previous.features, features))
    )
    if not ids:
        return _with_features(previous, features)
    old_changed = _rows_of(previous.features, ids)
    new_changed = _rows_of(features, ids)
    window = shapely.union_all(
        np.concatenate([old_changed["footprint"].to_numpy(), new_changed["footprint"].to_numpy()])
    )
    window = polygonal(np.array([window]))[0]
    local = features[_local_mask(features, window, new_changed, vocab, settings, noise)]
    local_result = overlay_features(local.reset_index(drop=True), vocab, settings, noise=noise)
    touched = set(ids)
    conflicts, shared_use = _splice_pieces(
        previous.conflicts, previous.shared_use, local_result, window, touched, settings
    )
    return OverlayResult(
        conflicts=conflicts,
        shared_use=shared_use,
        distance_violations=_splice_pairs(
            previous.distance_violations, local_result.distance_violations, touched
        ),
        synergies=_splice_pairs(previous.synergies, local_result.synergies, touched),
        pairs=_splice_pairs(previous.pairs, local_result.pairs, touched),
        features=features,
        notes=list(previous.notes),
    )


def _with_features(previous: OverlayResult, features: gpd.GeoDataFrame) -> OverlayResult:
    return OverlayResult(
        conflicts=previous.conflicts,
        shared_use=previous.shared_use,
        distance_violations=previous.distance_violations,
        synergies=previous.synergies,
        pairs=previous.pairs,
        features=features,
        notes=list(previous.notes),
    )


def _rows_of(features: gpd.GeoDataFrame, ids: list[str]) -> gpd.GeoDataFrame:
    is_claim = features["is_claim"].to_numpy(dtype=bool)
    return features[is_claim & features["feature_id"].astype(str).isin(ids).to_numpy()]


def reach_m(
    features: gpd.GeoDataFrame,
    vocab: Vocabulary,
    settings: OverlaySettings,
    noise: TurbineNoise | None = None,
) -> float:
    """Return how far a claim's pair findings reach: the largest minimum distance or suggestion.

    With computed turbine noise, also the farthest distance at which a claim's turbines
    can exceed the norm.
    """
    table = RelationTable.from_vocabulary(vocab, features["function"])
    reach = max(table.max_distance_m(), settings.suggestion_m, settings.adjacent_m)
    if noise is not None and len(noise.turbines):
        loudest = float(10 * np.log10(noise.max_per_claim()))
        reach = max(reach, noise.radius_m(extra_db=loudest))
    return reach


def _local_mask(
    features: gpd.GeoDataFrame,
    window: shapely.Geometry,
    changed: gpd.GeoDataFrame,
    vocab: Vocabulary,
    settings: OverlaySettings,
    noise: TurbineNoise | None,
) -> np.ndarray:
    """Features whose footprint meets the window, or that lie within reach of a changed claim."""
    mask = np.zeros(len(features), dtype=bool)
    footprints = features["footprint"].to_numpy()
    if not shapely.is_empty(window):
        hit = shapely.STRtree(footprints).query(window, predicate="intersects")
        mask[hit] = True
    located = changed.geometry.to_numpy()
    located = located[~shapely.is_missing(located) & ~shapely.is_empty(located)]
    if len(located):
        reach = reach_m(features, vocab, settings, noise)
        _, near = shapely.STRtree(features.geometry.to_numpy()).query(
            located, predicate="dwithin", distance=reach
        )
        mask[near] = True
    mask |= features["feature_id"].astype(str).isin(changed["feature_id"].astype(str)).to_numpy()
    return mask


def _splice_pairs(old: pd.DataFrame, local: pd.DataFrame, touched: set[str]) -> pd.DataFrame:
    """Old rows without a changed feature, and the local rows with one."""

    def names_touched(frame: pd.DataFrame) -> np.ndarray:
        a = frame["feature_a"].astype(str).isin(touched).to_numpy()
        return a | frame["feature_b"].astype(str).isin(touched).to_numpy()

    parts = [old[~names_touched(old)], local[names_touched(local)]]
    parts = [p for p in parts if len(p)] or [old.iloc[:0]]
    out = pd.concat(parts, ignore_index=True)
    if isinstance(old, gpd.GeoDataFrame):
        return gpd.GeoDataFrame(out, geometry=old.geometry.name, crs=old.crs)
    return out


def _splice_pieces(
    old_conflicts: gpd.GeoDataFrame,
    old_shared: gpd.GeoDataFrame,
    local: OverlayResult,
    window: shapely.Geometry,
    touched: set[str],
    settings: OverlaySettings,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Previous pieces outside the window, local pieces inside it, cut pieces joined again."""
    next_id = 1 + max(
        int(old_conflicts["piece_id"].max()) if len(old_conflicts) else -1,
        int(old_shared["piece_id"].max()) if len(old_shared) else -1,
    )
    out = []
    for old, new in ((old_conflicts, local.conflicts), (old_shared, local.shared_use)):
        layer, next_id = _splice_layer(old, new, window, touched, settings, next_id)
        out.append(layer)
    return out[0], out[1]


def _splice_layer(
    old: gpd.GeoDataFrame,
    new: gpd.GeoDataFrame,
    window: shapely.Geometry,
    touched: set[str],
    settings: OverlaySettings,
    next_id: int,
) -> tuple[gpd.GeoDataFrame, int]:
    if shapely.is_empty(window):
        return old, next_id
    shapely.prepare(window)
    geoms = old.geometry.to_numpy()
    # pieces that only touch the window take part too: one may join a new piece inside it;
    # a piece of a changed claim lies in its old footprint, so in the window
    x0, y0, x1, y1 = shapely.bounds(window) + np.array([-1, -1, 1, 1]) * 2 * _EDGE_TOL_M
    b = shapely.bounds(geoms)
    near = np.flatnonzero((b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0))
    near = near[shapely.dwithin(window, geoms[near], 2 * _EDGE_TOL_M)]
    hit = np.zeros(len(old), dtype=bool)
    hit[near] = True
    gone = np.zeros(len(old), dtype=bool)
    gone[near] = _names_any(old["claim_ids"].iloc[near], touched)
    kept = old[~hit]
    cut = old[hit & ~gone]
    outside = polygonal(shapely.difference(cut.geometry.to_numpy(), window))
    inside = polygonal(shapely.intersection(new.geometry.to_numpy(), window))
    parts = pd.concat(
        [_exploded(cut, outside, True), _exploded(new, inside, False)], ignore_index=True
    )
    joined = _join_cut(parts).set_crs(old.crs, allow_override=True)
    area = shapely.area(joined.geometry.to_numpy())
    joined = joined[area > settings.min_overlap_m2].copy()
    joined["area_ha"] = shapely.area(joined.geometry.to_numpy()) / M2_PER_HA
    if "saved_ha" in joined:
        joined["saved_ha"] = (joined["n_features"] - 1) * joined["area_ha"]
    # a new piece, or the second part of an old piece the window cut in two: a new id
    fresh = (joined["piece_id"].isna() | joined["piece_id"].duplicated()).to_numpy()
    joined.loc[fresh, "piece_id"] = np.arange(next_id, next_id + int(fresh.sum()))
    next_id += int(fresh.sum())
    joined["piece_id"] = joined["piece_id"].astype(old["piece_id"].dtype)
    columns = list(old.columns)
    frames = [f for f in (kept, joined[columns]) if len(f)] or [old.iloc[:0]]
    result = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(result, geometry=old.geometry.name, crs=old.crs), next_id


def _names_any(claim_ids: pd.Series, touched: set[str]) -> np.ndarray:
    """Tell per row of ``;``-joined claim ids whether it names a touched claim."""
    split = claim_ids.fillna("").astype(str).str.split(";").explode()
    return split.isin(touched).groupby(level=0).any().reindex(claim_ids.index).to_numpy(bool)


def _exploded(frame: gpd.GeoDataFrame, geoms: np.ndarray, is_old: bool) -> pd.DataFrame:
    """One row per polygon of ``geoms`` with its row's attributes; old rows keep their id."""
    keep = ~shapely.is_empty(geoms)
    parts, index = polygon_parts(geoms[keep])
    rows = pd.DataFrame(frame.drop(columns=frame.geometry.name)).iloc[np.flatnonzero(keep)[index]]
    rows = rows.reset_index(drop=True)
    rows["geometry"] = parts
    rows["old"] = is_old
    if not is_old:
        rows["piece_id"] = np.nan
    return rows


def _join_cut(parts: pd.DataFrame) -> gpd.GeoDataFrame:
    """Join the polygons of one piece that the window cut apart (same cover, shared edge)."""
    geoms = parts["geometry"].to_numpy()
    key = (parts["claim_ids"].astype(str) + "|" + parts["existing"].astype(str)).to_numpy()
    old = parts["old"].to_numpy(dtype=bool)
    x, y = shapely.STRtree(geoms).query(geoms) if len(geoms) else (np.array([]), np.array([]))
    x, y = x.astype(np.intp), y.astype(np.intp)
    keep = (x < y) & (old[x] != old[y]) & (key[x] == key[y])
    x, y = x[keep], y[keep]
    # the two halves were computed apart (the old piece less the window, the new piece
    # in it): their common edge may differ by rounding, so it is found within a tolerance
    near = shapely.buffer(shapely.boundary(geoms[y]), _EDGE_TOL_M)
    common = shapely.length(shapely.intersection(shapely.boundary(geoms[x]), near))
    shared = common > 10 * _EDGE_TOL_M
    x, y = x[shared], y[shared]
    graph = coo_matrix((np.ones(len(x)), (x, y)), shape=(len(geoms), len(geoms)))
    label = connected_components(graph, directed=False)[1] if len(geoms) else np.array([], int)
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    rows, merged = [], []
    for members in np.split(order, bounds) if len(order) else []:
        # the attributes are those of the cover; the id is an old piece's, if any
        olds = members[old[members]]
        rows.append(olds[0] if len(olds) else members[0])
        merged.append(geoms[members[0]] if len(members) == 1 else shapely.union_all(geoms[members]))
    out = parts.iloc[rows].drop(columns=["old"]).reset_index(drop=True)
    out["geometry"] = polygonal(np.array(merged, dtype=object)) if merged else np.array([])
    return gpd.GeoDataFrame(out, geometry="geometry")
