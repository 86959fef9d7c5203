# SPDX-License-Identifier: Apache-2.0
"""Convert claim and target quantities between units: hectares, capacity, homes, energy.

A claim says "80 ha solar", "20.8 MWp solar", "1,500 homes" or "5.6 MW wind";
a target says "1.2 TWh/yr" or "9,000 homes". Both are brought onto hectares of
land and onto the target's unit through the function's space use (from the
vocabulary, or a scenario assumption such as ``ha_per_mwp``) and, for energy
per year, the yearly yield per unit of capacity (``data/yields.csv``, or a
scenario assumption such as ``full_load_hours_wind``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from ruimte.errors import RuimteError
from ruimte.vocab import Vocabulary

ENERGY_PER_YEAR = "energy_per_year"


class UnitMismatchError(RuimteError, ValueError):
    """A quantity's unit does not fit its function (e.g. a housing target in MW)."""


@lru_cache(maxsize=8)
def _data(name: str) -> pd.DataFrame:
    with resources.files("ruimte.governance").joinpath("data", name).open(encoding="utf-8") as f:
        return pd.read_csv(f)


def yields() -> pd.DataFrame:
    """Return the yearly yield per unit of capacity, one row per function (``data/yields.csv``)."""
    return _data("yields.csv")


def space_use(
    vocab: Vocabulary, function: str, assumptions: Mapping[str, Any] | None = None
) -> tuple[float, str, str] | None:
    """Return a function's space use as ``(value, numerator unit, denominator unit)``.

    A scenario assumption named in ``data/space_use_overrides.csv`` (e.g.
    ``homes_per_ha``) replaces the vocabulary's value.

    Examples
    --------
    >>> from ruimte.vocab import load_vocabulary
    >>> space_use(load_vocabulary(), "housing", {"homes_per_ha": 35})
    (35.0, 'homes', 'ha')
    """
    fn = vocab.function(function)
    overrides = _data("space_use_overrides.csv")
    row = overrides[overrides["function"] == function]
    if assumptions and not row.empty and row["parameter"].iloc[0] in assumptions:
        num, den = str(row["space_use_unit"].iloc[0]).split("/")
        return float(assumptions[row["parameter"].iloc[0]]), num, den
    if fn.space_use_value is None or not fn.space_use_unit:
        return None
    num, den = fn.space_use_unit.split("/")
    return float(fn.space_use_value), num, den


def _yield_mwh_per_capacity(function: str, assumptions: Mapping[str, Any] | None) -> float | None:
    table = yields()
    row = table[table["function"] == function]
    if row.empty:
        return None
    parameter = str(row["parameter"].iloc[0])
    value = (assumptions or {}).get(parameter, row["default"].iloc[0])
    return float(value)  # h/yr == MWh/yr per MW; kWh/kWp/yr == MWh/yr per MWp


def per_hectare(
    vocab: Vocabulary, function: str, unit: str, assumptions: Mapping[str, Any] | None = None
) -> float | None:
    """Return how much of ``unit`` one hectare of ``function`` delivers, or None if it cannot.

    Parameters
    ----------
    vocab : Vocabulary
    function : str
        A function id.
    unit : str
        A unit id from the vocabulary (``ha``, ``MWp``, ``homes``, ``TWh/yr``, ...).
    assumptions : mapping, optional
        A scenario's assumptions (``ha_per_mwp``, ``homes_per_ha``,
        ``full_load_hours_wind``, ``kwh_per_kwp``).

    Returns
    -------
    float or None
        E.g. 30 for housing in homes (30 homes/ha); None when the unit does
        not fit the function.

    Examples
    --------
    >>> from ruimte.vocab import load_vocabulary
    >>> round(per_hectare(load_vocabulary(), "solar_field", "GWh/yr", {"ha_per_mwp": 1.25}), 3)
    0.7
    """
    units = vocab.units
    target = units[vocab.check_unit(unit)]
    if target.dimension == "area":
        return 1.0 / target.to_base
    use = space_use(vocab, function, assumptions)
    if use is None:
        return None
    value, num, den = use
    if num not in units or den not in units or value <= 0:
        return None
    base = value * units[num].to_base / units[den].to_base  # base-num per base-den
    if units[num].dimension == "area":  # e.g. ha/MWp: one ha holds 1/base MWp
        per_ha, dimension = 1.0 / base, units[den].dimension
    elif units[den].dimension == "area":  # e.g. homes/ha: one ha holds base homes
        per_ha, dimension = base, units[num].dimension
    else:
        return None
    if dimension == target.dimension:
        return per_ha / target.to_base
    if target.dimension == ENERGY_PER_YEAR and dimension in ("power", "peak_power"):
        mwh = _yield_mwh_per_capacity(function, assumptions)
        return None if mwh is None else per_ha * mwh / target.to_base
    return None


def hectares(
    vocab: Vocabulary,
    function: str,
    quantity: float,
    unit: str,
    assumptions: Mapping[str, Any] | None = None,
    *,
    what: str = "claim",
) -> float:
    """Return the land (ha) that ``quantity`` ``unit`` of ``function`` takes.

    Raises
    ------
    UnitMismatchError
        If the unit cannot be converted to land for this function; the message
        names ``what`` and the units that fit.
    """
    factor = per_hectare(vocab, function, unit, assumptions)
    if factor is None or factor <= 0 or not math.isfinite(factor):
        raise UnitMismatchError(
            f"{what}: unit {unit!r} does not fit function {function!r}. "
            f"Use one of: {', '.join(fitting_units(vocab, function, assumptions))}."
        )
    return float(quantity) / factor


def fitting_units(
    vocab: Vocabulary, function: str, assumptions: Mapping[str, Any] | None = None
) -> list[str]:
    """Return the unit ids in which ``function`` can be measured."""
    return [u for u in vocab.units if per_hectare(vocab, function, u, assumptions) is not None]


def contributing_functions(
    vocab: Vocabulary,
    *,
    unit: str,
    function: str | None = None,
    transition: str | None = None,
    what: str = "target",
) -> list[str]:
    """Return the functions whose land counts towards a target in ``unit``.

    A target names a function (all claims of that function count) or only a
    transition (every function of the transition measurable in ``unit``).

    Raises
    ------
    UnitMismatchError
        If the unit fits the function (or no function of the transition); the
        message says which unit to use instead.
    """
    if function:
        if per_hectare(vocab, function, unit) is None:
            raise UnitMismatchError(
                f"{what}: unit {unit!r} does not fit function {function!r}. Change the unit "
                f"to one of {', '.join(fitting_units(vocab, function))}, or change the function."
            )
        return [function]
    if not transition:
        raise UnitMismatchError(f"{what}: give a function or a transition.")
    found = [
        f.id
        for f in vocab.functions.values()
        if f.transition == transition and per_hectare(vocab, f.id, unit) is not None
    ]
    if not found:
        dims = sorted(
            {
                vocab.units[u].dimension
                for f in vocab.functions.values()
                if f.transition == transition
                for u in fitting_units(vocab, f.id)
            }
        )
        raise UnitMismatchError(
            f"{what}: no function of transition {transition!r} is measured in {unit!r}. "
            f"Use a unit of dimension {', '.join(dims) or '(none)'}, or name a function."
        )
    return found
