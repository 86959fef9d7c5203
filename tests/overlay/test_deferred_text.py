# SPDX-License-Identifier: Apache-2.0
"""The kernel's text columns are made when a layer is first read, and equal the eager ones.

Generated claims (the benchmark's 10 plan layers, 600 claims): the kernel leaves
``detail`` (conflicts, shared use) and ``suggestion`` (synergies) to be made on
reading; the layers then equal :func:`classify_pieces` and :func:`synergies`
run with their texts, column for column and in the same column order.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from ruimte.analysis.overlay import findings, pieces
from ruimte.analysis.overlay.kernel import overlay_claims, prepare_features
from ruimte.analysis.overlay.relations import RelationTable
from ruimte.analysis.overlay.settings import load_settings
from ruimte.analysis.overlay.synergies import SYNERGY_COLUMNS, synergies
from ruimte.vocab import load_vocabulary

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from overlay import generate  # noqa: E402

VOCAB = load_vocabulary()
SETTINGS = load_settings()


@pytest.fixture(scope="module")
def case():
    claims = generate(600)
    features, _ = prepare_features(claims, {}, VOCAB, claims.crs, SETTINGS)
    return claims, features


def test_texts_are_deferred_and_summary_makes_none(case):
    claims, _ = case
    res = overlay_claims(claims, VOCAB)
    assert sorted(res.deferred) == ["conflicts", "shared_use", "synergies"]
    summary = res.summary()
    assert sorted(res.deferred) == ["conflicts", "shared_use", "synergies"]
    assert summary["conflicts"]["count"] > 0 and summary["synergies"]["suggestions"] > 0
    assert list(res.synergies.columns) == [*SYNERGY_COLUMNS, "geometry"]
    assert sorted(res.deferred) == ["conflicts", "shared_use"]
    assert res.summary() == summary


def test_read_layers_equal_the_eager_texts(case):
    claims, features = case
    res = overlay_claims(claims, VOCAB)
    table = RelationTable.from_vocabulary(VOCAB, features["function"])
    footprints = features["footprint"].to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    overlaps = pieces.overlapping_pairs(footprints, claim, SETTINGS.min_overlap_m2)
    parts = pieces.partition(
        footprints, overlaps, claim, SETTINGS.min_overlap_m2,
        max_others=SETTINGS.enumerate_max_others, mean_sets=SETTINGS.enumerate_mean_sets,
    )  # fmt: skip
    conflicts, shared_use = findings.classify_pieces(features, overlaps, parts, table)
    pd.testing.assert_frame_equal(res.conflicts, conflicts, check_exact=True)
    pd.testing.assert_frame_equal(res.shared_use, shared_use, check_exact=True)
    pd.testing.assert_frame_equal(
        res.synergies, synergies(features, table, SETTINGS), check_exact=True
    )
    # a suggestion's text, by hand from its own row
    row = res.synergies[res.synergies["kind"] == "suggestion"].iloc[0]
    metres = round(row["shift_m"])
    assert row["suggestion"] == (
        f"shift {row['feature_a']} {metres} m towards {row['feature_b']}, "
        f"or add a {metres} m buffer strip"
    )
    assert (res.synergies.loc[res.synergies["kind"] == "adjacent", "suggestion"] == "").all()


def test_two_threads_reading_make_the_text_once(case):
    claims, _ = case
    res = overlay_claims(claims, VOCAB)
    start = threading.Barrier(2)
    seen = []

    def read():
        start.wait()
        seen.append(list(res.conflicts.columns))

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen[0] == seen[1] == [*findings.PIECE_COLUMNS, "geometry"]


def test_a_new_layer_drops_what_was_pending(case):
    claims, _ = case
    res = overlay_claims(claims, VOCAB)
    res.synergies = res.synergies.iloc[:0]  # reading made the text; the new frame has it too
    res.conflicts = res.distance_violations.iloc[:0]  # replaced before it was read
    assert "conflicts" not in res.deferred
    assert "detail" not in res.conflicts.columns


def test_geopackage_stores_the_texts_as_text(case, tmp_path):
    claims, _ = case
    res = overlay_claims(claims, VOCAB)
    path = tmp_path / "findings.gpkg"
    res.synergies.to_file(path, layer="synergies")
    res.conflicts.to_file(path, layer="conflicts")
    info = pyogrio.read_info(path, layer="synergies")
    fields = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert fields["suggestion"] == fields["kind"] == "object"
    back = pyogrio.read_dataframe(path, layer="conflicts")
    assert back["detail"].tolist() == res.conflicts["detail"].tolist()
