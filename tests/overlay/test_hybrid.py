# SPDX-License-Identifier: Apache-2.0
"""The hybrid partition (enumeration where footprints stack shallowly) against the arrangement.

The case holds both: the stacked corridors of ``stacked_case`` (k = 8: every
overlap at the centre meets many other footprints, so the arrangement cuts
it) and, 10 km away, three layers of small claim discs on shifted grids
(overlaps met by at most a few others, so they are enumerated). Both ways must
give the same pieces (the same covering pairs and areas) and the same findings.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from stacked_case import RD, stacked_case

from ruimte.analysis.overlay.enumeration import others_meeting
from ruimte.analysis.overlay.kernel import overlay_claims, prepare_features
from ruimte.analysis.overlay.pieces import overlapping_pairs, partition, shallow_overlaps
from ruimte.analysis.overlay.settings import load_settings
from ruimte.vocab import load_vocabulary

VOCAB = load_vocabulary()
SETTINGS = load_settings()
MAX_OTHERS = SETTINGS.enumerate_max_others


def _shallow_claims(seed: int = 7) -> gpd.GeoDataFrame:
    """Three layers of discs (r 20-60 m) on shifted 200 m grids, 10 km east of the stack."""
    rng = np.random.default_rng(seed)
    frames = []
    for layer, function in enumerate(("housing", "solar_field", "nature_reserve")):
        ij = np.arange(100)
        off = rng.uniform(0, 200, 2)
        x = 160_000 + (ij % 10) * 200 + off[0] + rng.uniform(-30, 30, 100)
        y = 449_000 + (ij // 10) * 200 + off[1] + rng.uniform(-30, 30, 100)
        geometry = shapely.buffer(shapely.points(x, y), rng.uniform(20, 90, 100), quad_segs=4)
        frames.append(
            gpd.GeoDataFrame(
                {"claim_id": [f"S{layer}-{i}" for i in ij], "function": function},
                geometry=geometry,
                crs=RD,
            )
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=RD)


@pytest.fixture(scope="module")
def case() -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    claims, landuse = stacked_case(8, n_parcels=400, n_claims=8)
    both = gpd.GeoDataFrame(pd.concat([claims, _shallow_claims()], ignore_index=True), crs=RD)
    return both, landuse


def _piece_keys(pieces, overlaps) -> list[tuple[tuple[tuple[int, int], ...], float]]:
    """Each piece as (its covering pairs, area rounded to 1 mm²), sorted."""
    keys = []
    start = np.searchsorted(pieces.piece, np.arange(len(pieces) + 1))
    for p in range(len(pieces)):
        pairs = pieces.pair[start[p] : start[p + 1]]
        cover = tuple(
            sorted(zip(overlaps.i[pairs].tolist(), overlaps.j[pairs].tolist(), strict=True))
        )
        keys.append((cover, round(float(pieces.area_m2[p]), 6)))
    return sorted(keys)


def test_both_ways_are_used_and_give_the_same_pieces(case) -> None:
    claims, landuse = case
    features, _ = prepare_features(claims, landuse, VOCAB, RD)
    fp = features["footprint"].to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    overlaps = overlapping_pairs(fp, claim, SETTINGS.min_overlap_m2)
    shallow = shallow_overlaps(overlaps, others_meeting(fp, overlaps), len(fp), MAX_OTHERS)
    assert 100 < shallow.sum() < len(overlaps)  # both kernels take part
    arranged = partition(fp, overlaps, claim, SETTINGS.min_overlap_m2, tile_m=900.0)
    hybrid = partition(
        fp, overlaps, claim, SETTINGS.min_overlap_m2, tile_m=900.0, max_others=MAX_OTHERS
    )
    assert len(hybrid) == len(arranged)
    assert _piece_keys(hybrid, overlaps) == _piece_keys(arranged, overlaps)
    # the pieces do not overlap and cover exactly the union of the overlaps
    union = shapely.union_all(overlaps.geometry).area
    assert hybrid.area_m2.sum() == pytest.approx(union, rel=1e-9)
    assert shapely.union_all(hybrid.geometry).area == pytest.approx(union, rel=1e-9)


def _totals(result) -> dict[str, object]:
    conflicts = result.conflicts.groupby(["functions", "relation"])["area_ha"].sum().round(8)
    shared = result.shared_use.groupby(["functions", "relation"])["area_ha"].sum().round(8)
    pairs = result.pairs.sort_values(["feature_a", "feature_b"])
    return {
        "conflicts": conflicts.to_dict(),
        "n_conflicts": len(result.conflicts),
        "shared": shared.to_dict(),
        "n_shared": len(result.shared_use),
        "pairs": list(
            zip(pairs["feature_a"], pairs["feature_b"], pairs["overlap_ha"].round(8), strict=True)
        ),
        "synergies": sorted(
            zip(result.synergies["feature_a"], result.synergies["feature_b"], strict=True)
        ),
        "violations": sorted(
            zip(
                result.distance_violations["feature_a"],
                result.distance_violations["feature_b"],
                strict=True,
            )
        ),
    }


def test_findings_equal_with_and_without_enumeration(case) -> None:
    claims, landuse = case
    runs = [
        overlay_claims(
            claims, VOCAB, landuse, settings=SETTINGS.with_values(enumerate_max_others=m)
        )
        for m in (0, MAX_OTHERS)
    ]
    assert _totals(runs[0]) == _totals(runs[1])
    assert runs[1].conflicts["area_ha"].sum() > 0


def test_the_guard_runs_before_the_enumeration(case, monkeypatch) -> None:
    from ruimte.analysis.overlay import guard, pieces

    claims, landuse = case
    features, _ = prepare_features(claims, landuse, VOCAB, RD)
    fp = features["footprint"].to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    overlaps = overlapping_pairs(fp, claim, SETTINGS.min_overlap_m2)
    calls: list[int] = []
    real = pieces.enumerated_pieces
    monkeypatch.setattr(
        pieces, "enumerated_pieces", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    monkeypatch.setattr(guard, "available_bytes", lambda: 2**20)  # 1 MiB
    with pytest.raises(guard.OverlayMemoryError, match="vertices of enumerated pieces"):
        partition(fp, overlaps, claim, SETTINGS.min_overlap_m2, max_others=MAX_OTHERS)
    assert calls == []  # stopped before any enumeration
    monkeypatch.setattr(guard, "available_bytes", lambda: None)
    partition(fp, overlaps, claim, SETTINGS.min_overlap_m2, max_others=MAX_OTHERS)
    assert calls == [1]


def test_the_enumeration_shows_a_stage(case) -> None:
    claims, landuse = case
    seen: list[tuple[str, int, int]] = []
    overlay_claims(claims, VOCAB, landuse, progress=lambda *a: seen.append(a))
    shallow = [(d, t) for s, d, t in seen if s == "pieces of land (shallow stacks)"]
    assert shallow and shallow[-1][0] == shallow[-1][1]  # every slice done
    assert [d for d, _ in shallow] == list(range(1, shallow[-1][1] + 1))
    stages = [s for s, _, _ in seen]
    assert stages.index("pieces of land (shallow stacks)") < stages.index("pieces of land (tiles)")


def _discs(centres: np.ndarray, k: int, seed: int) -> np.ndarray:
    """``k`` discs (r 60-200 m) over each centre, a few tens of metres apart."""
    rng = np.random.default_rng(seed)
    xy = np.repeat(centres, k, axis=0) + rng.uniform(-40, 40, (len(centres) * k, 2))
    return shapely.buffer(shapely.points(xy), rng.uniform(60, 200, len(xy)), quad_segs=8)


def test_the_mean_sends_dense_stacks_to_the_arrangement_and_keeps_sparse_groups() -> None:
    # stacks of 6 discs over one spot: each overlap meets 4 others (2^4 = 16 sets bound)
    centres = np.stack([np.arange(20) * 1_000.0, np.zeros(20)], axis=1)
    dense = _discs(centres, 6, seed=3)
    every = np.ones(len(dense), bool)
    overlaps = overlapping_pairs(dense, every, 0.01)
    others = others_meeting(dense, overlaps)
    assert np.bincount(others[0], minlength=len(overlaps)).max() == 4
    assert shallow_overlaps(overlaps, others, len(dense), 8).all()  # the cap alone: enumerated
    assert not shallow_overlaps(overlaps, others, len(dense), 8, mean_sets=8).any()
    # a chain of overlapping discs (no third disc meets an overlap) joined to one stack of
    # 9 discs: the stack's overlaps bound 2^7 = 128 sets each, the chain's about 1; with a
    # short chain the group is dense on average (arrangement), with a long one sparse
    stack = _discs(np.array([[0.0, 0.0]]), 9, seed=4)
    for n_chain, expected in ((8, False), (1_500, True)):
        x = 300.0 + np.arange(n_chain) * 150.0
        chain = shapely.buffer(shapely.points(x, np.zeros(n_chain)), 100.0, quad_segs=8)
        fp = np.concatenate([stack, chain])
        every = np.ones(len(fp), bool)
        overlaps = overlapping_pairs(fp, every, 0.01)
        others = others_meeting(fp, overlaps)
        meeting = np.bincount(others[0], minlength=len(overlaps))
        assert meeting.max() == 7
        assert (np.exp2(meeting).mean() <= 8) == expected
        shallow = shallow_overlaps(overlaps, others, len(fp), 8, mean_sets=8)
        assert shallow.all() == expected and shallow.any() == expected  # one group
        parts = partition(fp, overlaps, every, 0.01, max_others=8, mean_sets=8)
        arranged = partition(fp, overlaps, every, 0.01)
        assert _piece_keys(parts, overlaps) == _piece_keys(arranged, overlaps)
