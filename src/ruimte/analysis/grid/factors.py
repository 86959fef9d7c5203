# SPDX-License-Identifier: Apache-2.0
"""Read the grid data files: factors, claim power rules, traffic-light classes, limits, types.

Every value in ``data/*.csv`` cites a source id from the vocabulary's
``sources.csv``; ``provisional`` marks assumptions to be confirmed.
"""

from __future__ import annotations

import functools
import io
from importlib import resources

import pandas as pd

from ruimte.errors import RuimteError

DATA_FILES = (
    "factors.csv",
    "claim_power.csv",
    "traffic_light.csv",
    "network_limits.csv",
    "line_types.csv",
    "transformer_types.csv",
    "hub_members.csv",
)


class GridDataError(RuimteError, ValueError):
    """A grid data file or a value in it is missing or malformed."""


@functools.cache
def read_table(name: str) -> pd.DataFrame:
    """Return one packaged data file as a frame (cached; do not modify it).

    Parameters
    ----------
    name : str
        File name in ``ruimte/analysis/grid/data``, e.g. ``"factors.csv"``.

    Returns
    -------
    DataFrame

    Raises
    ------
    GridDataError
        If the file is not one of the grid data files.
    """
    if name not in DATA_FILES:
        raise GridDataError(f"no grid data file {name!r}; choose one of {', '.join(DATA_FILES)}.")
    text = (resources.files("ruimte.analysis.grid") / "data" / name).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text))


def _values(name: str) -> dict[str, float]:
    table = read_table(name)
    return {str(k): float(v) for k, v in zip(table["id"], table["value"], strict=True)}


def factors() -> dict[str, float]:
    """Return the standard factors (``factors.csv``) as ``{id: value}``.

    Examples
    --------
    >>> factors()["household_kw_per_home"]
    1.5
    """
    return _values("factors.csv")


def network_limits() -> dict[str, float]:
    """Return the load-flow limits and tolerances (``network_limits.csv``)."""
    return _values("network_limits.csv")


def transformer_parameters() -> dict[str, float]:
    """Return the default transformer parameters (``transformer_types.csv``)."""
    return _values("transformer_types.csv")


def factor(values: dict[str, float], key: str, *, file: str = "factors.csv") -> float:
    """Return ``values[key]`` or raise an error that names the file and the key.

    Parameters
    ----------
    values : dict
        Factors as returned by :func:`factors`, possibly overridden.
    key : str
        The factor id.
    file : str
        The file the values came from, for the message.

    Returns
    -------
    float

    Raises
    ------
    GridDataError
        If the key is missing.
    """
    from ruimte.errors import did_you_mean

    if key not in values:
        raise GridDataError(f"{file}: no factor {key!r}. {did_you_mean(key, values)}")
    return values[key]
