# SPDX-License-Identifier: Apache-2.0
"""Vector tiles: coordinates, winding order and clipping, checked by hand."""

from __future__ import annotations

import geopandas as gpd
import mapbox_vector_tile
import pytest
from shapely import box

from ruimte.web.mvt import EXTENT, TileRangeError, TileSource, tile_bounds

HALF = 20037508.342789244  # half the Web Mercator square


def shoelace(ring: list[list[int]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def test_a_square_lands_on_the_expected_pixels_with_mvt_winding():
    # tile 1/1/0 is the north-east quarter of the world: x and y from 0 to HALF
    frame = gpd.GeoDataFrame(
        {"function": ["solar_field"]}, geometry=[box(HALF / 4, HALF / 2, HALF / 2, HALF)], crs=3857
    )
    data = TileSource.from_frame(frame, "claims", properties=["function"]).tile(1, 1, 0)
    layer = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})["claims"]
    (feature,) = layer["features"]
    ring = feature["geometry"]["coordinates"][0]
    # x: a quarter to a half of the tile; y (down): from the top edge to half way
    assert {tuple(p) for p in ring} == {(1024, 0), (2048, 0), (2048, 2048), (1024, 2048)}
    assert shoelace(ring) > 0  # exterior rings have positive area in tile coordinates
    assert layer["extent"] == EXTENT and feature["properties"] == {"function": "solar_field"}


def test_features_are_clipped_to_the_tile_plus_its_buffer():
    frame = gpd.GeoDataFrame(geometry=[box(-HALF / 2, HALF / 4, HALF / 2, HALF / 2)], crs=3857)
    data = TileSource.from_frame(frame, "x").tile(1, 1, 0)
    layer = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})["x"]
    ring = layer["features"][0]["geometry"]["coordinates"][0]
    xs = [p[0] for p in ring]
    assert min(xs) == -64 and max(xs) == 2048  # cut 64 pixels (the buffer) left of the tile


def test_empty_tiles_and_addresses_outside_the_pyramid():
    frame = gpd.GeoDataFrame(geometry=[box(1, 1, 2, 2)], crs=3857)
    source = TileSource.from_frame(frame, "x")
    assert source.tile(5, 0, 0) == b""
    with pytest.raises(TileRangeError, match="does not exist"):
        tile_bounds(2, 4, 0)
