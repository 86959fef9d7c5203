# SPDX-License-Identifier: Apache-2.0
"""The grid model: substations and lines as two GeoDataFrames with fixed columns.

``substations``: ``substation_id, name, voltage_hv_kv, voltage_lv_kv,
capacity_mva, peak_load_mw, peak_feedin_mw, geometry`` (points).
``lines``: ``line_id, name, voltage_kv, capacity_mva, circuits, length_km,
geometry`` (lines). Readers for the workspace datasets, GeoPackage/GeoJSON
files and the OSM (SciGRID) layout live in :mod:`.network_import`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.errors import RuimteError

SUBSTATION_COLUMNS = (
    "substation_id",
    "name",
    "voltage_hv_kv",
    "voltage_lv_kv",
    "capacity_mva",
    "peak_load_mw",
    "peak_feedin_mw",
)
LINE_COLUMNS = ("line_id", "name", "voltage_kv", "capacity_mva", "circuits", "length_km")


class GridModelError(RuimteError, ValueError):
    """The grid model is unusable: names the layer, item or field and the fix."""


def parse_voltages_kv(value: object) -> list[float]:
    """Parse a voltage field into a sorted list of distinct levels in kV (highest first).

    Accepts kV or V numbers and the strings found in the wild: ``"150/20"``,
    ``"150000;150000"`` (OpenStreetMap, one value per circuit), ``"110 kV"``.
    Values above 1000 are read as volts.

    Parameters
    ----------
    value : object
        A number, a string or None.

    Returns
    -------
    list of float
        Empty when the value holds no number.

    Examples
    --------
    >>> parse_voltages_kv("150000;150000")
    [150.0]
    >>> parse_voltages_kv("150/20")
    [150.0, 20.0]
    >>> parse_voltages_kv("220000;380000;220000")
    [380.0, 220.0]
    >>> parse_voltages_kv(None)
    []
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", str(value))]
    levels = {n / 1000.0 if n > 1000 else n for n in numbers if n > 0}
    return sorted(levels, reverse=True)


@dataclass(frozen=True)
class GridModel:
    """Substations and lines of one grid, in one projected CRS (metres).

    Attributes
    ----------
    substations : GeoDataFrame
        One point per substation with :data:`SUBSTATION_COLUMNS`.
    lines : GeoDataFrame
        One line string per line or cable with :data:`LINE_COLUMNS`; may be empty.
    notes : tuple of str
        What the reader left out of the source and why (shown as warnings).
    """

    substations: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for frame, cols, what in (
            (self.substations, SUBSTATION_COLUMNS, "substations"),
            (self.lines, LINE_COLUMNS, "lines"),
        ):
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                raise GridModelError(f"grid model {what}: missing columns {missing}.")
        if self.substations.empty:
            raise GridModelError("grid model: no substations. Import a substations layer first.")
        if self.substations.crs is None or not self.substations.crs.is_projected:
            raise GridModelError(
                "grid model: substations need a projected CRS in metres (e.g. EPSG:28992)."
            )
        dup = self.substations["substation_id"][self.substations["substation_id"].duplicated()]
        if not dup.empty:
            raise GridModelError(f"grid model: duplicate substation ids {sorted(set(dup))}.")

    @property
    def has_network(self) -> bool:
        """Whether lines exist to measure network distance along."""
        return not self.lines.empty


def _identified(
    frame: pd.DataFrame | gpd.GeoDataFrame,
    crs: object,
    key: str,
    prefix: str,
    numeric: tuple[str, ...],
) -> gpd.GeoDataFrame:
    """Copy ``frame`` with ids (``<prefix>001`` where missing), a name, and numeric columns."""
    out = gpd.GeoDataFrame(frame.copy(), geometry="geometry", crs=getattr(frame, "crs", crs) or crs)
    given = out[key] if key in out else pd.Series(None, index=out.index, dtype=object)
    taken = set(given.dropna().astype(str))
    ids = []
    for i in range(len(out)):  # new ids for rows without one, never one already given
        candidate, n = f"{prefix}{i + 1:03d}", 1
        while candidate in taken:
            candidate, n = f"{prefix}{i + 1:03d}-{n}", n + 1
        ids.append(candidate)
    made = pd.Series(ids, index=out.index, dtype=object)
    out[key] = given.where(given.notna(), made).astype(str)
    names = out["name"] if "name" in out else pd.Series(None, index=out.index, dtype=object)
    out["name"] = names.where(names.notna(), out[key])
    for col in numeric:
        out[col] = pd.to_numeric(out[col], errors="coerce") if col in out else np.nan
    return out


def make_substations(
    frame: pd.DataFrame | gpd.GeoDataFrame, *, crs: object = None
) -> gpd.GeoDataFrame:
    """Return a substations frame with the model's columns (missing numbers become NaN).

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        Must hold a point geometry; other columns are used where present.
    crs : optional
        CRS when ``frame`` has none.

    Returns
    -------
    GeoDataFrame
    """
    out = _identified(frame, crs, "substation_id", "S", SUBSTATION_COLUMNS[2:])
    cols = [*SUBSTATION_COLUMNS, "geometry"]
    return gpd.GeoDataFrame(out[cols].reset_index(drop=True), geometry="geometry", crs=out.crs)


def make_lines(frame: pd.DataFrame | gpd.GeoDataFrame, *, crs: object = None) -> gpd.GeoDataFrame:
    """Return a lines frame with the model's columns; ``length_km`` from geometry if absent.

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        Line strings; other columns are used where present.
    crs : optional
        CRS when ``frame`` has none.

    Returns
    -------
    GeoDataFrame
    """
    out = _identified(frame, crs, "line_id", "L", LINE_COLUMNS[2:])
    out["circuits"] = out["circuits"].fillna(1.0)
    geom_km = out.geometry.length.to_numpy() / 1000.0 if len(out) else np.zeros(0)
    out["length_km"] = out["length_km"].fillna(pd.Series(geom_km, index=out.index))
    cols = [*LINE_COLUMNS, "geometry"]
    return gpd.GeoDataFrame(out[cols].reset_index(drop=True), geometry="geometry", crs=out.crs)
