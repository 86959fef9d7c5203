# SPDX-License-Identifier: Apache-2.0
"""Claims to substations: network distance, service areas, warnings."""

from __future__ import annotations

import geopandas as gpd
import pytest
from grid_helpers import CRS, lines, substations, two_station_model
from shapely import Point, box

from ruimte.analysis.grid.assignment import assign_claims, service_areas
from ruimte.analysis.grid.network_import import model_from_frames


def _claims(points: dict[str, tuple[float, float] | None]) -> gpd.GeoDataFrame:
    geoms = [Point(p) if p else None for p in points.values()]
    return gpd.GeoDataFrame({"claim_id": list(points)}, geometry=geoms, crs=CRS)


def test_network_distance_follows_the_line():
    model = two_station_model(vertex_at_m=7000)
    # 1 km north of the line's vertex at x = 7 km: 1 km + 3 km to B, 1 km + 7 km to A
    out = assign_claims(_claims({"C": (7000, 1000)}), model).claims
    assert out["substation_id"].tolist() == ["B"]
    assert out["distance_km"].tolist() == pytest.approx([4.0])
    assert out["method"].tolist() == ["network"]


def test_network_distance_differs_from_straight_distance():
    # A at origin; B at (0, 4 km) but only reachable along a 20 km detour
    subs = substations(
        [dict(x=0, y=0, substation_id="A", name="A", voltage_kv="20/10", capacity_mva=10.0),
         dict(x=0, y=4000, substation_id="B", name="B", voltage_kv="20/10", capacity_mva=10.0)]
    )  # fmt: skip
    ln = lines([dict(coords=[(0, 0), (10_000, 0), (10_000, 4000), (0, 4000)], voltage_kv=20)])
    model = model_from_frames(subs, ln, crs=CRS)
    # straight, both claims are about 10.2 km from either station; they snap to the nearest
    # line vertex, (10 km, 4 km) or (10 km, 0), and go 10 km along the line from there
    out = assign_claims(_claims({"C": (10_000, 2100)}), model).claims
    assert out["substation_id"].tolist() == ["B"]
    assert out["distance_km"].tolist() == pytest.approx([11.9])
    out = assign_claims(_claims({"C": (10_000, 1900)}), model).claims
    assert out["substation_id"].tolist() == ["A"]
    assert out["distance_km"].tolist() == pytest.approx([11.9])


def test_service_areas_without_lines():
    model = two_station_model(with_line=False)
    out = assign_claims(_claims({"near A": (4000, 3000), "near B": (6000, -3000)}), model).claims
    assert out["substation_id"].tolist() == ["A", "B"]
    assert out["method"].tolist() == ["service_area", "service_area"]
    assert out["distance_km"].tolist() == pytest.approx([5.0, 5.0])
    areas = service_areas(model, box(-10_000, -10_000, 20_000, 10_000))
    # the Voronoi cells split the box at x = 5 km
    assert areas.set_index("substation_id").area.to_dict() == pytest.approx(
        {"A": 15_000 * 20_000, "B": 15_000 * 20_000}
    )


def test_far_claim_and_unlocated_claim():
    model = two_station_model()
    result = assign_claims(
        _claims({"far": (0, 30_000), "nowhere": None}), model, max_distance_km=10
    )
    assert result.claims.set_index("claim_id")["substation_id"].to_dict() == {
        "far": "A",
        "nowhere": None,
    }
    assert any(w.startswith("claim far is 30.0 km") and "Alpha" in w for w in result.warnings)


def test_parent_is_the_station_whose_low_voltage_feeds_it():
    result = assign_claims(_claims({}), two_station_model())
    assert result.parents.to_dict() == {"A": None, "B": "A"}


def test_unconnected_grid_warning_names_the_parts():
    subs = substations(
        [dict(x=0, y=0, name="West", voltage_kv="20/10", capacity_mva=10.0),
         dict(x=50_000, y=0, name="Oost", voltage_kv="20/10", capacity_mva=10.0)]
    )  # fmt: skip
    ln = lines(
        [dict(coords=[(0, 0), (2000, 0)], name="w", voltage_kv=20),
         dict(coords=[(50_000, 0), (48_000, 0)], name="o", voltage_kv=20)]
    )  # fmt: skip
    model = model_from_frames(subs, ln, crs=CRS)
    result = assign_claims(_claims({"C": (1000, 100)}), model)
    assert result.claims["substation_id"].tolist() == ["S001"]
    assert any("not connected: 2 parts" in w and "[West]" in w and "[Oost]" in w
               for w in result.warnings)  # fmt: skip
