# SPDX-License-Identifier: Apache-2.0
"""Possible against wanted: TWh per year per region and governance level."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["energy_targets", "compare_with_targets"]


def energy_targets(targets: pd.DataFrame, scenario: str | None = None) -> pd.Series:
    """Electricity targets in TWh/yr per region code.

    A scenario's own target replaces the general one (``scenario`` empty).

    Parameters
    ----------
    targets : DataFrame
        The workspace ``targets`` table.
    scenario : str, optional

    Returns
    -------
    Series
        Region code -> TWh/yr.

    Examples
    --------
    >>> t = pd.DataFrame({"region_code": ["A", "A"], "transition": ["energy"] * 2,
    ...                   "unit": ["TWh/yr"] * 2, "quantity": [1.0, 2.0],
    ...                   "scenario": [None, "hoog"]})
    >>> energy_targets(t, "hoog").to_dict()
    {'A': 2.0}
    """
    if targets.empty:
        return pd.Series(dtype=float)
    rows = targets[(targets["transition"] == "energy") & (targets["unit"] == "TWh/yr")]
    general = rows[rows["scenario"].isna()].groupby("region_code")["quantity"].sum()
    if scenario is None:
        return general.astype(float)
    own = rows[rows["scenario"] == scenario].groupby("region_code")["quantity"].sum()
    return own.combine_first(general).astype(float)


def compare_with_targets(regions: pd.DataFrame, targets: pd.Series) -> pd.DataFrame:
    """Add ``target_twh``, ``possible_twh`` and ``share_of_target`` columns.

    ``regions`` needs ``region_code``, ``wind_gwh`` and ``solar_gwh``.
    """
    out = regions.copy()
    out["possible_twh"] = (out["wind_gwh"] + out["solar_gwh"]) / 1000.0
    out["target_twh"] = out["region_code"].map(targets).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_of_target"] = out["possible_twh"] / out["target_twh"]
    return out
