# SPDX-License-Identifier: Apache-2.0
"""Stacked footprints: k corridors through one point, parcels and overlapping search areas.

The sets of footprints covering land together grow as 2^k at the centre;
the pieces of land (faces of the arrangement) about as k^2. Checked against
independent computations:

- the number of pieces against a plain shapely arrangement of all
  footprint boundaries (one ``union_all`` and ``polygonize``, no tiles),
  each face's footprints found from the footprints' side (``contains``);
- for k <= 10, the hectares per pair of functions against brute force: every
  claim intersected with every footprint, ``union_all`` per function pair.

The kernel runs with tiles of 900 m (the search areas are up to 3 km across),
so pieces cut by tile edges are merged back.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
import shapely
from stacked_case import stacked_case

from ruimte.analysis.overlay.kernel import overlay_claims, prepare_features
from ruimte.analysis.overlay.pieces import overlapping_pairs, partition
from ruimte.analysis.overlay.settings import load_settings
from ruimte.vocab import load_vocabulary

VOCAB = load_vocabulary()
MIN_M2 = load_settings().min_overlap_m2


@pytest.fixture(scope="module", params=[5, 10, 20, 40, 80])
def stack(request: pytest.FixtureRequest) -> dict:
    k = request.param
    claims, landuse = stacked_case(k)
    features, _ = prepare_features(claims, landuse, VOCAB, "EPSG:28992")
    fp = features["footprint"].to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    overlaps = overlapping_pairs(fp, claim, MIN_M2)
    pieces = partition(fp, overlaps, claim, MIN_M2, tile_m=900.0)
    return {"k": k, "features": features, "overlaps": overlaps, "pieces": pieces}


def _independent_pieces(fp: np.ndarray, claim: np.ndarray) -> list[tuple[float, frozenset]]:
    """Faces of one untiled arrangement covered by a claim and another footprint."""
    lines = shapely.union_all(shapely.boundary(fp))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    points = shapely.point_on_surface(faces)
    owner, face = shapely.STRtree(points).query(fp, predicate="contains")
    cover: dict[int, set[int]] = defaultdict(set)
    for o, f in zip(owner, face, strict=True):
        cover[int(f)].add(int(o))
    area = shapely.area(faces)
    return [
        (float(area[f]), frozenset(m))
        for f, m in cover.items()
        if len(m) >= 2 and any(claim[x] for x in m) and area[f] > MIN_M2
    ]


def test_piece_count_equals_the_faces_of_an_independent_arrangement(stack: dict) -> None:
    f, pieces = stack["features"], stack["pieces"]
    expected = _independent_pieces(f["footprint"].to_numpy(), f["is_claim"].to_numpy(dtype=bool))
    assert len(pieces) == len(expected)
    assert pieces.area_m2.sum() == pytest.approx(sum(a for a, _ in expected), rel=1e-9)
    # the centre: every corridor and every search area on one piece of land
    deepest = np.bincount(pieces.piece).max()
    assert deepest == 12 * stack["k"] + 12 * 11 // 2 + 12  # claim x corridor, claim, parcel
    assert len(pieces) < 40 * stack["k"] ** 2 + 20_000  # faces, not 2^k sets


def test_pieces_tile_the_overlapped_land_once(stack: dict) -> None:
    overlaps, pieces = stack["overlaps"], stack["pieces"]
    union = shapely.union_all(overlaps.geometry).area
    # slivers of 1 dm2 or less are no pieces: at k = 80 some 2 m2 of 1,185 ha
    assert pieces.area_m2.sum() == pytest.approx(union, rel=1e-6)
    assert shapely.union_all(pieces.geometry).area == pytest.approx(pieces.area_m2.sum(), rel=1e-9)
    assert set(shapely.get_type_id(pieces.geometry)) == {3}  # merged across tiles: polygons


def test_hectares_per_function_pair_match_brute_force(stack: dict) -> None:
    if stack["k"] > 10:
        pytest.skip("brute force only for k <= 10")
    f, overlaps, pieces = stack["features"], stack["overlaps"], stack["pieces"]
    fp = f["footprint"].to_numpy()
    fn = f["function"].to_numpy()
    claim = f["is_claim"].to_numpy(dtype=bool)
    land: dict[tuple[str, str], list] = defaultdict(list)
    everything = np.arange(len(fp))
    for c in np.flatnonzero(claim):
        others = everything[(everything != c) & ~(claim & (everything < c))]
        inter = shapely.intersection(fp[c], fp[others])
        for o, g in zip(others, inter, strict=True):
            polys = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
            if sum(p.area for p in polys) >= MIN_M2:
                land[tuple(sorted((fn[c], fn[o])))].extend(polys)
    expected = {key: shapely.union_all(polys).area for key, polys in land.items()}

    pair_fn = [tuple(sorted(p)) for p in zip(fn[overlaps.i], fn[overlaps.j], strict=True)]
    got: dict[tuple[str, str], float] = defaultdict(float)
    seen: set[tuple[tuple[str, str], int]] = set()
    for piece, pair in zip(pieces.piece, pieces.pair, strict=True):
        key = pair_fn[pair]
        if (key, piece) not in seen:
            seen.add((key, piece))
            got[key] += pieces.area_m2[piece]
    assert set(got) == set(expected)
    assert len(expected) >= 8  # corridors, parcels and four claim functions
    for key, area in expected.items():
        assert got[key] == pytest.approx(area, rel=1e-6), key


def test_the_whole_overlay_runs_on_the_deepest_stack() -> None:
    claims, landuse = stacked_case(80)
    result = overlay_claims(claims, VOCAB, landuse)
    s = result.summary()
    assert s["claims"] == 12
    assert s["conflicts"]["count"] > 1000  # housing search areas exclude the rest
    total = result.conflicts["area_ha"].sum() + result.shared_use["area_ha"].sum()
    assert total * 1e4 <= shapely.union_all(claims.geometry).area
