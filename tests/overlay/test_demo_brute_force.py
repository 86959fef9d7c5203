# SPDX-License-Identifier: Apache-2.0
"""The demo region's findings against an independent brute-force computation.

The brute force checks every claim against every feature (no spatial index,
no planar partition): pairwise ``shapely.intersection``, ``union_all`` of the
conflicting overlaps for the distinct hectares, and ``shapely.distance`` for
distance violations and synergies, with relations read one by one from the
vocabulary.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
import shapely

from ruimte.analysis.overlay.run import run_overlay
from ruimte.analysis.overlay.settings import load_settings
from ruimte.vocab import load_vocabulary
from ruimte.workspace import Workspace

SETTINGS = load_settings()


@pytest.fixture(scope="module")
def demo_run(demo_path):
    return run_overlay(Workspace.open(demo_path), "ambitie", save=False)


@pytest.fixture(scope="module")
def brute(demo_run):
    """Every claim against every feature: overlaps, and distances within reach."""
    res = demo_run.result
    f = res.features
    vocab = load_vocabulary()
    ids, fns = f["feature_id"].to_numpy(), f["function"].to_numpy()
    claim = f["is_claim"].to_numpy(dtype=bool)
    geom, fp = f.geometry.to_numpy(), f["footprint"].to_numpy()
    overlaps: dict[tuple[str, str], tuple[str, object]] = {}
    near: list[tuple[str, str, str, float, str]] = []  # claim, other id, group, distance, relation
    for c in np.flatnonzero(claim):
        others = np.array([k for k in range(len(f)) if k != c and not (claim[k] and k < c)])
        hit = others[shapely.intersects(fp[c], fp[others])]
        inter = shapely.intersection(fp[c], fp[hit])
        area = np.array(
            [sum(p.area for p in shapely.get_parts(g) if p.geom_type == "Polygon") for g in inter]
        )
        for k, g, a in zip(hit, inter, area, strict=True):
            if a >= SETTINGS.min_overlap_m2:
                key = (ids[min(c, k)], ids[max(c, k)])
                overlaps[key] = (vocab.relation(fns[c], fns[k]).relation, g)
        close = others[shapely.dwithin(geom[c], geom[others], 500.0)]
        for k in close:
            rel = vocab.relation(fns[c], fns[k])
            if rel.relation in ("distance", "synergy"):
                group = ids[k] if claim[k] else f"{f['origin'].iat[k]}|{fns[k]}"
                d = float(shapely.distance(geom[c], geom[k]))
                limit = rel.min_distance_m if rel.relation == "distance" else SETTINGS.suggestion_m
                if (d < limit) if rel.relation == "distance" else (d <= limit):
                    near.append((ids[c], ids[k], group, d, rel.relation))
    return overlaps, near


def test_the_demo_has_findings_of_every_kind(demo_run):
    s = demo_run.result.summary()
    assert s["conflicts"]["count"] > 10 and s["shared_use"]["count"] > 10
    assert s["distance_violations"]["count"] >= 1 and s["synergies"]["count"] >= 3
    assert "claim C106: not located (no geometry); skipped" in demo_run.result.notes


def test_overlapping_pairs_match(demo_run, brute):
    overlaps, _ = brute
    pairs = demo_run.result.pairs
    got = {
        (a, b): (r, ha)
        for a, b, r, ha in pairs[["feature_a", "feature_b", "relation", "overlap_ha"]].itertuples(
            index=False
        )
    }
    assert set(got) == set(overlaps)
    for key, (relation, geom) in overlaps.items():
        assert got[key][0] == relation
        assert got[key][1] * 1e4 == pytest.approx(shapely.area(geom), rel=1e-9)


def test_distinct_hectares_match_the_union_of_overlaps(demo_run, brute):
    overlaps, _ = brute
    bad = [g for r, g in overlaps.values() if r in ("exclusive", "distance")]
    good = [g for r, g in overlaps.values() if r in ("shared", "synergy")]
    conflict_land = shapely.union_all(bad)
    shared_land = shapely.difference(shapely.union_all(good), conflict_land)
    res = demo_run.result
    assert res.conflicts["area_ha"].sum() * 1e4 == pytest.approx(conflict_land.area, rel=1e-6)
    assert res.shared_use["area_ha"].sum() * 1e4 == pytest.approx(shared_land.area, rel=1e-6)
    # pieces do not overlap each other
    pieces = np.concatenate([res.conflicts.geometry.to_numpy(), res.shared_use.geometry.to_numpy()])
    assert shapely.union_all(pieces).area == pytest.approx(shapely.area(pieces).sum(), rel=1e-6)


def test_distance_violations_and_synergies_match(demo_run, brute):
    _, near = brute
    expected: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    for claim, _other, group, d, relation in near:
        expected[relation][(claim, group)].append(d)
    res = demo_run.result
    for relation, frame in (("distance", res.distance_violations), ("synergy", res.synergies)):
        groups = np.where(
            frame["origin_b"] == "claims",
            frame["feature_b"],
            frame["origin_b"] + "|" + frame["function_b"],
        )
        got = {
            (a, g): (d, n)
            for a, g, d, n in zip(
                frame["feature_a"], groups, frame["distance_m"], frame["n_within"], strict=True
            )
        }
        want = expected[relation]
        assert set(got) == set(want), relation
        for key, distances in want.items():
            assert got[key][0] == pytest.approx(min(distances), abs=1e-6)
            assert got[key][1] == len(distances)
