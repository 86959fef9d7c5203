# SPDX-License-Identifier: Apache-2.0
"""ruimte's own claim fields inside ESDL, and claim status <-> ESDL ``state``.

ESDL has no field for a claim's owner in a plan, its governance level or its
horizon, so ruimte writes them as ``StringKPI`` items named ``ruimte:<field>``
in the asset's ``KPIs``: a standard ESDL extension point that every ESDL tool
keeps. The status <-> state policy is data: ``data/esdl_status.csv``.
"""

from __future__ import annotations

import csv
import functools
import math
from importlib import resources
from typing import Any

#: claim columns written to and read from ``ruimte:<field>`` KPIs
RUIMTE_FIELDS = (
    "claim_id",
    "function",
    "quantity",
    "unit",
    "status",
    "owner",
    "governance_level",
    "plan_id",
    "horizon_year",
    "region_code",
)
KPI_PREFIX = "ruimte:"


@functools.cache
def _status_policy() -> tuple[dict[str, str], dict[str, str]]:
    text = resources.files("ruimte.exchange").joinpath("data/esdl_status.csv").read_text("utf-8")
    to_state: dict[str, str] = {}
    to_status: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        if row["direction"] == "export":
            to_state[row["status"]] = row["esdl_state"]
        else:
            to_status[row["esdl_state"]] = row["status"]
    return to_state, to_status


def state_for_status(status: Any) -> str:
    """Return the ESDL asset ``state`` literal for a claim status.

    Parameters
    ----------
    status : str
        A claim status (``idea``, ``proposed``, ``adopted``, ``realised``).

    Returns
    -------
    str
        ``ENABLED`` or ``OPTIONAL``.

    Examples
    --------
    >>> state_for_status("adopted"), state_for_status("idea")
    ('ENABLED', 'OPTIONAL')
    """
    return _status_policy()[0].get(str(status), "OPTIONAL")


def status_for_state(state: Any) -> str:
    """Return the claim status for an ESDL ``state`` (used when no ``ruimte:status`` KPI).

    Examples
    --------
    >>> status_for_state("ENABLED"), status_for_state("OPTIONAL"), status_for_state("DISABLED")
    ('realised', 'proposed', 'idea')
    """
    name = getattr(state, "name", state)
    return _status_policy()[1].get(str(name), "realised")


def is_missing(value: Any) -> bool:
    """Whether a value counts as empty (None, NaN, pandas NA, '')."""
    if value is None or value is __import__("pandas").NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def write_ruimte_kpis(esdl: Any, asset: Any, values: dict[str, Any]) -> None:
    """Replace the asset's ``ruimte:*`` KPIs with ``values`` (empty values left out).

    Parameters
    ----------
    esdl : module
        The ``esdl`` module.
    asset : esdl.Asset
    values : dict
        Claim field -> value.
    """
    if asset.KPIs is None:
        asset.KPIs = esdl.KPIs(id=f"{asset.id}-kpis")
    for kpi in [k for k in asset.KPIs.kpi if str(k.name or "").startswith(KPI_PREFIX)]:
        asset.KPIs.kpi.remove(kpi)
    for name in RUIMTE_FIELDS:
        value = values.get(name)
        if is_missing(value):
            continue
        if isinstance(value, float) and name == "horizon_year":
            value = int(value)
        asset.KPIs.kpi.append(
            esdl.StringKPI(id=f"{asset.id}-ruimte-{name}", name=KPI_PREFIX + name, value=str(value))
        )


def read_ruimte_kpis(asset: Any) -> dict[str, str]:
    """Return ``{field: text}`` of the asset's ``ruimte:*`` KPIs (empty when none)."""
    kpis = getattr(asset, "KPIs", None)
    if kpis is None:
        return {}
    out = {}
    for kpi in kpis.kpi:
        name = str(kpi.name or "")
        if name.startswith(KPI_PREFIX) and getattr(kpi, "value", None) is not None:
            out[name.removeprefix(KPI_PREFIX)] = str(kpi.value)
    return out
