# SPDX-License-Identifier: Apache-2.0
"""Split a higher region's target over lower regions by a key.

Keys: area, population, eligible land, or equal shares.

The key is a value per leaf region (municipality). A lower region gets the
share of the key of its leaves that lie inside the higher region, so a RES
region that straddles two provinces (Foodvalley) receives from a province
only what lies in that province, and the shares always add up to 1 when the
lower regions tile the higher one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from ruimte.errors import RuimteError, did_you_mean
from ruimte.governance.hierarchy import Hierarchy

KEYS = ("area", "population", "eligible", "equal")


class CascadeError(RuimteError, ValueError):
    """A cascade cannot be computed: unknown key or level, or a key with no values."""


def cascade(
    quantity: float,
    region: str,
    level: str,
    hierarchy: Hierarchy,
    key: Mapping[str, float] | str,
    *,
    key_name: str = "the key",
) -> pd.DataFrame:
    """Split ``quantity`` of ``region`` over the regions of ``level`` below it.

    Parameters
    ----------
    quantity : float
        The higher region's target.
    region : str
        Its code.
    level : str
        The lower level to split onto (``province``, ``res_region``, ``municipality``).
    hierarchy : Hierarchy
    key : mapping of str to float, or ``"equal"``
        Value per leaf region (area, population, eligible hectares), or equal shares.
    key_name : str
        What the key is, for messages (e.g. ``"population"``).

    Returns
    -------
    DataFrame
        ``code``, ``share``, ``quantity``, one row per lower region, sorted by code.

    Raises
    ------
    CascadeError
        If no region of ``level`` lies below ``region``, the key sums to 0
        there, or the key is unknown (missing or NaN) for some of the leaf
        regions inside: they are named, never taken as 0.

    Examples
    --------
    >>> from ruimte.governance.hierarchy import Hierarchy
    >>> levels = ["res_region", "municipality", "municipality"]
    >>> h = Hierarchy(pd.DataFrame({"code": ["R", "a", "b"], "level": levels}),
    ...               pd.DataFrame({"code": ["a", "b"], "parent_code": ["R", "R"]}))
    >>> cascade(1.2, "R", "municipality", h, {"a": 1, "b": 3})["quantity"].tolist()
    [0.3, 0.8999999999999999]
    """
    inside = hierarchy.leaves(region)
    lower = [c for c in hierarchy.at_level(level) if hierarchy.leaves(c) & inside]
    if not lower:
        levels = sorted(set(hierarchy.level.values()))
        raise CascadeError(
            f"no region of level {level!r} lies in {region!r}. {did_you_mean(level, levels)}"
        )
    if isinstance(key, str):
        if key != "equal":
            raise CascadeError(f"unknown key {key!r}. {did_you_mean(key, KEYS)}")
        shares = [1.0 / len(lower)] * len(lower)
    else:
        _refuse_unknown(key, inside, region, hierarchy, key_name)
        total = sum(float(key.get(leaf, 0.0)) for leaf in inside)
        if total <= 0:
            raise CascadeError(
                f"the key has no positive value in {region!r}; give a value per municipality."
            )
        shares = [
            sum(float(key.get(leaf, 0.0)) for leaf in hierarchy.leaves(c) & inside) / total
            for c in lower
        ]
    return pd.DataFrame(
        {"code": lower, "share": shares, "quantity": [quantity * s for s in shares]}
    )


def _refuse_unknown(
    key: Mapping[str, float | None],
    inside: Collection[str],
    region: str,
    hierarchy: Hierarchy,
    key_name: str,
) -> None:
    """Raise naming the leaves inside ``region`` with no key value, if some have one."""
    missing = sorted(
        leaf for leaf in inside if key.get(leaf) is None or pd.isna(key.get(leaf))
    )
    if not missing or len(missing) == len(inside):
        return  # all unknown: "no positive value" says it
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    raise CascadeError(
        f"{key_name} is unknown for {len(missing)} of the {len(inside)} "
        f"{hierarchy.level.get(missing[0], 'leaf')} regions in {region!r}: {shown}. "
        "Give a value for each (an unknown value is not taken as 0)."
    )
