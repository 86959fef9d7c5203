# SPDX-License-Identifier: Apache-2.0
"""One dataset, one land use: overlapping existing features of one dataset and function.

Hand-made (100 m x 100 m = 1 ha)::

    claim A housing 0-100 (x) x 0-100 (y); claim S solar_field 200-300 x 0-100
    dataset grid (hv_line polygons): g0 40-60, g1 50-70 (overlapping), g2 90-95
    (apart), g3 240-260 and g4 250-270 (overlapping, under S), all y 0-100
    dataset other (hv_line): h0 55-65, another dataset: not dissolved with grid

Without dissolving, A would have pieces 40-50, 50-55, 55-60, 60-65, 65-70:
with it, the grid strip 40-70 is one land use; h0 still cuts it, and the
pieces 40-55 and 65-70 (the same land uses) are apart.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import box
from stacked_case import RD, corridors, search_areas

from ruimte.analysis.overlay.kernel import overlay_claims, prepare_features
from ruimte.analysis.overlay.pieces import overlapping_pairs, partition
from ruimte.analysis.overlay.settings import load_settings
from ruimte.vocab import load_vocabulary

VOCAB = load_vocabulary()
MIN_M2 = load_settings().min_overlap_m2


def _case() -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    claims = gpd.GeoDataFrame(
        {"claim_id": ["A", "S"], "function": ["housing", "solar_field"]},
        geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100)],
        crs=RD,
    )
    grid = gpd.GeoDataFrame(
        {"function": ["hv_line"] * 5},
        geometry=[
            box(x0, 0, x1, 100) for x0, x1 in [(40, 60), (50, 70), (90, 95), (240, 260), (250, 270)]
        ],
        crs=RD,
    )
    other = gpd.GeoDataFrame({"function": ["hv_line"]}, geometry=[box(55, 0, 65, 100)], crs=RD)
    return claims, {"grid": grid, "other": other}


def test_overlapping_features_of_one_dataset_are_one_land_use() -> None:
    claims, landuse = _case()
    res = overlay_claims(claims, VOCAB, landuse)
    got = sorted(
        (row.existing, round(row.area_ha, 9), row.n_features) for row in res.conflicts.itertuples()
    )
    assert got == [
        ("grid#0;grid#1", 0.15, 2),  # 40-55: one land use, although two strips
        ("grid#0;grid#1;other#0", 0.1, 3),  # 55-65: the grid and the other dataset's line
        ("grid#1", 0.05, 2),  # 65-70: only g1 overlaps it
        ("grid#2", 0.05, 2),  # 90-95: apart from the others, a land use of its own
    ]
    assert res.summary()["conflicts"]["ha"] == pytest.approx(0.35)
    # the pairs table still measures feature by feature
    pairs = res.pairs.set_index(["feature_a", "feature_b"])["overlap_ha"]
    assert pairs[("A", "grid#0")] == pytest.approx(0.2)
    assert pairs[("A", "grid#1")] == pytest.approx(0.2)
    # shared use under S: one land use, so nothing is saved twice
    s = res.shared_use
    assert len(s) == 1
    row = s.iloc[0]
    assert (row.claim_ids, row.existing, row.n_features) == ("S", "grid#3;grid#4", 2)
    assert row.area_ha == pytest.approx(0.3) and row.saved_ha == pytest.approx(0.3)
    assert "S x grid#3" not in row.detail  # shared use lists conditions, not pairs
    assert res.summary()["shared_use"]["saved_ha"] == pytest.approx(0.3)


def test_a_piece_names_only_the_features_that_overlap_it() -> None:
    claims, landuse = _case()
    res = overlay_claims(claims, VOCAB, landuse)
    for row in res.conflicts.itertuples():
        named = [f for f in row.existing.split(";") if f.startswith("grid#")]
        rows = [int(f.split("#")[1]) for f in named]
        for r in rows:
            strip = landuse["grid"].geometry.iloc[r]
            assert shapely.intersection(strip, row.geometry).area > 0
        assert f"A x {named[0]} (distance)" in row.detail


def test_parallel_circuits_in_one_dataset_are_one_corridor() -> None:
    """40 corridors through one point in one dataset: the pieces of their union, hectares kept."""
    lines = corridors(40)
    claims = search_areas(12)
    one = {"grid": gpd.GeoDataFrame({"function": ["hv_line"] * 40}, geometry=lines, crs=RD)}
    apart = {
        f"line{i}": gpd.GeoDataFrame({"function": ["hv_line"]}, geometry=[g], crs=RD)
        for i, g in enumerate(lines)
    }
    dissolved, separate = overlay_claims(claims, VOCAB, one), overlay_claims(claims, VOCAB, apart)
    for kind in ("conflicts", "shared_use"):
        assert dissolved.summary()[kind]["ha"] == pytest.approx(
            separate.summary()[kind]["ha"], rel=1e-9
        )
    assert dissolved.summary()["conflicts"]["count"] < separate.summary()["conflicts"]["count"] / 3
    assert len(dissolved.pairs) == len(separate.pairs)  # pairs of features, as before
    # independently: the pieces of the claims and of the corridors' union as one footprint
    features, _ = prepare_features(claims, one, VOCAB, RD)
    claim = features["is_claim"].to_numpy(dtype=bool)
    fp = features["footprint"].to_numpy()
    union = np.append(fp[claim], shapely.union_all(fp[~claim]))
    relevant = np.arange(len(union)) < claim.sum()
    expected = partition(union, overlapping_pairs(union, relevant, MIN_M2), relevant, MIN_M2)
    assert dissolved.summary()["conflicts"]["count"] + dissolved.summary()["shared_use"][
        "count"
    ] <= len(expected)
    # every piece lies on the union; the centre piece names all 40 circuits once as land use
    centre = dissolved.conflicts.loc[dissolved.conflicts["existing"].str.count("grid#").idxmax()]
    assert centre["existing"].count("grid#") == 40
    assert centre["n_features"] == len(centre["claim_ids"].split(";")) + 1  # the grid: one use
