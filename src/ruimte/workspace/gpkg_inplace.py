# SPDX-License-Identifier: Apache-2.0
"""Row edits of a GeoPackage in place: one SQLite transaction on ``workspace.gpkg`` itself.

An in-place transaction holds one :mod:`sqlite3` connection on the
GeoPackage, opened with ``BEGIN IMMEDIATE`` under the workspace's writer lock;
its deletes, appends and metadata writes go through that connection and land
with one ``COMMIT`` (or none: ``ROLLBACK`` on any exception, SQLite's rollback
journal when the process is killed). What it writes is what GDAL writes:

* geometries as GeoPackage binary blobs (spec §2.1.3: ``GP``, version 0,
  flags, ``srs_id``, an x/y envelope except for points, then ISO WKB from
  :func:`shapely.to_wkb`), promoted to multi-part types for a ``MULTI*``
  layer as ``pyogrio`` does;
* the R-tree index and the feature counts through the triggers GDAL created
  on the table (their ``ST_IsEmpty`` / ``ST_MinX`` ... functions are
  registered on the connection) and the layer's extent in ``gpkg_contents``;
* values converted to the column's declared type (``TEXT``, ``REAL``,
  ``INTEGER``, ``BOOLEAN``); NaN and None become NULL.

A value or column this module cannot write exactly as GDAL would (a date
column, a non-string in a ``TEXT`` column, a column the layer lacks, a 3-D
geometry) raises :class:`NotInPlace`; the store then carries the
transaction over to copy-on-write (see :mod:`ruimte.workspace.gpkg_store`).
"""

from __future__ import annotations

import math
import sqlite3
import struct
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: seconds a commit waits for readers to finish (GDAL readers hold a shared lock per read)
BUSY_TIMEOUT_S = 60.0
#: the page cache of the writing connection (KiB): small edits never spill to the file early
CACHE_KIB = 65536

_TEXT = ("TEXT", "VARCHAR", "CHAR", "CLOB")
_INTEGER = ("INTEGER", "INT", "BIGINT", "MEDIUMINT", "SMALLINT", "TINYINT")


class NotInPlace(Exception):  # noqa: N818 - a signal, not an error
    """Raised when a write needs GDAL: carry the transaction over to copy-on-write."""


