"""key_rows: the rows of a key read with sqlite3 are the frame GDAL's read gives."""

from __future__ import annotations

import contextlib
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal
from pyproj import CRS

from ruimte.workspace import Workspace
from ruimte.workspace.gpkg_rows import key_rows
from ruimte.workspace.store import sql_in

RD = CRS.from_epsg(28992)


def _gdal(ws: Workspace, table: str, column: str, values: list) -> pd.DataFrame:
    frame = pyogrio.read_dataframe(ws.store.gpkg, layer=table, where=sql_in(column, values))
    return (
        frame if not isinstance(frame, gpd.GeoDataFrame) else frame.set_crs(RD, allow_override=True)
    )


def _same(ws: Workspace, table: str, column: str, values: list) -> pd.DataFrame:
    with contextlib.closing(sqlite3.connect(ws.store.gpkg)) as con:
        ours = key_rows(con, table, column, values, RD)
    assert ours is not None
    assert_frame_equal(ours, _gdal(ws, table, column, values), check_index_type=True)
    return ours


def _claims(tmp_path) -> Workspace:
    ws = Workspace.init(tmp_path / "ws")
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.add_regions(
        gpd.GeoDataFrame(
            {"code": ["GM0106"], "name": ["Assen"], "level": ["municipality"]},
            geometry=[shapely.box(0, 0, 1000, 1000)],
            crs=RD,
        )
    )
    ws.add_claims(
        gpd.GeoDataFrame(
            {
                "claim_id": ["a", "b'quote", "c", "d"],
                "function": ["solar_field", "wind_turbine", "housing", "solar_field"],
                "quantity": [2.5, None, 120.0, 1.0],
                "horizon_year": [2030, None, 2040, None],
                "description": ["één ‘veld’", None, "", "x"],
                "region_code": [None, "GM0106", None, "GM0106"],
            },
            geometry=[
                shapely.box(0, 0, 10, 10),
                shapely.Point(5, 5),
                shapely.MultiPolygon([shapely.box(20, 20, 30, 30), shapely.box(40, 40, 50, 50)]),
                None,
            ],
            crs=RD,
        )
    )
    return ws


def test_claim_rows_equal_gdal_read(tmp_path):
    ws = _claims(tmp_path)
    for values in (["a"], ["b'quote"], ["c"], ["d"], ["a", "c", "d"], ["nope"], ["d", "b'quote"]):
        _same(ws, "claims", "claim_id", values)
    rows = _same(ws, "claims", "claim_id", ["a", "b'quote"])
    # hand-checkable values: NULLs as GDAL reads them
    assert rows["quantity"].tolist()[0] == 2.5 and np.isnan(rows["quantity"].tolist()[1])
    assert rows["description"].tolist() == ["één ‘veld’", None]
    assert rows.geometry.iloc[1].equals(shapely.Point(5, 5))


def test_multipolygon_and_attribute_tables(tmp_path):
    ws = _claims(tmp_path)
    regions = _same(ws, "regions", "code", ["GM0106"])
    assert regions.geometry.iloc[0].geom_type == "MultiPolygon"  # stored promoted, read so
    _same(ws, "scenarios", "name", ["basis"])  # no geometry column
    ws.update_claim("a", {"quantity": 3.0}, expected_version=1)
    _same(ws, "claim_history", "claim_id", ["a"])


def test_empty_geometry_written_by_gdal(tmp_path):
    path = tmp_path / "t.gpkg"
    frame = gpd.GeoDataFrame(
        {"k": ["e", "f"], "n": [1, 2]},
        geometry=[shapely.Polygon(), shapely.box(0, 0, 1, 1)],
        crs=RD,
    )
    pyogrio.write_dataframe(frame, path, layer="t", driver="GPKG")
    with contextlib.closing(sqlite3.connect(path)) as con:
        ours = key_rows(con, "t", "k", ["e", "f"], RD)
    theirs = pyogrio.read_dataframe(path, layer="t")
    assert ours is not None
    assert_frame_equal(ours, theirs.set_crs(RD, allow_override=True))
    assert ours["n"].dtype == np.int64  # no NULL: int64, as GDAL reads it


def test_other_types_are_left_to_gdal(tmp_path):
    path = tmp_path / "t.gpkg"
    frame = pd.DataFrame({"k": ["a"], "when": pd.to_datetime(["2026-01-01"])})
    pyogrio.write_dataframe(frame, path, layer="t", driver="GPKG")
    with contextlib.closing(sqlite3.connect(path)) as con:
        assert key_rows(con, "t", "k", ["a"], RD) is None  # a DATETIME column: GDAL decodes it


def test_store_falls_back_to_gdal_for_other_types(tmp_path):
    ws = _claims(tmp_path)
    with contextlib.closing(sqlite3.connect(ws.store.gpkg)) as con, con:
        con.execute('ALTER TABLE scenarios ADD COLUMN "stamp" DATETIME')
        con.execute("UPDATE scenarios SET stamp = '2026-12-07T10:00:00Z'")
    frame = ws.store.key_rows("scenarios", "name", ["basis"])
    assert_frame_equal(frame, ws.store.read("scenarios", where=sql_in("name", ["basis"])))
    assert len(frame) == 1


TEXT = st.one_of(st.none(), st.text(max_size=12))
NUMBER = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=32))
YEAR = st.one_of(st.none(), st.integers(1900, 2100))
SHAPE = st.sampled_from(
    [
        None,
        shapely.box(0, 0, 3, 4),
        shapely.Point(1, 2),
        shapely.LineString([(0, 0), (5, 5)]),
        shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
    ]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(NUMBER, YEAR, TEXT, TEXT, SHAPE), min_size=1, max_size=6),
    pick=st.data(),
)
def test_random_claims_read_as_gdal_reads_them(tmp_path_factory, rows, pick):
    ws = Workspace.init(tmp_path_factory.mktemp("ws") / "ws")
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ids = [f"c{i}" for i in range(len(rows))]
    ws.add_claims(
        gpd.GeoDataFrame(
            {
                "claim_id": ids,
                "function": "solar_field",
                "quantity": [r[0] for r in rows],
                "horizon_year": [r[1] for r in rows],
                "description": [r[2] for r in rows],
                "owner": [r[3] for r in rows],
                "region_code": None,
            },
            geometry=[r[4] if r[4] is not None else shapely.box(0, 0, 1, 1) for r in rows],
            crs=RD,
        )
    )
    chosen = pick.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    _same(ws, "claims", "claim_id", chosen)
