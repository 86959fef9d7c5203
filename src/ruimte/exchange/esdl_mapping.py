# SPDX-License-Identifier: Apache-2.0
"""How ruimte functions and ESDL asset classes map onto each other, both ways.

The vocabulary's ``esdl_class`` column names the ESDL class of each function.
Several functions share a class (``ElectricityCable`` for HV and MV lines,
``Pipe`` for heat, gas and hydrogen, ``PVPark`` for solar and floating
solar); on import the first function in vocabulary order wins, except where
the ESDL data tell them apart (``assetType`` holding a function id, as
ruimte's export writes it; a cable's carrier voltage; a pipe's carrier).

Quantities: a function's claim unit is the non-area part of its space-use
unit (``ha/MWp`` -> ``MWp``, ``homes/ha`` -> ``homes``). ESDL keeps power in
W, lengths in m, areas in m², storage in J; transformer voltages are read and
written as kV (pyESDL does not document the unit). A claim counted in
``sites`` is written as ``aggregationCount``. Park classes (a wind claim
with a polygon as ``WindPark``) come from ``data/esdl_parks.csv``.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Any

#: functions kept as network assets (datasets), not as claims
NETWORK_FUNCTIONS = ("substation", "hv_line", "mv_line")
#: ESDL power and energy conversions to ruimte units
W_PER_UNIT = {"MW": 1e6, "MWp": 1e6, "kW": 1e3, "kWp": 1e3, "GW": 1e9, "GWp": 1e9}
AREA_UNITS = ("ha", "m2", "km2")
MV_MAX_KV = 25.0


def claim_unit(function: Any) -> str | None:
    """Return the unit a function's claims are counted in, from its space use.

    Parameters
    ----------
    function : Function
        A vocabulary function.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from ruimte.vocab import load_vocabulary
    >>> claim_unit(load_vocabulary().function("solar_field"))
    'MWp'
    >>> claim_unit(load_vocabulary().function("housing"))
    'homes'
    """
    unit = function.space_use_unit or ""
    if "/" not in unit:
        return None
    a, b = unit.split("/", 1)
    if a in AREA_UNITS and b not in AREA_UNITS:
        return b
    if b in AREA_UNITS and a not in AREA_UNITS:
        return a
    return "ha" if a in AREA_UNITS else a


def class_to_functions(vocabulary: Any) -> dict[str, list[str]]:
    """Return ``{esdl_class: [function ids in vocabulary order]}``.

    Parameters
    ----------
    vocabulary : Vocabulary

    Returns
    -------
    dict
    """
    out: dict[str, list[str]] = {}
    for fid, fn in vocabulary.functions.items():
        if fn.esdl_class:
            out.setdefault(str(fn.esdl_class), []).append(str(fid))
    return out


def function_for_asset(asset: Any, candidates: list[str]) -> str:
    """Choose the function of an ESDL asset among those sharing its class.

    Parameters
    ----------
    asset : esdl.Asset
    candidates : list of str
        Function ids with the asset's ESDL class, in vocabulary order.

    Returns
    -------
    str
    """
    cls = type(asset).__name__
    if getattr(asset, "assetType", None) in candidates:  # written by ruimte's export
        return str(asset.assetType)
    carriers = [p.carrier for p in getattr(asset, "port", []) if p.carrier is not None]
    if cls == "ElectricityCable":
        volts = [getattr(c, "voltage", None) for c in carriers]
        kv = max((v / 1000.0 for v in volts if v), default=None)
        wanted = "hv_line" if kv is not None and kv > MV_MAX_KV else "mv_line"
        return wanted if wanted in candidates else candidates[0]
    if cls == "Pipe":
        kinds = {type(c).__name__ for c in carriers}
        names = " ".join(str(c.name or "").lower() for c in carriers)
        if "HeatCommodity" in kinds and "heat_network" in candidates:
            return "heat_network"
        if any(h in names for h in ("h2", "hydrogen", "waterstof")) and (
            "hydrogen_pipeline" in candidates
        ):
            return "hydrogen_pipeline"
        if "gas_pipeline" in candidates and ("GasCommodity" in kinds or "gas" in names):
            return "gas_pipeline"
    return candidates[0]


@functools.cache
def _parks() -> list[dict[str, str]]:
    text = resources.files("ruimte.exchange").joinpath("data/esdl_parks.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def park_functions() -> dict[str, str]:
    """Return ``{ESDL class: function}`` for park classes (``WindPark``) from ``esdl_parks.csv``.

    Examples
    --------
    >>> park_functions()["WindPark"]
    'wind_turbine'
    """
    return {row["polygon_class"]: row["function"] for row in _parks()}


def export_class(function: str, default: str | None, polygon: bool) -> str | None:
    """Return the ESDL class to write a claim of ``function`` as (a park for a polygon).

    Examples
    --------
    >>> export_class("wind_turbine", "WindTurbine", polygon=True)
    'WindPark'
    >>> export_class("wind_turbine", "WindTurbine", polygon=False)
    'WindTurbine'
    """
    for row in _parks():
        if row["function"] == function:
            return row["polygon_class"] if polygon else row["point_class"]
    return default
