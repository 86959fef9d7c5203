# SPDX-License-Identifier: Apache-2.0
"""The realistic potential beside the technical one: an uptake share per ladder tier and for wind.

The technical potential fills every eligible cell: turbines at every spacing
position, solar panels on every eligible hectare. What gets built is a small
share of that. The rules files give the share counted as realistic — per
solar-ladder tier (``uptake_share`` in ``solar_ladder.yaml``) and for the
turbine positions (``potential.uptake_share`` in ``wind.yaml``) — each with
its source and marked provisional. A tier without a share has an unknown
realistic potential (NaN, None in JSON), never 0 or its technical value.
Cost: linear in the rows of the ladder and region tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ruimte.rules import RuleError

__all__ = ["Uptake", "add_realistic", "uptake_shares"]


@dataclass(frozen=True)
class Uptake:
    """The share of a technical potential counted as realistic, and where it comes from."""

    what: str
    share: float | None
    source: str | None
    provisional: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return asdict(self)


def _share(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        share = float(value)
    except (TypeError, ValueError):
        share = math.nan
    if not 0.0 <= share <= 1.0:
        raise RuleError(f"{where}: uptake share {value!r} is not a number between 0 and 1.")
    return share


def uptake_shares(
    ladder_spec: Sequence[Mapping[str, Any]], wind_potential: Mapping[str, Any]
) -> tuple[Uptake, dict[int, Uptake]]:
    """Read the uptake shares of the wind rules and of each solar-ladder tier.

    Parameters
    ----------
    ladder_spec : sequence of mapping
        The tiers of ``solar_ladder.yaml`` (:func:`~ruimte.rules.load_ladder`).
    wind_potential : mapping
        The ``potential`` section of the wind rules.

    Returns
    -------
    (Uptake, dict of int to Uptake)
        Wind's, and one per tier number.

    Raises
    ------
    RuleError
        A share that is not a number between 0 and 1.

    Examples
    --------
    >>> wind, tiers = uptake_shares([{"tier": 4, "name": "farmland", "uptake_share": 0.01,
    ...                               "uptake_source": "x", "uptake_provisional": True}],
    ...                             {"uptake_share": 0.1, "uptake_share_source": "y"})
    >>> wind.share, tiers[4].share, tiers[4].provisional
    (0.1, 0.01, True)
    """
    wind = Uptake(
        what="wind turbine positions",
        share=_share(wind_potential.get("uptake_share"), "wind rules, potential"),
        source=wind_potential.get("uptake_share_source"),
        provisional=bool(wind_potential.get("uptake_share_provisional", True)),
        note=str(wind_potential.get("uptake_share_note", "")),
    )
    tiers = {}
    for item in ladder_spec:
        number = int(item["tier"])
        tiers[number] = Uptake(
            what=f"solar tier {number} ({item.get('name', '')})",
            share=_share(item.get("uptake_share"), f"solar ladder, tier {number}"),
            source=item.get("uptake_source"),
            provisional=bool(item.get("uptake_provisional", True)),
            note=str(item.get("uptake_note", "")),
        )
    return wind, tiers


def _sum_or_nan(values: pd.Series) -> float:
    """Sum that is NaN when any part is unknown (an unknown part is not 0)."""
    return float(values.sum()) if values.notna().all() else math.nan


def add_realistic(
    ladder: pd.DataFrame,
    regions: pd.DataFrame,
    wind: Uptake,
    tiers: Mapping[int, Uptake],
    kwh_per_kwp: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add the realistic columns to the ladder and region tables.

    Parameters
    ----------
    ladder : DataFrame
        ``region_code, tier, mwp`` per tier and region (see
        :func:`~ruimte.analysis.potential.solar.ladder_table`).
    regions : DataFrame
        ``region_code, wind_mw, wind_gwh, target_twh`` per region.
    wind, tiers : Uptake
        From :func:`uptake_shares`.
    kwh_per_kwp : float
        Solar yield.

    Returns
    -------
    (DataFrame, DataFrame)
        The ladder with ``uptake_share``, ``realistic_mwp``, ``realistic_gwh``;
        the regions with ``realistic_wind_mw``, ``realistic_wind_gwh``,
        ``realistic_solar_mwp``, ``realistic_solar_gwh``, ``realistic_twh`` and
        ``realistic_share_of_target``. NaN where a share is unknown.

    Examples
    --------
    >>> ladder = pd.DataFrame({"region_code": ["A", "A"], "tier": [1, 4], "mwp": [10.0, 200.0]})
    >>> regions = pd.DataFrame({"region_code": ["A"], "wind_mw": [42.0], "wind_gwh": [124.32],
    ...                         "target_twh": [0.1]})
    >>> tiers = {1: Uptake("roofs", 0.3, "s", True), 4: Uptake("farmland", 0.01, "s", True)}
    >>> _, out = add_realistic(ladder, regions, Uptake("wind", 0.1, "s", True), tiers, 875)
    >>> round(float(out["realistic_solar_mwp"].iloc[0]), 3)  # 10 x 0.3 + 200 x 0.01
    5.0
    """
    ladder = ladder.copy()
    shares = {n: (u.share if u.share is not None else math.nan) for n, u in tiers.items()}
    ladder["uptake_share"] = ladder["tier"].map(shares).astype(float)
    ladder["realistic_mwp"] = ladder["mwp"] * ladder["uptake_share"]
    ladder["realistic_gwh"] = ladder["realistic_mwp"] * kwh_per_kwp / 1000.0
    solar = ladder.groupby("region_code", sort=False)["realistic_mwp"].agg(_sum_or_nan)
    out = regions.copy()
    wind_share = wind.share if wind.share is not None else math.nan
    out["realistic_wind_mw"] = out["wind_mw"] * wind_share
    out["realistic_wind_gwh"] = out["wind_gwh"] * wind_share
    out["realistic_solar_mwp"] = out["region_code"].map(solar).astype(float)
    out["realistic_solar_gwh"] = out["realistic_solar_mwp"] * kwh_per_kwp / 1000.0
    out["realistic_twh"] = (out["realistic_wind_gwh"] + out["realistic_solar_gwh"]) / 1000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out["realistic_share_of_target"] = out["realistic_twh"] / out["target_twh"]
    return ladder, out