def _envelope(blob: bytes | None) -> tuple[bool, tuple[float, float, float, float]]:
    """Return (empty, (minx, maxx, miny, maxy)) of a GeoPackage geometry blob."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return True, (math.nan,) * 4  # type: ignore[return-value]
    flags = blob[3]
    if flags & 0x10:
        return True, (math.nan,) * 4  # type: ignore[return-value]
    order = "<" if flags & 1 else ">"
    code = (flags >> 1) & 7
    if code:
        return False, struct.unpack(order + "4d", blob[8:40])
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get(code, 0)
    minx, miny, maxx, maxy = shapely.from_wkb(bytes(blob[8 + size :])).bounds
    return False, (minx, maxx, miny, maxy)


def register_functions(con: sqlite3.Connection) -> None:
    """Register the SQL functions GDAL's R-tree triggers call (GeoPackage spec, F.3)."""
    con.create_function("ST_IsEmpty", 1, lambda b: int(_envelope(b)[0]), deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        con.create_function(
            name, 1, lambda b, i=i: None if b is None else _envelope(b)[1][i], deterministic=True
        )


def connect(path: Path) -> sqlite3.Connection:
    """Open the writing connection: autocommit off by hand, GDAL's functions, a large cache."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    register_functions(con)
    con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return con


def geometry_blobs(geoms: gpd.GeoSeries, srs_id: int, multi: bool) -> list[bytes | None]:
    """Encode geometries as GeoPackage blobs the way GDAL writes them.

    Parameters
    ----------
    geoms : GeoSeries
        The geometries (None for none).
    srs_id : int
        The layer's ``srs_id``.
    multi : bool
        Promote single-part geometries to multi-part (a ``MULTI*`` layer).

    Returns
    -------
    list of bytes or None

    Raises
    ------
    NotInPlace
        For empty or 3-D geometries (GDAL writes them differently).
    """
    values = np.asarray(geoms.values, dtype=object)
    present = ~shapely.is_missing(values)
    if present.any():
        if shapely.is_empty(values[present]).any() or shapely.has_z(values[present]).any():
            raise NotInPlace("empty or 3-D geometry")
    if multi:
        kinds = shapely.get_type_id(values)
        for single, wrap in ((1, shapely.multilinestrings), (3, shapely.multipolygons)):
            pick = kinds == single
            if pick.any():
                values[pick] = [wrap([g]) for g in values[pick]]
        pick = kinds == 0
        if pick.any():
            values[pick] = [shapely.multipoints([g]) for g in values[pick]]
    wkb = shapely.to_wkb(values, byte_order=1, flavor="iso", output_dimension=2)
    bounds = shapely.bounds(values)
    points = shapely.get_type_id(values) == 0
    srs = struct.pack("<i", int(srs_id))
    out: list[bytes | None] = []
    for k in range(len(values)):
        if wkb[k] is None:
            out.append(None)
        elif points[k]:
            out.append(b"GP\x00\x01" + srs + wkb[k])
        else:
            minx, miny, maxx, maxy = bounds[k]
            out.append(b"GP\x00\x03" + srs + struct.pack("<4d", minx, maxx, miny, maxy) + wkb[k])
    return out


def _is_na(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _convert(values: Sequence[object], declared: str, column: str) -> list[object]:
    """Convert one column's values to what GDAL stores for the declared SQLite type."""
    kind = declared.upper().split("(")[0].strip()
    out: list[object] = []
    for v in values:
        if _is_na(v):
            out.append(None)
        elif isinstance(v, np.generic):
            v = v.item()
            out.append(_scalar(v, kind, column))
        else:
            out.append(_scalar(v, kind, column))
    return out


def _scalar(v: object, kind: str, column: str) -> object:
    if isinstance(v, float) and math.isnan(v):
        return None
    if kind in _TEXT:
        if isinstance(v, str):
            return v
    elif kind == "REAL":
        if isinstance(v, int | float) and not isinstance(v, str):
            return float(v)
    elif kind == "BOOLEAN":
        if isinstance(v, bool) or (isinstance(v, int | float) and v in (0, 1)):
            return int(bool(v))
    elif kind in _INTEGER:
        if isinstance(v, bool | int) or (isinstance(v, float) and v.is_integer()):
            return int(v)
    raise NotInPlace(f"column {column!r} ({kind}): value {v!r}")


def append_rows(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    """Insert ``frame``'s rows into layer ``name`` through ``con`` (inside its transaction).

    Raises
    ------
    NotInPlace
        If a column or value would not be stored as GDAL stores it.
    """
    info = con.execute(f'PRAGMA table_info("{name}")').fetchall()
    declared = {row[1]: row[2] for row in info}
    geom = con.execute(
        "SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns "
        "WHERE lower(table_name) = lower(?)",
        (name,),
    ).fetchone()
    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns
    attrs = [c for c in frame.columns if not (is_geo and c == frame.geometry.name)]
    missing = [c for c in attrs if c not in declared or (geom is not None and c == geom[0])]
    if missing or "fid" in attrs or (is_geo and geom is None):
        raise NotInPlace(f"columns {missing} are not plain fields of {name!r}")
    columns = [_convert(frame[c].tolist(), declared[c] or "", c) for c in attrs]
    names = list(attrs)
    if is_geo and geom is not None:
        multi = str(geom[1]).upper().startswith("MULTI")
        blobs = geometry_blobs(frame.geometry, geom[2], multi)
        columns.append(blobs)
        names.append(geom[0])
        _grow_extent(con, name, frame.geometry)
    quoted = ", ".join(f'"{c}"' for c in names)
    marks = ", ".join("?" * len(names))
    con.executemany(
        f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', list(zip(*columns, strict=True))
    )
    touch(con, name)


def _grow_extent(con: sqlite3.Connection, name: str, geoms: gpd.GeoSeries) -> None:
    values = geoms.values[~geoms.isna().to_numpy()]
    if not len(values):
        return
    minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(values, dtype=object))
    con.execute(
        "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, :a), :a), "
        "min_y = min(coalesce(min_y, :b), :b), max_x = max(coalesce(max_x, :c), :c), "
        "max_y = max(coalesce(max_y, :d), :d) WHERE lower(table_name) = lower(:t)",
        {"a": minx, "b": miny, "c": maxx, "d": maxy, "t": name},
    )


def touch(con: sqlite3.Connection, name: str) -> None:
    """Stamp the layer's ``last_change`` in ``gpkg_contents``, as GDAL does on a write."""
    con.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
        "WHERE lower(table_name) = lower(?)",
        (name,),
    )


def ensure_index(con: sqlite3.Connection, table: str, column: str) -> None:
    """Index ``table.column`` (a key an edit finds its rows by), in its own short transaction.

    Without it every edit scans the whole table. GDAL and QGIS ignore an
    extra index; building it once costs O(rows). ``con`` is an autocommit
    connection (:func:`connect`) outside any transaction.
    """
    index = f"ruimte_{table}_{column}_idx"
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (index,)).fetchone():
        return
    present = {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}
    if column not in present:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("{column}")')
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def change_counter(path: Path) -> int:
    """Return SQLite's file change counter (header offset 24), bumped by every commit."""
    with open(path, "rb") as f:
        head = f.read(28)
    return int.from_bytes(head[24:28], "big") if len(head) == 28 else 0
