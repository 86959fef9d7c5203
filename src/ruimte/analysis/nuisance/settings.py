# SPDX-License-Identifier: Apache-2.0
"""Read the nuisance method constants, norms and visibility bands from package data.

The files are ``ruimte/analysis/nuisance/data/method.yaml``, ``norms.csv`` and
``visibility_bands.csv``; every value names a source id (``vocab/data/sources.csv``).
"""

from __future__ import annotations

import importlib.resources
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ruimte.errors import RuimteError

__all__ = [
    "NuisanceDataError",
    "NoiseMethod",
    "FlickerMethod",
    "INDICATORS",
    "lden_offset_db",
    "load_method",
    "load_norms",
    "load_bands",
]

#: indicators a norm can refer to (columns of the per-dwelling table)
INDICATORS = (
    "lden_db",
    "lnight_db",
    "flicker_days_over_20min",
    "flicker_hours",
    "flicker_max_minutes_day",
)


class NuisanceDataError(RuimteError, ValueError):
    """A nuisance data file (method, norms, bands) is broken: names the file and field."""


def data_file(name: str) -> Path:
    """Return the path of a package data file of the nuisance kernels."""
    return Path(str(importlib.resources.files("ruimte.analysis.nuisance") / "data" / name))


def lden_offset_db(
    day_h: float = 12,
    evening_h: float = 4,
    night_h: float = 8,
    evening_penalty_db: float = 5,
    night_penalty_db: float = 10,
) -> float:
    """Return Lden - Leq for a source that runs at constant level all 24 hours.

    With Lday = Levening = Lnight = Leq, the END definition of Lden gives
    ``Lden = Leq + 10 lg((12 + 4 10^0.5 + 8 10^1) / 24)``.

    Examples
    --------
    >>> round(lden_offset_db(), 2)
    6.4
    """
    total = day_h + evening_h + night_h
    energy = (
        day_h
        + evening_h * 10 ** (evening_penalty_db / 10)
        + night_h * 10 ** (night_penalty_db / 10)
    )
    return 10 * math.log10(energy / total)


@dataclass(frozen=True)
class NoiseMethod:
    """Constants of the ISO 9613-2 single-band calculation.

    Attributes
    ----------
    alpha_db_per_m : float
        Atmospheric absorption coefficient (dB/m).
    receiver_height_m : float
        Height of the facade point above flat ground.
    lden_offset_db : float
        Lden - Leq for the operating assumption (see :func:`lden_offset_db`).
    directivity_omega : bool
        Add ISO 9613-2 eq. (11) D_Omega (ground reflection), required with eq. (10).
    contour_cell_m : float
        Raster cell of the contour polygons.
    contour_cutoff_db : float
        Contours ignore a turbine where it alone is this far below the lowest norm.
    """

    alpha_db_per_m: float = 0.0019
    receiver_height_m: float = 5.0
    lden_offset_db: float = 6.3953
    directivity_omega: bool = True
    contour_cell_m: float = 10.0
    contour_cutoff_db: float = 20.0


@dataclass(frozen=True)
class FlickerMethod:
    """Settings of the astronomical worst-case shadow flicker.

    Attributes
    ----------
    min_sun_elevation_deg : float
        The sun casts no shadow below this elevation.
    time_step_min : int
        Minutes between solar positions (each step counts this long).
    year : int
        Calendar year of the solar positions.
    max_distance_rotor_diameters : float
        No flicker counted beyond this many rotor diameters.
    receiver_height_m : float
        Height of the window above flat ground.
    day_minutes : float
        Days with more than this many minutes of shadow are counted.
    """

    min_sun_elevation_deg: float = 3.0
    time_step_min: int = 10
    year: int = 2025
    max_distance_rotor_diameters: float = 12.0
    receiver_height_m: float = 2.0
    day_minutes: float = 20.0


def _value(section: dict[str, Any], key: str, where: str, *, low: float, high: float) -> float:
    item = section.get(key)
    value = item.get("value") if isinstance(item, dict) else item
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise NuisanceDataError(f"{where}: field {key!r} must be a number, not {value!r}.")
    if not low <= value <= high:
        raise NuisanceDataError(
            f"{where}: field {key!r} is {value}; it must lie in [{low:g}, {high:g}]."
        )
    return float(value)


