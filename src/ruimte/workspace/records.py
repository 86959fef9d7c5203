# SPDX-License-Identifier: Apache-2.0
"""Bring frames into the shape of a workspace table: columns, types, CRS.

Pure functions: they check and convert, and raise an error that names the
table, the column and the offending row; they never touch storage.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from ruimte.errors import WorkspaceError
from ruimte.workspace.schema import Table


class RecordError(WorkspaceError, ValueError):
    """A row does not fit its table: names the table, row and column."""


def now_iso() -> str:
    """Return the current UTC time as an ISO 8601 string, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _convert(value: Any, kind: str) -> Any:
    if _is_missing(value):
        return None
    if kind == "str":
        return str(value)
    if kind == "int":
        as_float = float(value)
        if not as_float.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(as_float)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "json":
        return value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    raise ValueError(f"unknown column type {kind!r}")  # pragma: no cover


def _column_array(values: list[Any], kind: str) -> Any:
    """Return the stored column of converted ``values``: float64 (NaN), Int64 (NA) or object."""
    if kind == "float":
        return np.array([np.nan if v is None else v for v in values], dtype="float64")
    if kind == "int":
        return pd.array(values, dtype="Int64")
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


def typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame read from the store the table's logical types, in place.

    Whole numbers become ``Int64`` (a store keeps them as REAL once a NULL was
    written), JSON text is parsed. Returns ``frame``.
    """
    for col, kind in table.columns:
        if kind == "int" and col in frame:
            frame[col] = frame[col].astype("Int64")
        elif kind == "json" and col in frame:
            frame[col] = frame[col].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    return frame


def conform(
    table: Table,
    frame: pd.DataFrame,
    *,
    crs: CRS | None = None,
    required: Iterable[str] = (),
) -> pd.DataFrame:
    """Return ``frame`` with exactly the table's columns, converted to its types.

    Missing optional columns are filled with nulls; extra columns are
    refused, so that a misspelt column is not silently lost. Geometries of
    spatial tables are reprojected to ``crs``.

    Parameters
    ----------
    table : Table
        The target table.
    frame : DataFrame or GeoDataFrame
        Rows to store.
    crs : pyproj.CRS, optional
        The workspace CRS; required for spatial tables.
    required : iterable of str
        Columns that must be present and non-null in every row.

    Returns
    -------
    DataFrame or GeoDataFrame
        A new frame with a fresh RangeIndex.

    Raises
    ------
    RecordError
        On an unknown column, a missing required value, a value that does
        not convert, or a spatial frame without CRS.
    """
    names = table.column_names
    geometry_name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    extra = [c for c in frame.columns if c not in names and c != geometry_name]
    if extra:
        raise RecordError(
            f"table {table.name!r}: unknown column(s) {', '.join(map(repr, extra))}. "
            f"The table has: {', '.join(names)}."
        )
    for col in required:
        if col not in frame.columns:
            raise RecordError(f"table {table.name!r}: column {col!r} is required.")
        missing = frame[col].map(_is_missing).to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise RecordError(f"table {table.name!r}, row {row}: {col!r} is empty; give a value.")
    out: dict[str, list[Any]] = {}
    for col, kind in table.columns:
        if col not in frame.columns:
            out[col] = [None] * len(frame)
            continue
        values = []
        for row, value in enumerate(frame[col].tolist()):
            try:
                values.append(_convert(value, kind))
            except (TypeError, ValueError) as exc:
                raise RecordError(
                    f"table {table.name!r}, row {row}, column {col!r}: {exc}; "
                    f"expected a {kind} value."
                ) from None
        out[col] = values
    # arrays first, one frame from them: a Series per column costs ~50 us, which is
    # most of a one-row edit's conform
    result = pd.DataFrame(
        {col: _column_array(out[col], kind) for col, kind in table.columns}, copy=False
    )
    if not table.is_spatial:
        return result
    if geometry_name is None:
        geometry = gpd.GeoSeries([None] * len(frame), crs=crs)
    else:
        assert isinstance(frame, gpd.GeoDataFrame)
        geometry = frame.geometry.reset_index(drop=True)
        if geometry.crs is None and geometry.notna().any():
            raise RecordError(
                f"table {table.name!r}: the geometries have no CRS. "
                f"Set one (GeoDataFrame.set_crs) before storing."
            )
        if geometry.crs is None:
            geometry = geometry.set_crs(crs)
        elif crs is not None and geometry.crs is not crs and not geometry.crs.equals(crs):
            geometry = geometry.to_crs(crs)
    return gpd.GeoDataFrame(result, geometry=geometry.rename("geometry"), crs=crs)


def check_unique(table: Table, frame: pd.DataFrame, existing: Iterable[object]) -> None:
    """Refuse duplicate keys within ``frame`` or against ``existing`` keys.

    Raises
    ------
    RecordError
        Naming the first duplicated key.
    """
    if table.key is None:
        return
    keys = frame[table.key]
    duplicated = keys[keys.duplicated()]
    if len(duplicated):
        raise RecordError(
            f"table {table.name!r}: {table.key} {duplicated.iloc[0]!r} appears twice in the input."
        )
    clash = set(keys) & set(existing)
    if clash:
        first = sorted(map(str, clash))[0]
        raise RecordError(
            f"table {table.name!r}: {table.key} {first!r} exists already in the workspace. "
            f"Use another {table.key}."
        )
