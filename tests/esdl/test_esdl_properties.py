# SPDX-License-Identifier: Apache-2.0
"""Property: read(write(claims)) gives back the same assets, quantities and locations."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import Point

from ruimte.exchange.esdl_export import build_energy_system
from ruimte.exchange.esdl_import import read_esdl
from ruimte.vocab import load_vocabulary

VOCAB = load_vocabulary()
FUNCTIONS = {"wind_turbine": "MW", "solar_field": "MWp", "battery": "MW", "electrolyser": "MW"}

claim = st.tuples(
    st.sampled_from(sorted(FUNCTIONS)),
    st.floats(0.1, 500.0, allow_nan=False),
    st.floats(13_000, 278_000),  # RD New x within the Netherlands
    st.floats(306_000, 619_000),  # RD New y
)


@settings(max_examples=20, deadline=None)
@given(st.lists(claim, min_size=1, max_size=6))
def test_esdl_round_trip(rows):
    claims = gpd.GeoDataFrame(
        {
            "claim_id": [f"C{i}" for i in range(len(rows))],
            "function": [r[0] for r in rows],
            "quantity": [r[1] for r in rows],
            "unit": [FUNCTIONS[r[0]] for r in rows],
            "description": ["x"] * len(rows),
        },
        geometry=[Point(r[2], r[3]) for r in rows],
        crs="EPSG:28992",
    )
    handler, _ = build_energy_system(claims, VOCAB, name="prop")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.esdl"
        handler.save(filename=str(path))
        back = read_esdl(path, VOCAB).claims
    back = back.assign(claim_id=back["claim_id"].str.removeprefix("esdl-")).set_index("claim_id")
    orig = claims.set_index("claim_id").loc[back.index]
    assert len(back) == len(claims)
    assert back["function"].tolist() == orig["function"].tolist()
    assert back["quantity"].to_numpy() == pytest.approx(orig["quantity"].to_numpy(), rel=1e-12)
    assert back.geometry.distance(orig.geometry, align=False).max() < 1e-3
