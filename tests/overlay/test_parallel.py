# SPDX-License-Identifier: Apache-2.0
"""The overlay on several threads gives exactly what it gives on one.

The case is large enough (over 4,096 candidate pairs, many tiles) that the
element-wise GEOS steps are split into slices and the tiles of the
arrangement run side by side; the number of threads is forced to 1 and to 4,
so this holds on any machine.
The pieces are also checked against an independent GEOS computation: they
add up to the union of all overlaps and do not overlap each other.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from ruimte.analysis.overlay import arrangement, arrays, pieces
from ruimte.analysis.overlay.kernel import overlay_claims
from ruimte.vocab import load_vocabulary

RD = "EPSG:28992"
LAYERS = ("housing", "solar_field", "nature_reserve", "dairy_farming", "water_storage", "forest")


def _claims(per_layer: int = 1100, seed: int = 11) -> gpd.GeoDataFrame:
    """12-gons of 20-60 m on one shifted 200 m grid per layer (a layer never overlaps itself)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(per_layer)))
    cells = np.arange(per_layer)
    frames = []
    for layer in LAYERS:
        x = (cells % side + 0.5) * 200 + rng.uniform(0, 200) + rng.uniform(-30, 30, per_layer)
        y = (cells // side + 0.5) * 200 + rng.uniform(0, 200) + rng.uniform(-30, 30, per_layer)
        shapes = shapely.buffer(shapely.points(x, y), rng.uniform(20, 60, per_layer), quad_segs=3)
        ids = [f"{layer}:{k}" for k in cells]
        frames.append(
            gpd.GeoDataFrame({"claim_id": ids, "function": layer}, geometry=shapes, crs=RD)
        )
    return gpd.GeoDataFrame(gpd.pd.concat(frames, ignore_index=True), crs=RD)


def _threads(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    monkeypatch.setattr(arrays, "workers", lambda: n)


@pytest.fixture(scope="module")
def footprints() -> np.ndarray:
    return _claims().geometry.to_numpy()


def test_pieces_are_identical_on_one_and_four_threads(
    monkeypatch: pytest.MonkeyPatch, footprints: np.ndarray
) -> None:
    every = np.ones(len(footprints), bool)
    runs = {}
    tiles_run = {}
    real_tile = arrangement._tile_faces
    for n in (1, 4):
        _threads(monkeypatch, n)
        calls: list[int] = []

        def counted(*args: object, calls: list[int] = calls) -> object:
            calls.append(1)
            return real_tile(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(arrangement, "_tile_faces", counted)
        overlaps = pieces.overlapping_pairs(footprints, every, 0.0)
        runs[n] = (overlaps, pieces.partition(footprints, overlaps, every, 0.0, tile_m=1000.0))
        tiles_run[n] = len(calls)
    (o1, p1), (o4, p4) = runs[1], runs[4]
    assert len(o1) > arrays.PARALLEL_MIN  # large enough to be split
    assert tiles_run[1] == tiles_run[4] > 16  # many tiles, the same on any number of threads
    assert np.array_equal(o1.i, o4.i) and np.array_equal(o1.j, o4.j)
    assert np.array_equal(o1.area_m2, o4.area_m2)
    assert np.array_equal(p1.area_m2, p4.area_m2)
    assert np.array_equal(p1.piece, p4.piece) and np.array_equal(p1.pair, p4.pair)
    assert shapely.equals_exact(p1.geometry, p4.geometry, tolerance=0).all()
    # deeper sets exist: pieces covered by three or more footprints
    assert np.bincount(p1.piece).max() >= 3
    # independently: the pieces tile the union of all overlaps, without overlapping each other
    # (no sliver is dropped here: the smallest area kept is 0)
    union = shapely.union_all(o1.geometry).area
    assert p1.area_m2.sum() == pytest.approx(union, rel=1e-9)
    assert shapely.union_all(p1.geometry).area == pytest.approx(union, rel=1e-9)


def test_findings_are_identical_on_one_and_four_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    claims = _claims(per_layer=400, seed=5)
    vocab = load_vocabulary()
    results = {}
    for n in (1, 4):
        _threads(monkeypatch, n)
        results[n] = overlay_claims(claims, vocab)
    one, four = results[1], results[4]
    assert one.summary() == four.summary()
    assert one.summary()["conflicts"]["count"] > 500
    for name in ("conflicts", "shared_use", "distance_violations", "synergies"):
        a, b = getattr(one, name), getattr(four, name)
        assert a.drop(columns="geometry").equals(b.drop(columns="geometry")), name
        assert shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), 0).all(), name
    assert one.pairs.equals(four.pairs)
