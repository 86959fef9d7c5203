# SPDX-License-Identifier: Apache-2.0
"""Roll quantities of lower regions up to a higher level without double counting.

Rule: a quantity attached to region ``c`` counts towards region ``R`` of a
higher (or the same) level with weight ``share(c, R)``: the share of the key
(area by default) of ``c``'s municipalities that lie in ``R``. A region
nested in ``R`` counts whole; a region straddling two higher regions
(Foodvalley across Gelderland and Utrecht) is split between them by the key.
For every ``c`` the weights over the regions of one level add up to 1, so the
national total equals the sum of the parts. Quantities of a higher level are
never pushed down by a roll-up (that is a cascade).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ruimte.governance.hierarchy import Hierarchy


def rank_of(hierarchy: Hierarchy, ranks: Mapping[str, int | None], code: str) -> int | None:
    """Return the governance rank of a region's level (None for non-territorial levels)."""
    return ranks.get(hierarchy.level[code])


def rollup(
    values: Mapping[str, float],
    level: str,
    hierarchy: Hierarchy,
    ranks: Mapping[str, int | None],
    key: Mapping[str, float],
) -> pd.Series:
    """Return the rolled-up total per region of ``level``.

    Parameters
    ----------
    values : mapping of str to float
        Region code -> quantity (regions of any level at or below ``level``).
    level : str
        The level to roll up to.
    hierarchy : Hierarchy
    ranks : mapping of str to int or None
        Governance level -> rank (0 national ... 3 municipality).
    key : mapping of str to float
        Value per leaf region used to split straddling regions.

    Returns
    -------
    pandas.Series
        Indexed by the codes of ``level``.

    Examples
    --------
    >>> from ruimte.governance.hierarchy import Hierarchy
    >>> h = Hierarchy(
    ...     pd.DataFrame({"code": ["P1", "P2", "R", "a", "b"],
    ...                   "level": ["province", "province", "res_region", "municipality",
    ...                             "municipality"]}),
    ...     pd.DataFrame({"code": ["a", "b", "a", "b"], "parent_code": ["R", "R", "P1", "P2"]}))
    >>> ranks = {"province": 1, "res_region": 2, "municipality": 3}
    >>> rollup({"R": 10.0}, "province", h, ranks, {"a": 1, "b": 4}).tolist()
    [2.0, 8.0]
    """
    target_rank = ranks.get(level)
    out = {}
    for region in hierarchy.at_level(level):
        total = 0.0
        for code, value in values.items():
            if code not in hierarchy.level:
                continue
            r = rank_of(hierarchy, ranks, code)
            if code != region and (r is None or target_rank is None or r < target_rank):
                continue
            total += float(value) * hierarchy.share(code, region, key)
        out[region] = total
    return pd.Series(out, dtype=float)
