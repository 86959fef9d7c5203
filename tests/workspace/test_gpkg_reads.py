# SPDX-License-Identifier: Apache-2.0
"""Reads inside a GeoPackage copy-on-write block share one connection to the staging copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from ruimte.workspace import Workspace


def _parcels() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"function": ["housing", "housing"]},
        geometry=[box(150_000, 450_000, 150_100, 450_100), box(150_200, 450_000, 150_300, 450_100)],
        crs="EPSG:28992",
    )


def test_reads_in_a_block_share_one_connection_and_see_the_blocks_gdal_writes(
    tmp_path: Path,
) -> None:
    ws = Workspace.init(tmp_path / "ws")
    store = ws.store
    before = store.layer_names()
    with store.transaction():
        txn = store._txn
        assert store.layer_names() == before
        reader = txn.reader
        assert isinstance(reader, sqlite3.Connection)
        store.write_layer("parcels", _parcels())  # GDAL's own connection writes the copy
        assert store.layer_names() == sorted([*before, "parcels"])  # seen by the shared one
        assert txn.reader is reader
        assert store.column_values("parcels", ["function"]) == [("housing",), ("housing",)]
    assert txn.reader is None
    with pytest.raises(sqlite3.ProgrammingError):  # closed before the commit
        reader.execute("SELECT 1")
    assert "parcels" in store.layer_names()  # committed, read with a connection of its own


def test_a_failed_block_closes_the_shared_connection_and_keeps_nothing(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    store = ws.store
    before = store.layer_names()
    with pytest.raises(RuntimeError), store.transaction():
        txn = store._txn
        store.write_layer("parcels", _parcels())
        assert "parcels" in store.layer_names()
        raise RuntimeError("stop")
    assert txn.reader is None
    assert store.layer_names() == before
