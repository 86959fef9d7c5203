# SPDX-License-Identifier: Apache-2.0
"""Read the few rows of a GeoPackage table that match a key, with sqlite3.

A claim edit reads one row. Through GDAL that costs an open of the whole
GeoPackage (it reads every layer's metadata: 7-14 ms on the demo's 74
layers) for a row that one indexed ``SELECT`` returns in well under a
millisecond. The frame is the one :func:`pyogrio.read_dataframe` gives for the
same rows (the tests compare the two): columns in the table's order without
``fid``, the geometry last as ``geometry``, text as ``object`` (None where
NULL), ``REAL`` as ``float64`` (NaN where NULL), ``INTEGER`` as ``int64`` or,
with a NULL among the rows, ``float64``, ``BOOLEAN`` as ``bool`` or, with a
NULL, ``object``; geometries decoded from their GeoPackage blobs (spec §2.1.3:
the header, then ISO WKB for :func:`shapely.from_wkb`).

A table with a column of another declared type (dates, blobs) or a blob
that is not a plain 2-D GeoPackage geometry (extended types, a Z envelope)
is left to GDAL: :func:`key_rows` returns None and the caller reads with
GDAL. Cost: one indexed lookup per key value, and the decode of the rows read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

__all__ = ["key_rows"]

_TEXT = ("TEXT", "VARCHAR", "CHAR", "CLOB")
_REAL = ("REAL", "FLOAT", "DOUBLE")
_INTEGER = ("INTEGER", "INT", "BIGINT", "MEDIUMINT", "SMALLINT", "TINYINT")
#: envelope code (flags bits 1-3) -> bytes of envelope after the 8-byte header
_ENVELOPE = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _kind(declared: str) -> str | None:
    base = declared.upper().split("(")[0].strip()
    for kind, names in (("text", _TEXT), ("real", _REAL), ("int", _INTEGER)):
        if base in names:
            return kind
    return "bool" if base == "BOOLEAN" else None


def _wkb(blob: bytes | None) -> bytes | None | bool:
    """WKB of a GeoPackage blob (None for NULL); False when GDAL must decode it."""
    if blob is None:
        return None
    if len(blob) < 8 or blob[:2] != b"GP" or blob[2] != 0:
        return False
    flags = blob[3]
    if flags & 0x20:  # extended geometry type
        return False
    size = _ENVELOPE.get((flags >> 1) & 7)
    if size is None or size > 32:  # no or a Z/M envelope: not what ruimte writes, let GDAL read it
        return False
    return bytes(blob[8 + size :])


def _column(values: list[object], kind: str) -> pd.Series:
    present = [v is not None for v in values]
    if kind == "text":
        return pd.Series(values, dtype=object)
    if kind == "real":
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if kind == "int":
        if all(present):
            return pd.Series(values, dtype="int64")
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if all(present):  # bool
        return pd.Series([bool(v) for v in values], dtype=bool)
    return pd.Series([None if v is None else bool(v) for v in values], dtype=object)


def key_rows(
    con: sqlite3.Connection,
    table: str,
    column: str,
    values: Sequence[object],
    crs: CRS,
) -> pd.DataFrame | None:
    """Return the rows of ``table`` whose ``column`` is one of ``values``, in row order.

    Parameters
    ----------
    con : sqlite3.Connection
        Open on the GeoPackage (or the block's own in-place connection, which
        sees the block's writes).
    table : str
        A registered table or layer.
    column : str
        The key column (indexed for claims; any column works).
    values : sequence
        Key values.
    crs : pyproj.CRS
        The layer's CRS (the workspace's).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame or None
        None when a column's type or a geometry blob needs GDAL to decode it.
    """
    info = con.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    geom = con.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
        (table,),
    ).fetchone()
    geom_name = geom[0] if geom else None
    fields: list[tuple[str, str]] = []
    for _, name, declared, _, _, pk in info:
        if pk or name == geom_name:
            continue
        kind = _kind(declared or "")
        if kind is None:
            return None
        fields.append((name, kind))
    if column not in {name for name, _ in fields}:
        return None
    selected = [_quote(name) for name, _ in fields] + ([_quote(geom_name)] if geom_name else [])
    marks = ",".join("?" * len(values))
    rows = con.execute(
        f"SELECT {', '.join(selected) or 'NULL'} FROM {_quote(table)} "
        f"WHERE {_quote(column)} IN ({marks}) ORDER BY rowid",
        list(values),
    ).fetchall()
    cells = list(zip(*rows, strict=True)) if rows else [() for _ in selected]
    frame = pd.DataFrame(
        {name: _column(list(cells[i]), kind) for i, (name, kind) in enumerate(fields)},
        index=pd.RangeIndex(len(rows)),
    )
    if geom_name is None:
        return frame
    wkb = [_wkb(blob) for blob in cells[-1]]
    if any(w is False for w in wkb):
        return None
    geometry = shapely.from_wkb(np.array(wkb, dtype=object))
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=crs), crs=crs)