def load_method(path: Path | None = None) -> tuple[NoiseMethod, FlickerMethod]:
    """Read ``method.yaml`` and check every value.

    Parameters
    ----------
    path : Path, optional
        Default: the package file.

    Returns
    -------
    (NoiseMethod, FlickerMethod)

    Raises
    ------
    NuisanceDataError
        Naming the file, section and field of a bad value.

    Examples
    --------
    >>> noise, flicker = load_method()
    >>> noise.alpha_db_per_m, round(noise.lden_offset_db, 3), flicker.min_sun_elevation_deg
    (0.0019, 6.395, 3.0)
    """
    path = Path(path or data_file("method.yaml"))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise NuisanceDataError(f"{path}: not valid YAML ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("noise"), dict):
        raise NuisanceDataError(f"{path}: needs a 'noise:' and a 'flicker:' mapping.")
    if not isinstance(data.get("flicker"), dict):
        raise NuisanceDataError(f"{path}: needs a 'flicker:' mapping.")
    n, f = data["noise"], data["flicker"]
    wn, wf = f"{path} noise", f"{path} flicker"
    hours = [
        _value(n, k, wn, low=0, high=24) for k in ("day_hours", "evening_hours", "night_hours")
    ]
    if sum(hours) != 24:
        raise NuisanceDataError(
            f"{wn}: day, evening and night hours add up to {sum(hours):g}, not 24."
        )
    penalties = [
        _value(n, k, wn, low=0, high=20) for k in ("evening_penalty_db", "night_penalty_db")
    ]
    noise = NoiseMethod(
        alpha_db_per_m=_value(n, "alpha_db_per_m", wn, low=0, high=0.1),
        receiver_height_m=_value(n, "receiver_height_m", wn, low=0, high=100),
        lden_offset_db=lden_offset_db(*hours, *penalties),
        directivity_omega=bool((n.get("directivity_omega") or {}).get("value", True)),
        contour_cell_m=_value(n, "contour_cell_m", wn, low=0.5, high=1000),
        contour_cutoff_db=_value(n, "contour_cutoff_db", wn, low=0, high=60),
    )
    flicker = FlickerMethod(
        min_sun_elevation_deg=_value(f, "min_sun_elevation_deg", wf, low=0, high=45),
        time_step_min=int(_value(f, "time_step_min", wf, low=1, high=60)),
        year=int(_value(f, "year", wf, low=1900, high=2200)),
        max_distance_rotor_diameters=_value(f, "max_distance_rotor_diameters", wf, low=1, high=100),
        receiver_height_m=_value(f, "receiver_height_m", wf, low=0, high=100),
        day_minutes=_value(f, "day_minutes", wf, low=0, high=1440),
    )
    return noise, flicker


def load_norms(path: Path | None = None) -> pd.DataFrame:
    """Read ``norms.csv``: the norms dwellings are counted against.

    Returns
    -------
    DataFrame
        Columns ``id, indicator, limit, unit, status, label, source, note``.

    Raises
    ------
    NuisanceDataError
        For an unknown indicator, a non-numeric limit or a missing source.

    Examples
    --------
    >>> float(load_norms().set_index("id").loc["bal_lden_47", "limit"])
    47.0
    """
    path = Path(path or data_file("norms.csv"))
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("id", "indicator", "limit", "status", "label", "source"):
        if col not in table:
            raise NuisanceDataError(f"{path}: missing column {col!r}.")
    for i, row in table.iterrows():
        where = f"{path} line {int(str(i)) + 2} ({row['id'] or 'no id'})"
        if row["indicator"] not in INDICATORS:
            raise NuisanceDataError(
                f"{where}: field 'indicator' is {row['indicator']!r}; use one of "
                f"{', '.join(INDICATORS)}."
            )
        try:
            limit = float(row["limit"])
        except ValueError:
            limit = math.nan
        if not math.isfinite(limit) or limit < 0:
            raise NuisanceDataError(f"{where}: field 'limit' is {row['limit']!r}; give a number.")
        if not row["source"] or not row["id"]:
            raise NuisanceDataError(f"{where}: fields 'id' and 'source' must not be empty.")
    table["limit"] = table["limit"].astype(float)
    return table


def load_bands(path: Path | None = None) -> pd.DataFrame:
    """Read ``visibility_bands.csv``: distance bands around turbines, in order.

    Returns
    -------
    DataFrame
        Columns ``band, min_m, max_m, source, note``, with contiguous bands.

    Raises
    ------
    NuisanceDataError
        For bands that overlap, leave gaps or have no source.
    """
    path = Path(path or data_file("visibility_bands.csv"))
    table = pd.read_csv(path, dtype={"band": str}, keep_default_na=False)
    try:
        lo = table["min_m"].astype(float).to_numpy()
        hi = table["max_m"].astype(float).to_numpy()
    except (KeyError, ValueError) as exc:
        raise NuisanceDataError(
            f"{path}: fields 'min_m' and 'max_m' must be numbers ({exc})."
        ) from None
    if len(table) == 0 or (lo >= hi).any() or (lo[1:] != hi[:-1]).any() or lo[0] != 0:
        raise NuisanceDataError(
            f"{path}: bands must start at 0 m and follow each other without gaps (min < max)."
        )
    if (table.get("source", pd.Series([""])) == "").any():
        raise NuisanceDataError(f"{path}: every band needs a 'source'.")
    table["min_m"], table["max_m"] = lo, hi
    return table
