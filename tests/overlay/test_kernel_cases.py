# SPDX-License-Identifier: Apache-2.0
"""Hand-made claims where every conflict, shared area, distance and synergy is known exactly.

Squares are 100 m x 100 m = 1 ha. The layout (x to the right, metres)::

    y 0-100    A housing 0-300, B solar_field 100-400, C nature_reserve 200-500
    y 200-300  D business_park 0-100 touches E housing 100-200
    y 400-500  F dairy_farming (multipolygon 0-100 and 200-300), G solar_field 50-250
    H wind_turbine point (800, 50);  I housing 1100-1200 x 0-100 (300 m from H)
    J battery point (1500, 600);     K substation point (1650, 600) (150 m apart)
    M solar_field 2050-2150 x 0-100 on existing farmland P (arable 2000-2100),
    which overlaps existing Q (dairy 2000-2030): existing among itself is no finding
    L housing, not located
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely import MultiPolygon, Point, Polygon, box

from ruimte.analysis.overlay.kernel import overlay_claims
from ruimte.analysis.overlay.settings import OverlayError, load_settings
from ruimte.errors import UnknownFunctionError
from ruimte.vocab import load_vocabulary

VOCAB = load_vocabulary()

CLAIMS = [
    ("A", "housing", box(0, 0, 300, 100)),
    ("B", "solar_field", box(100, 0, 400, 100)),
    ("C", "nature_reserve", box(200, 0, 500, 100)),
    ("D", "business_park", box(0, 200, 100, 300)),
    ("E", "housing", box(100, 200, 200, 300)),
    ("F", "dairy_farming", MultiPolygon([box(0, 400, 100, 500), box(200, 400, 300, 500)])),
    ("G", "solar_field", box(50, 400, 250, 500)),
    ("H", "wind_turbine", Point(800, 50)),
    ("I", "housing", box(1100, 0, 1200, 100)),
    ("J", "battery", Point(1500, 600)),
    ("K", "substation", Point(1650, 600)),
    ("M", "solar_field", box(2050, 0, 2150, 100)),
    ("L", "housing", None),
]


def claims_frame(rows: list[tuple[str, str, object]] = CLAIMS, crs: str = "EPSG:28992"):
    return gpd.GeoDataFrame(
        {
            "claim_id": [r[0] for r in rows],
            "function": [r[1] for r in rows],
            "owner": [f"owner {r[0]}" for r in rows],
            "governance_level": "municipality",
        },
        geometry=[r[2] for r in rows],
        crs=crs,
    )


def farmland() -> dict[str, gpd.GeoDataFrame]:
    frame = gpd.GeoDataFrame(
        {"function": ["arable_farming", "dairy_farming"]},
        geometry=[box(2000, 0, 2100, 100), box(2000, 0, 2030, 100)],
        crs="EPSG:28992",
    )
    return {"farmland": frame}


@pytest.fixture(scope="module")
def result():
    return overlay_claims(claims_frame(), VOCAB, farmland())


def test_conflicts_are_distinct_pieces_of_land(result):
    c = result.conflicts.sort_values("area_ha", ascending=False)
    pieces = {(row.claim_ids, row.existing): round(row.area_ha, 9) for row in c.itertuples()}
    assert pieces == {("A;B", ""): 1.0, ("A;B;C", ""): 1.0, ("M", "farmland#0"): 0.5}
    # three-way piece: reported once although three pairs overlap there
    assert result.summary()["conflicts"] == {"count": 3, "ha": 2.5}
    # the pairwise sums count the three-way square twice: A-B 2 ha + A-C 1 ha
    pairs = result.pairs.set_index(["feature_a", "feature_b"])
    assert pairs.loc[("A", "B"), "overlap_ha"] == pytest.approx(2.0)
    assert pairs.loc[("A", "C"), "overlap_ha"] == pytest.approx(1.0)
    assert pairs.loc[("A", "B"), "relation"] == "exclusive"
    three = c[c["claim_ids"] == "A;B;C"].iloc[0]
    assert three["detail"] == "A x B (exclusive); A x C (exclusive)"
    assert three["owners"] == "owner A;owner B;owner C"
    assert three.geometry.equals(box(200, 0, 300, 100))


def test_touching_claims_give_no_finding(result):
    assert ("D", "E") not in set(
        zip(result.pairs["feature_a"], result.pairs["feature_b"], strict=True)
    )
    assert not result.conflicts["claim_ids"].str.contains("D").any()


def test_shared_use_with_condition_and_saved_hectares(result):
    s = result.shared_use.sort_values(["claim_ids", "piece_id"])
    assert list(s["claim_ids"]) == ["B;C", "F;G", "F;G"]  # the multipolygon: two pieces
    assert s["area_ha"].round(9).tolist() == [1.0, 0.5, 0.5]
    assert s["saved_ha"].round(9).tolist() == [1.0, 0.5, 0.5]
    assert s.iloc[1]["detail"] == VOCAB.relation("dairy_farming", "solar_field").condition
    assert s.iloc[0]["relation"] == "synergy"
    assert result.summary()["shared_use"] == {"count": 3, "ha": 2.0, "saved_ha": 2.0}


def test_distance_violation_with_actual_distance(result):
    v = result.distance_violations
    assert len(v) == 1
    row = v.iloc[0]
    assert (row["feature_a"], row["feature_b"]) == ("H", "I")
    assert row["distance_m"] == pytest.approx(300.0)
    assert row["min_distance_m"] == 400.0
    assert row["shortfall_m"] == pytest.approx(100.0)
    assert row["source"] == "windplan_groen_400"
    assert row.geometry.length == pytest.approx(300.0)


def test_synergies_adjacent_and_suggested(result):
    s = result.synergies.set_index(["feature_a", "feature_b"])
    assert set(s.index) == {("B", "C"), ("J", "K")}
    assert s.loc[("B", "C"), "kind"] == "adjacent"
    assert s.loc[("B", "C"), "distance_m"] == 0.0
    assert s.loc[("J", "K"), "kind"] == "suggestion"
    assert s.loc[("J", "K"), "shift_m"] == pytest.approx(150.0 - load_settings().adjacent_m)
    assert "shift J 100 m towards K" in s.loc[("J", "K"), "suggestion"]


def test_not_located_claim_is_skipped_with_a_note(result):
    assert "claim L: not located (no geometry); skipped" in result.notes
    assert "L" not in set(result.features["feature_id"])
    assert result.summary()["claims"] == 12


def test_existing_land_use_among_itself_is_no_finding(result):
    pairs = set(zip(result.pairs["feature_a"], result.pairs["feature_b"], strict=True))
    assert ("farmland#0", "farmland#1") not in pairs
    assert ("M", "farmland#0") in pairs or ("farmland#0", "M") in pairs


def test_invalid_geometry_is_repaired_and_reported():
    bowtie = Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])  # two 0.25 ha triangles
    rows = [("X", "housing", bowtie), ("Y", "solar_field", box(0, 0, 100, 100))]
    res = overlay_claims(claims_frame(rows), VOCAB)
    assert "claim X: invalid geometry repaired" in res.notes
    assert res.summary()["conflicts"]["ha"] == pytest.approx(0.5)


def test_claims_in_another_crs_are_reprojected_and_noted():
    rows = [("A", "housing", box(0, 0, 300, 100)), ("B", "solar_field", box(100, 0, 400, 100))]
    rd = claims_frame(rows)
    utm = rd.to_crs("EPSG:32631")
    res = overlay_claims(utm, VOCAB, crs="EPSG:28992")
    assert any("reprojected from EPSG:32631 to EPSG:28992" in n for n in res.notes)
    assert res.summary()["conflicts"]["ha"] == pytest.approx(2.0, rel=1e-6)


def test_unknown_function_names_the_claim():
    rows = [("A", "housing", box(0, 0, 1, 1)), ("Z9", "wind_turbin", Point(5, 5))]
    with pytest.raises(
        UnknownFunctionError, match=r"claim Z9: function 'wind_turbin'.*'wind_turbine'"
    ):
        overlay_claims(claims_frame(rows), VOCAB)


def test_claims_without_crs_are_refused():
    frame = claims_frame(CLAIMS[:2]).set_crs(None, allow_override=True)
    with pytest.raises(OverlayError, match="claims: no coordinate reference system"):
        overlay_claims(frame, VOCAB, crs="EPSG:28992")


def test_settings_are_checked():
    with pytest.raises(OverlayError, match="suggestion_m .* is below adjacent_m"):
        load_settings().with_values(suggestion_m=10.0)
