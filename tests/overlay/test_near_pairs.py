# SPDX-License-Identifier: Apache-2.0
"""near_pairs against brute force: every pair closer than its minimum distance, once.

Random turbines, dwellings and biogas plants, claims and existing ones mixed:
wind_turbine x wind_turbine (500 m, one function on both sides),
housing x wind_turbine (400 m) and biogas_plant x housing (300 m).
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import shapely

from ruimte.analysis.overlay.distances import near_pairs
from ruimte.analysis.overlay.relations import CODES, RelationTable
from ruimte.vocab import load_vocabulary

VOCAB = load_vocabulary()


def test_each_violating_pair_is_found_once() -> None:
    rng = np.random.default_rng(7)
    n = 120
    features = gpd.GeoDataFrame(
        {
            "function": rng.choice(["wind_turbine", "housing", "biogas_plant"], n),
            "is_claim": rng.random(n) < 0.6,
        },
        geometry=shapely.points(rng.uniform(0, 3000, n), rng.uniform(0, 3000, n)),
        crs="EPSG:28992",
    )
    table = RelationTable.from_vocabulary(VOCAB, features["function"])
    pairs = near_pairs(features, table, CODES["distance"])
    pairs = pairs[pairs["distance_m"] < pairs["min_distance_m"]]
    found = sorted(zip(pairs["i"], pairs["j"], strict=True))

    fn, claim = features["function"].to_numpy(), features["is_claim"].to_numpy()
    geoms = features.geometry.to_numpy()
    expected = []
    for a, b in itertools.combinations(range(n), 2):
        rel = VOCAB.relation(fn[a], fn[b])
        if rel.relation != "distance" or not (claim[a] or claim[b]):
            continue
        if shapely.distance(geoms[a], geoms[b]) < rel.min_distance_m:
            expected.append((a, b) if claim[a] else (b, a))  # a claim first
    assert len(expected) > 30  # the case is not empty
    assert found == sorted(expected)
    assert len(set(found)) == len(found)
