"""The Arrow read and write paths give what pyogrio's plain path gives."""

from __future__ import annotations

import json
import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from pandas.testing import assert_frame_equal
from shapely.geometry import Point, box

from ruimte.workspace import arrow_io
from ruimte.workspace.arrow_io import read_frame, write_frame

pytestmark = pytest.mark.skipif(
    not arrow_io.arrow_writes(), reason="pyarrow or GDAL >= 3.8 missing: only the plain path runs"
)


def _plain(path: Path, **kwargs: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyogrio.read_dataframe(path, **kwargs)


def _same(path: Path, **kwargs: object) -> None:
    expected = _plain(path, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = read_frame(path, **kwargs)  # type: ignore[arg-type]
    assert type(got) is type(expected)
    assert_frame_equal(got, expected)
    if isinstance(expected, gpd.GeoDataFrame):
        assert got.crs == expected.crs


@pytest.fixture
def plain_layer(tmp_path: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {
            "name": ["a", None, "é"],
            "count": np.array([1, 2, 3], dtype="int32"),
            "big": np.array([1, 2, 2**40], dtype="int64"),
            "share": [0.5, np.nan, 1.0],
            "flag": [True, False, True],
            "function": [None, "housing", "housing"],
        },
        geometry=[Point(0, 0), box(1, 1, 2, 2), Point(5, 5)],
        crs="EPSG:28992",
    )
    path = tmp_path / "plain.gpkg"
    pyogrio.write_dataframe(frame, path, layer="plain", driver="GPKG")
    return path


def test_a_plain_layer_reads_the_same(plain_layer: Path) -> None:
    _same(plain_layer, layer="plain")
    _same(plain_layer, layer="plain", columns=["function", "missing"])
    _same(plain_layer, layer="plain", columns=[])
    _same(plain_layer, layer="plain", bbox=(0.5, 0.5, 3, 3))
    _same(plain_layer, layer="plain", where="count > 1")


def test_a_plain_layer_takes_the_arrow_path(plain_layer: Path) -> None:
    assert arrow_io._read_arrow(plain_layer, {"layer": "plain"}) is not None


@pytest.fixture
def odd_geojson(tmp_path: Path) -> Path:
    rows = [
        {"b": True, "d": "2024-01-02", "t": "2024-01-02T03:04:05+01:00", "l": [1, 2]},
        {"b": None, "d": None, "t": None, "l": None},
        {"b": False, "d": "2024-03-04", "t": "2024-07-02T03:04:05Z", "l": [3]},
    ]
    features = [
        {"type": "Feature", "properties": p, "geometry": {"type": "Point", "coordinates": [5, 52]}}
        for p in rows
    ]
    path = tmp_path / "odd.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_dates_lists_and_null_booleans_read_as_the_plain_path_gives_them(
    odd_geojson: Path,
) -> None:
    _same(odd_geojson)
    _same(odd_geojson, columns=["b"])  # booleans with nulls: 1.0, NaN, 0.0


def test_a_bad_file_raises_what_the_plain_path_raises(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"not a geopackage")
    with pytest.raises(Exception) as plain:
        _plain(bad)
    with pytest.raises(type(plain.value)) as ours:
        read_frame(bad)
    assert str(ours.value) == str(plain.value)


def test_a_spatial_filter_on_a_table_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "t.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"k": ["a"]}), path, layer="t", driver="GPKG")
    with pytest.raises(Exception) as plain:
        _plain(path, layer="t", bbox=(0, 0, 1, 1))
    with pytest.raises(type(plain.value)):
        read_frame(path, layer="t", bbox=(0, 0, 1, 1))


def _schema(path: Path, layer: str) -> list[object]:
    with sqlite3.connect(path) as con:
        return [
            con.execute(f'PRAGMA table_info("{layer}")').fetchall(),
            con.execute(
                "SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns "
                "WHERE table_name = ?",
                (layer,),
            ).fetchall(),
        ]


@pytest.mark.parametrize("extra", [None, "lists"])
def test_writes_store_what_the_plain_path_stores(
    plain_layer: Path, tmp_path: Path, extra: str | None
) -> None:
    frame = _plain(plain_layer, layer="plain")
    if extra == "lists":  # not Arrow-safe: goes the plain way
        frame["tags"] = [["a"], None, ["b", "c"]]
        assert not arrow_io._arrow_safe(frame)
    else:
        assert arrow_io._arrow_safe(frame)
    ours, plain = tmp_path / "ours.gpkg", tmp_path / "plain_out.gpkg"
    write_frame(frame, ours, layer="x", driver="GPKG", exists=lambda: False, drop=lambda: None)
    pyogrio.write_dataframe(frame, plain, layer="x", driver="GPKG")
    assert_frame_equal(_plain(ours, layer="x"), _plain(plain, layer="x"))
    assert _schema(ours, "x") == _schema(plain, "x")


def test_the_switch_turns_the_arrow_path_off(
    plain_layer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(arrow_io.ENV_SWITCH, "0")
    assert not arrow_io.arrow_reads() and not arrow_io.arrow_writes()
    _same(plain_layer, layer="plain")


def test_a_cancelled_read_stops_between_batches(plain_layer: Path) -> None:
    with pytest.raises(arrow_io.ReadCancelled):
        read_frame(plain_layer, layer="plain", cancelled=lambda: True)
    _same(plain_layer, layer="plain")  # and one never cancelled reads it all
    got = read_frame(plain_layer, layer="plain", cancelled=lambda: False)
    assert_frame_equal(got, _plain(plain_layer, layer="plain"))


def test_a_background_read_gives_what_read_vector_gives(plain_layer: Path) -> None:
    from ruimte.workspace.readers import BackgroundRead, read_vector

    reading = BackgroundRead.start(plain_layer, layer="plain", fmt="gpkg")
    assert_frame_equal(reading.result(), read_vector(plain_layer, layer="plain", fmt="gpkg"))
    reading.cancel()  # after the end: nothing to stop


def test_a_background_read_raises_what_read_vector_raises(tmp_path: Path) -> None:
    from ruimte.errors import DatasetImportError
    from ruimte.workspace.readers import BackgroundRead, read_vector

    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(DatasetImportError) as direct:
        read_vector(empty, fmt="geojson")
    with pytest.raises(type(direct.value)) as background:
        BackgroundRead.start(empty, fmt="geojson").result()
    assert str(background.value) == str(direct.value)
