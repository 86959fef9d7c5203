# SPDX-License-Identifier: Apache-2.0
"""Read a CSV file with WKT or x/y columns into a GeoDataFrame.

:func:`read_csv` detects the encoding (UTF-8, else Windows-1252), the
delimiter (``,`` ``;`` tab ``|``), the geometry columns (WKT, or a pair of
coordinate columns) and numeric attribute columns, keeping codes with leading
zeros (``"0363"``) as text and accepting decimal commas in ``;``-separated files.
"""

from __future__ import annotations

import csv
import logging
import re
from io import StringIO
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.errors import (
    CorruptFileError,
    DatasetImportError,
    EmptyLayerError,
    UnknownLayerError,
    did_you_mean,
)
from ruimte.workspace.crs import crs_label, resolve_crs

logger = logging.getLogger(__name__)

__all__ = ["WKT_FIELDS", "XY_FIELDS", "read_csv"]

#: Column names taken as WKT geometry in a CSV, in order of preference.
WKT_FIELDS: tuple[str, ...] = ("wkt", "geometry", "geom", "WKT")
#: Column name pairs taken as point coordinates in a CSV, in order of preference.
#: The third element says whether the pair means longitude/latitude (EPSG:4326).
XY_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("x", "y", False),
    ("X", "Y", False),
    ("lon", "lat", True),
    ("lng", "lat", True),
    ("longitude", "latitude", True),
)

_CSV_DELIMITERS = ",;\t|"
_LEADING_ZERO = re.compile(r"^[+-]?0\d")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def read_csv(
    path: Path,
    *,
    source_crs: Any,
    wkt_field: str | None,
    x_field: str | None,
    y_field: str | None,
    layer: str | None,
) -> gpd.GeoDataFrame:
    """Read a CSV file of WKT geometries or point coordinates.

    Parameters
    ----------
    path : Path
        An existing CSV file.
    source_crs : str or CRS, optional
        The CRS of the coordinates; EPSG:4326 when omitted and the coordinate
        columns are lon/lat.
    wkt_field : str, optional
        The column holding WKT; detected from :data:`WKT_FIELDS` when neither
        it nor ``x_field``/``y_field`` is given.
    x_field, y_field : str, optional
        The coordinate columns; detected from :data:`XY_FIELDS` likewise.
    layer : str, optional
        Must be None or the file's stem: a CSV file has one layer.

    Returns
    -------
    GeoDataFrame
        Every column but the WKT one as attributes (a source column named
        ``geometry`` becomes ``geometry_src``), numbers converted, with a fresh
        ``RangeIndex``. Empty geometry cells give missing geometries.

    Raises
    ------
    UnknownLayerError
        If ``layer`` is not the file's stem.
    EmptyLayerError
        If the file has no rows.
    DatasetImportError
        If no geometry columns are found, a named column does not exist, or the
        options conflict.
    MissingCRSError
        If no CRS is given for x/y columns that are not lon/lat.
    CorruptFileError
        If the file cannot be parsed, or a row holds bad WKT or coordinates.
    """
    if layer is not None and layer != path.stem:
        raise UnknownLayerError(
            f"{path.name} has no layer named {layer!r}. A CSV file has one layer, "
            f"{path.stem!r}; drop --layer."
        )
    frame, sep = _read_csv_text(path)
    if len(frame) == 0:
        raise EmptyLayerError(
            f"{path.name}: the CSV file has a header but no rows. Check the export."
        )
    wkt_field, x_field, y_field, lonlat = _geometry_fields(
        path, list(frame.columns), wkt_field, x_field, y_field
    )
    if wkt_field is not None:
        geoms = _wkt_geometries(path, frame, wkt_field)
        attrs = frame.drop(columns=[wkt_field])
    else:
        assert x_field is not None and y_field is not None
        geoms = _xy_geometries(path, frame, x_field, y_field, sep)
        attrs = frame

    attrs = attrs.apply(lambda col: _convert_numeric(col, sep))
    if "geometry" in attrs.columns:
        attrs = attrs.rename(columns={"geometry": "geometry_src"})
    crs = resolve_crs(
        None, source_crs if source_crs is not None else ("EPSG:4326" if lonlat else None), path.name
    )
    gdf = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms, index=attrs.index), crs=crs)
    gdf.index = pd.RangeIndex(len(gdf))
    logger.info("read %d rows from %s (csv, %s)", len(gdf), path.name, crs_label(crs))
    return gdf


