"""insert_rows: a non-spatial append by SQL stores what GDAL's append stores."""

from __future__ import annotations

import contextlib
import sqlite3

import numpy as np
import pandas as pd
import pyogrio

from ruimte.workspace.sqlite_rows import insert_rows

ROWS = pd.DataFrame(
    {
        "name": ["a", None, "c"],
        "count": pd.array([1, None, 3], dtype="Int64"),
        "share": [0.5, np.nan, 2.25],
        "ok": [True, False, True],
    }
)


def _table(path, name):
    pyogrio.write_dataframe(ROWS.iloc[:0], path, layer=name, driver="GPKG")


def test_same_rows_and_feature_count_as_gdal(tmp_path):
    path = tmp_path / "t.gpkg"
    _table(path, "by_gdal")
    _table(path, "by_sql")
    pyogrio.write_dataframe(ROWS, path, layer="by_gdal", append=True)
    with contextlib.closing(sqlite3.connect(path)) as con, con:
        assert insert_rows(con, "by_sql", ROWS)
    with contextlib.closing(sqlite3.connect(path)) as con:
        gdal = con.execute("SELECT name, count, share, ok FROM by_gdal ORDER BY fid").fetchall()
        sql = con.execute("SELECT name, count, share, ok FROM by_sql ORDER BY fid").fetchall()
        counts = dict(con.execute("SELECT table_name, feature_count FROM gpkg_ogr_contents"))
    assert sql == gdal == [("a", 1, 0.5, 1), (None, None, None, 0), ("c", 3, 2.25, 1)]
    assert counts["by_sql"] == counts["by_gdal"] == 3  # GDAL's triggers kept the count
    back = pyogrio.read_dataframe(path, layer="by_sql")
    assert back["name"].tolist() == ["a", None, "c"] and back["ok"].tolist() == [True, False, True]


def test_leaves_other_values_to_gdal(tmp_path):
    path = tmp_path / "t.gpkg"
    _table(path, "t")
    with contextlib.closing(sqlite3.connect(path)) as con, con:
        assert not insert_rows(con, "t", ROWS.assign(extra=1))  # no such column
        when = ROWS.assign(name=pd.to_datetime(["2026-01-01", None, "2026-02-01"]))
        assert not insert_rows(con, "t", when)  # dates: GDAL's text form
        assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_column_values_are_what_gdal_reads(tmp_path):
    """GpkgStore.column_values (sqlite3) gives the values GDAL's read of the table gives."""
    from pyproj import CRS

    from ruimte.workspace.gpkg_store import GpkgStore

    path = tmp_path / "ws"
    path.mkdir()
    store = GpkgStore(path, CRS.from_epsg(28992))
    _table(store.gpkg, "t")
    pyogrio.write_dataframe(ROWS, store.gpkg, layer="t", append=True)
    got = store.column_values("t", ["name", "share", "missing"])
    gdal = pyogrio.read_dataframe(store.gpkg, layer="t")
    assert got == [("a", 0.5, None), (None, None, None), ("c", 2.25, None)]
    assert [g[0] for g in got] == gdal["name"].tolist()
    assert store.column_values("t", []) == [(), (), ()]


def test_staging_writes_skip_sqlite_fsyncs_only_inside_a_transaction(tmp_path):
    """The staging copy is written without SQLite's fsyncs; GDAL's options are put back."""
    import geopandas as gpd
    from shapely import box

    from ruimte.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws")
    store = ws.store
    with store._connect() as con:
        assert con.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL: the live file
    frame = gpd.GeoDataFrame({"function": ["housing"]}, geometry=[box(0, 0, 10, 10)], crs=28992)
    with store.transaction():
        with store._connect() as con:
            assert con.execute("PRAGMA synchronous").fetchone() == (0,)  # OFF: the staging copy
            assert con.execute("PRAGMA journal_mode").fetchone() == ("memory",)
        store.write_layer("huizen", frame)
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") is None
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_JOURNAL") is None
    assert pyogrio.read_dataframe(store.gpkg, layer="huizen").geometry.area.tolist() == [100.0]
