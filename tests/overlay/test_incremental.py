# SPDX-License-Identifier: Apache-2.0
"""An overlay updated near the changed claims equals a full run on the new claims.

Each case edits the demo's ``ambitie`` claims (move, reshape, add, remove,
change function) or a generated stack of boxes, updates the previous full
result with :func:`update_overlay`, and compares it with a full run of the
kernel on the edited claims: the same pieces of land (covering features,
relation, number of land uses, hectares), the same distance violations,
synergies and overlapping pairs.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import affinity, box

from ruimte.analysis.overlay.incremental import changed_claims, update_overlay
from ruimte.analysis.overlay.kernel import overlay_features, prepare_features
from ruimte.analysis.overlay.run import landuse_datasets
from ruimte.analysis.overlay.settings import load_settings
from ruimte.vocab import load_vocabulary
from ruimte.workspace import Workspace

VOCAB = load_vocabulary()
SETTINGS = load_settings()


def piece_rows(layer: gpd.GeoDataFrame) -> list[tuple]:
    """Return the pieces as comparable rows: cover, relation, land uses and hectares, sorted."""
    rows = zip(
        layer["claim_ids"], layer["existing"], layer["relation"], layer["n_features"],
        layer["area_ha"].to_numpy(dtype=float), strict=True,
    )  # fmt: skip
    return sorted(rows)


def pair_rows(frame: pd.DataFrame, value: str) -> list[tuple]:
    return sorted(
        zip(
            frame["feature_a"].astype(str),
            frame["feature_b"].astype(str),
            frame[value].to_numpy(dtype=float),
            strict=True,
        )  # fmt: skip
    )


def assert_rows_match(a: list[tuple], b: list[tuple], name: str = "") -> None:
    """Assert the same keys row by row, and values equal to 1e-9 relative (1e-9 absolute).

    Values are compared with a tolerance, not rounded: generated coordinates on a
    0.1 m grid give areas on a 1e-6 ha grid, so rounding to 5 decimals would meet
    exact ties, where noise in the last bit of a float decides the rounded digit.
    """
    assert [r[:-1] for r in a] == [r[:-1] for r in b], name
    assert [r[-1] for r in a] == pytest.approx([r[-1] for r in b], rel=1e-9, abs=1e-9), name


def assert_same(updated, full) -> None:
    for name in ("conflicts", "shared_use"):
        a, b = getattr(updated, name), getattr(full, name)
        assert_rows_match(piece_rows(a), piece_rows(b), name)
        assert a["area_ha"].sum() == pytest.approx(b["area_ha"].sum(), rel=1e-9, abs=1e-9)
        assert a["piece_id"].is_unique
        # the same land: the pieces' union differs by rounding only
        if len(a):
            diff = shapely.symmetric_difference(
                shapely.union_all(a.geometry.to_numpy()), shapely.union_all(b.geometry.to_numpy())
            )
            assert diff.area < 1e-6 * max(1.0, float(b["area_ha"].sum()) * 1e4)
    assert_rows_match(
        pair_rows(updated.distance_violations, "distance_m"),
        pair_rows(full.distance_violations, "distance_m"),
        "distance_violations",
    )
    assert sorted(updated.distance_violations["n_within"]) == sorted(
        full.distance_violations["n_within"]
    )
    assert_rows_match(
        pair_rows(updated.synergies, "distance_m"), pair_rows(full.synergies, "distance_m"), "syn"
    )
    assert_rows_match(
        pair_rows(updated.pairs, "overlap_ha"), pair_rows(full.pairs, "overlap_ha"), "pairs"
    )
    assert_same_summary(updated.summary(), full.summary())


def assert_same_summary(a: dict, b: dict) -> None:
    """Assert the same counts, and hectares (rounded to 4 decimals) at most one last digit apart.

    At a tie of the rounding, float noise decides the digit (see :func:`assert_rows_match`).
    """
    assert a.keys() == b.keys()
    for key, value in a.items():
        if isinstance(value, dict):
            assert_same_summary(value, b[key])
        elif isinstance(value, float):
            assert value == pytest.approx(b[key], rel=1e-9, abs=1.01e-4), key
        else:
            assert value == b[key], key


@pytest.fixture(scope="module")
def demo_inputs(demo_path):
    ws = Workspace.open(demo_path)
    return ws.claims("ambitie"), landuse_datasets(ws), ws.crs


def features_of(claims, landuse, crs):
    return prepare_features(claims, landuse, VOCAB, crs, SETTINGS)[0]


def moved(claims: gpd.GeoDataFrame, claim_id: str, dx: float, dy: float) -> gpd.GeoDataFrame:
    out = claims.copy()
    at = out["claim_id"] == claim_id
    out.loc[at, "geometry"] = out.loc[at, "geometry"].translate(dx, dy)
    return out


def test_demo_edits_equal_a_full_run(demo_inputs):
    claims, landuse, crs = demo_inputs
    before = features_of(claims, landuse, crs)
    previous = overlay_features(before, VOCAB, SETTINGS)
    assert len(previous.conflicts) > 50  # the demo's conflicts: a real case
    polygons = claims[claims.geom_type.isin(["Polygon", "MultiPolygon"])]
    target = str(polygons[polygons["function"] == "solar_field"]["claim_id"].iloc[0])
    point = str(claims[claims.geom_type == "Point"]["claim_id"].iloc[0])
    edits = {
        "moved 180 m": moved(claims, target, 180.0, -120.0),
        "moved a point": moved(claims, point, 90.0, 60.0),
        "reshaped": claims.assign(
            geometry=[
                affinity.scale(g, 1.4, 0.7) if cid == target else g
                for cid, g in zip(claims["claim_id"], claims.geometry, strict=True)
            ]
        ),
        "removed": claims[claims["claim_id"] != target],
        "other function": claims.assign(
            function=np.where(claims["claim_id"] == target, "housing", claims["function"])
        ),
        "added across others": pd.concat(
            [
                claims,
                claims.iloc[[0]].assign(
                    claim_id="NEW1",
                    function="solar_field",
                    geometry=[polygons.geometry.iloc[0].centroid.buffer(900.0)],
                ),
            ],
            ignore_index=True,
        ),
    }
    for name, edited in edits.items():
        after = features_of(gpd.GeoDataFrame(edited, crs=claims.crs), landuse, crs)
        changed = changed_claims(before, after)
        assert changed, name
        updated = update_overlay(previous, after, VOCAB, SETTINGS)
        full = overlay_features(after, VOCAB, SETTINGS)
        assert_same(updated, full)
        # the edit made a difference somewhere (the test compares something real)
        if name != "moved a point":
            now = piece_rows(updated.conflicts) + piece_rows(updated.shared_use)
            before_rows = piece_rows(previous.conflicts) + piece_rows(previous.shared_use)
            with pytest.raises(AssertionError):
                assert_rows_match(now, before_rows)


def test_successive_updates_stay_equal_to_full_runs(demo_inputs):
    claims, landuse, crs = demo_inputs
    result = overlay_features(features_of(claims, landuse, crs), VOCAB, SETTINGS)
    polygons = list(claims[claims.geom_type.isin(["Polygon", "MultiPolygon"])]["claim_id"])
    for step, claim_id in enumerate(polygons[:4]):
        claims = moved(claims, claim_id, 60.0 * (step + 1), 40.0)
        after = features_of(claims, landuse, crs)
        result = update_overlay(result, after, VOCAB, SETTINGS)
    assert_same(result, overlay_features(after, VOCAB, SETTINGS))


def stack_claims(boxes: list[tuple[float, float, float, float, str]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "claim_id": [f"K{k}" for k in range(len(boxes))],
            "function": [b[4] for b in boxes],
        },
        geometry=[box(x, y, x + w, y + h) for x, y, w, h, _ in boxes],
        crs="EPSG:28992",
    )


FUNCTIONS = ["solar_field", "housing", "nature_reserve", "wind_turbine", "arable_farming"]
coord = st.floats(0, 2000, allow_nan=False).map(lambda v: round(v, 1))
side = st.floats(50, 900, allow_nan=False).map(lambda v: round(v, 1))
boxes = st.lists(
    st.tuples(coord, coord, side, side, st.sampled_from(FUNCTIONS)), min_size=2, max_size=12
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boxes=boxes, pick=st.integers(0, 11), dx=coord, dy=coord, remove=st.booleans())
def test_generated_edit_equals_a_full_run(boxes, pick, dx, dy, remove):
    claims = stack_claims(boxes)
    fields = gpd.GeoDataFrame(
        {"function": ["arable_farming", "nature_reserve"]},
        geometry=[box(0, 0, 1500, 1500), box(800, 600, 2600, 2400)],
        crs="EPSG:28992",
    )
    landuse = {"fields": fields}
    before = features_of(claims, landuse, "EPSG:28992")
    previous = overlay_features(before, VOCAB, SETTINGS)
    k = pick % len(claims)
    if remove:
        edited = claims.drop(index=k)
    else:
        edited = moved(claims, f"K{k}", dx - 1000.0, dy - 1000.0)
    after = features_of(edited, landuse, "EPSG:28992")
    assert_same(
        update_overlay(previous, after, VOCAB, SETTINGS), overlay_features(after, VOCAB, SETTINGS)
    )


def test_nothing_changed_gives_the_previous_findings(demo_inputs):
    claims, landuse, crs = demo_inputs
    features = features_of(claims, landuse, crs)
    previous = overlay_features(features, VOCAB, SETTINGS)
    assert changed_claims(features, features) == []
    same = update_overlay(previous, features, VOCAB, SETTINGS)
    assert same.conflicts is previous.conflicts