def _read_csv_text(path: Path) -> tuple[pd.DataFrame, str]:
    """Decode the file and parse it as text columns; return the frame and the delimiter."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise CorruptFileError(f"{path.name}: the CSV file is not UTF-8 text. Save it as UTF-8.")
    header = text.lstrip("\r\n").splitlines()[0]
    try:
        sep = csv.Sniffer().sniff(header, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(
            StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""]
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise CorruptFileError(
            f"{path.name}: the CSV file cannot be parsed ({exc}). Check that every "
            f"row has as many fields as the header and quotes are balanced."
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, sep


def _geometry_fields(
    path: Path,
    columns: list[str],
    wkt_field: str | None,
    x_field: str | None,
    y_field: str | None,
) -> tuple[str | None, str | None, str | None, bool]:
    """Check or detect the geometry columns: ``(wkt_field, x_field, y_field, lonlat)``."""
    lonlat = False
    if wkt_field is None and x_field is None and y_field is None:
        wkt_field = _pick(columns, WKT_FIELDS)
        if wkt_field is None:
            for xname, yname, is_lonlat in XY_FIELDS:
                xcol, ycol = _pick(columns, (xname,)), _pick(columns, (yname,))
                if xcol and ycol:
                    x_field, y_field, lonlat = xcol, ycol, is_lonlat
                    break
        if wkt_field is None and x_field is None:
            raise DatasetImportError(
                f"{path.name}: no geometry column found (columns: {', '.join(columns)}). "
                f"Name a WKT column 'wkt' or coordinate columns 'x' and 'y' "
                f"(or 'lon' and 'lat'), or pass --wkt-field, or --x-field and --y-field."
            )
    elif wkt_field is not None:
        if x_field is not None or y_field is not None:
            raise DatasetImportError(
                f"{path.name}: pass either --wkt-field or --x-field/--y-field, not both."
            )
        _require_column(path, wkt_field, columns, "--wkt-field")
    else:
        if x_field is None or y_field is None:
            raise DatasetImportError(
                f"{path.name}: pass both --x-field and --y-field (got only one)."
            )
        _require_column(path, x_field, columns, "--x-field")
        _require_column(path, y_field, columns, "--y-field")
        lonlat = any(
            x_field.lower() == xn.lower() and y_field.lower() == yn.lower()
            for xn, yn, is_ll in XY_FIELDS
            if is_ll
        )
    return wkt_field, x_field, y_field, lonlat


def _wkt_geometries(path: Path, frame: pd.DataFrame, wkt_field: str) -> np.ndarray:
    """Parse the WKT column; blank cells give missing geometries."""
    texts = frame[wkt_field]
    present = texts.notna().to_numpy() & (texts.fillna("").str.strip() != "").to_numpy()
    values = np.array(
        [t if p else None for t, p in zip(texts.tolist(), present, strict=True)], dtype=object
    )
    geoms = shapely.from_wkt(values, on_invalid="ignore")
    bad = np.flatnonzero(present & shapely.is_missing(geoms))
    if bad.size:
        row = int(bad[0])
        snippet = str(values[row])[:60]
        raise CorruptFileError(
            f"{path.name}: row {row + 1} (line {row + 2} of the file) holds "
            f"WKT that cannot be parsed in column {wkt_field!r}: {snippet!r}"
            f"{f' ({bad.size} bad rows in all)' if bad.size > 1 else ''}. "
            f"Fix the WKT or remove the row."
        )
    return geoms


def _xy_geometries(
    path: Path, frame: pd.DataFrame, x_field: str, y_field: str, sep: str
) -> np.ndarray:
    """Build points from the coordinate columns; rows without both give missing geometries."""
    coords = {}
    for field in (x_field, y_field):
        text = frame[field].str.strip()
        if sep != ",":
            text = text.where(
                ~text.fillna("").str.match(_DECIMAL_COMMA), text.str.replace(",", ".")
            )
        numbers = pd.to_numeric(text, errors="coerce")
        bad = np.flatnonzero(text.notna().to_numpy() & numbers.isna().to_numpy())
        if bad.size:
            row = int(bad[0])
            raise CorruptFileError(
                f"{path.name}: row {row + 1} (line {row + 2} of the file) holds "
                f"{frame[field].iloc[row]!r} in column {field!r}, which is not a "
                f"number. Fix the value or remove the row."
            )
        coords[field] = numbers.to_numpy(dtype="float64")
    xs, ys = coords[x_field], coords[y_field]
    ok = np.isfinite(xs) & np.isfinite(ys)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(xs[ok], ys[ok])
    return geoms


def _convert_numeric(column: pd.Series, sep: str) -> pd.Series:
    """Turn an all-numeric text column into numbers, keeping codes like '0363'."""
    values = column.dropna().astype(str).str.strip()
    if values.empty or values.str.match(_LEADING_ZERO).any():
        return column
    try:
        numbers = pd.to_numeric(values)
    except (ValueError, TypeError):
        if sep == "," or not values.str.match(_DECIMAL_COMMA).all():
            return column
        numbers = pd.to_numeric(values.str.replace(",", ".", regex=False))
    out = pd.Series(np.nan, index=column.index, dtype="float64")
    out.loc[numbers.index] = numbers.astype("float64")
    if column.notna().all() and pd.api.types.is_integer_dtype(numbers):
        return out.astype("int64")
    return out


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    """Return the first candidate that is a column, matching exactly, then ignoring case."""
    for name in candidates:
        if name in columns:
            return name
    lowered = {c.lower(): c for c in columns}
    for name in candidates:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _require_column(path: Path, name: str, columns: list[str], option: str) -> None:
    """Raise :class:`DatasetImportError` if ``name`` (given as ``option``) is not a column."""
    if name not in columns:
        raise DatasetImportError(
            f"{path.name}: there is no column {name!r} ({option}). {did_you_mean(name, columns)}"
        )
