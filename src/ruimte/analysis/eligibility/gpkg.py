# SPDX-License-Identifier: Apache-2.0
"""Read a GeoPackage layer's geometries into a shapely array with sqlite3 alone.

``import pyogrio`` imports pandas, geopandas and pyproj (its ``_compat``
module probes them, and ``pyogrio.raw`` cannot be imported without it): about
0.4 s before the first byte is read, more than the eligibility kernel needs
for a 20 km case. A GeoPackage is an SQLite database whose geometry blobs are
a small header followed by standard (ISO) WKB (OGC 12-128r18, §2.1.3), so the
header is cut off in SQL and GEOS parses the rest: no GDAL, no pandas.
Cost grows with the number of features and vertices (one pass in SQLite, one
in GEOS; no Python loop per feature).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple

import numpy as np
import shapely

from ruimte.errors import (
    DatasetImportError,
    InputFileNotFoundError,
    UnknownLayerError,
    did_you_mean,
)

__all__ = ["LayerGeometries", "read_gpkg_geometries"]

_ENVELOPE_BYTES = (0, 32, 48, 48, 64)  # by the envelope code, bits 1-3 of the flags byte


def _wkb_sql(column: str) -> str:
    """Return SQL that cuts the GeoPackage header (8 bytes and envelope) off ``column``.

    The envelope size is read from the flags byte (the 4th) by comparing it
    with the flag values of each size, which SQLite does faster than any
    arithmetic on a blob byte.
    """
    cases = []
    for code, size in enumerate(_ENVELOPE_BYTES):
        flags = [f for f in range(64) if (f >> 1) & 7 == code]
        values = ", ".join(f"x'{f:02x}'" for f in flags)
        cases.append(f"WHEN substr({column}, 4, 1) IN ({values}) THEN {9 + size}")
    return f"substr({column}, CASE {' '.join(cases)} END)"


class LayerGeometries(NamedTuple):
    """The non-null geometries of one layer and what they are in."""

    geometries: np.ndarray
    srs_id: int
    nulls: int


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_gpkg_geometries(path: str | Path, layer: str) -> LayerGeometries:
    """Geometries of a GeoPackage layer, as GDAL would read them, without GDAL.

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoPackage (opened read-only).
    layer : str
        A feature table listed in ``gpkg_geometry_columns``.

    Returns
    -------
    LayerGeometries
        ``geometries`` (object array of shapely geometries, rows with a NULL
        geometry left out and counted in ``nulls``) and the layer's ``srs_id``.

    Raises
    ------
    InputFileNotFoundError
        No file at ``path``.
    UnknownLayerError
        ``layer`` is not a feature table of the GeoPackage.
    DatasetImportError
        The file is not a GeoPackage, or a geometry is not valid WKB.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"{path}: no such file")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatasetImportError(f"{path}: cannot be opened as a GeoPackage ({exc})") from exc
    try:
        try:
            tables = dict(
                con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
            )
            srs = dict(con.execute("SELECT table_name, srs_id FROM gpkg_contents").fetchall())
        except sqlite3.DatabaseError as exc:
            raise DatasetImportError(
                f"{path}: not a GeoPackage (no gpkg_geometry_columns table: {exc})"
            ) from exc
        if layer not in tables:
            raise UnknownLayerError(
                f"{path} has no feature layer {layer!r}. {did_you_mean(layer, tables)}".strip()
            )
        column = _quote(tables[layer])
        table = _quote(layer)
        rows = con.execute(f"SELECT {_wkb_sql(column)} FROM {table}").fetchall()
    finally:
        con.close()
    blobs = np.empty(len(rows), dtype=object)
    if rows:
        blobs[:] = np.array(rows, dtype=object)[:, 0]
    try:
        geometries = shapely.from_wkb(blobs)
    except (shapely.errors.GEOSException, TypeError, ValueError) as exc:
        raise DatasetImportError(
            f"{path}, layer {layer!r}: a geometry is not valid GeoPackage WKB ({exc}); "
            "rewrite the layer with GDAL (ogr2ogr) or `ruimte import` it"
        ) from exc
    missing = shapely.is_missing(geometries)
    nulls = int(missing.sum())
    if nulls:
        geometries = geometries[~missing]
    return LayerGeometries(geometries, int(srs.get(layer) or 0), nulls)
