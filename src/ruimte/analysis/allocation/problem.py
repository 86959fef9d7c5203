# SPDX-License-Identifier: Apache-2.0
"""The allocation problem as plain arrays: land units, items to place, targets, criteria.

A *unit* is a piece of candidate land with one existing use: the part of a
grid cell (or a parcel) under one land-use class. An *item* is something to
place: a not-yet-located claim (exactly its hectares) or a target top-up
(any hectares of a function that counts towards a target). Everything the
solver needs is here; :mod:`~ruimte.analysis.allocation.model` turns it into
a linear programme.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ruimte.errors import RuimteError


class AllocationInputError(RuimteError, ValueError):
    """The allocation problem is malformed: names the item, unit or criterion and the fix."""


@dataclass(frozen=True)
class Problem:
    """Everything an allocation needs, as arrays.

    Attributes
    ----------
    area_ha : numpy.ndarray
        Land of each unit, shape ``(n_units,)``.
    functions : tuple of str
        The functions that can be placed (columns of ``available`` and the criteria).
    available : numpy.ndarray
        Bool ``(n_units, n_functions)``: the function may go on the unit (the
        existing use shares land with it or may be converted, and the unit is
        not locked out).
    criteria : mapping of str to numpy.ndarray
        Criterion -> cost per hectare ``(n_units, n_functions)``, each in [0, 1].
    items : DataFrame
        ``item_id``, ``function``, ``min_ha``, ``max_ha`` (``inf`` for no
        limit), ``kind`` (``claim`` or ``top_up``), ``ref`` (claim or target id).
    item_mask : numpy.ndarray
        Bool ``(n_items, n_units)``: the units inside the item's region.
    targets : DataFrame
        ``target_id``, ``need`` (still to find, in the target's ``unit``), ``unit``.
    target_mask : numpy.ndarray
        Bool ``(n_targets, n_units)``: the units inside the target's region.
    target_yield : numpy.ndarray
        ``(n_targets, n_items)``: target units per hectare of the item (0 when
        the item does not count towards the target).
    shared : frozenset of frozenset of str
        Function pairs that may use the same land (land counts once).
    locked_in : DataFrame
        ``unit``, ``function``, ``ha``: land that must go to a function.
    """

    area_ha: np.ndarray
    functions: tuple[str, ...]
    available: np.ndarray
    criteria: Mapping[str, np.ndarray]
    items: pd.DataFrame
    item_mask: np.ndarray
    targets: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["target_id", "need", "unit"])
    )
    target_mask: np.ndarray | None = None
    target_yield: np.ndarray | None = None
    shared: frozenset[frozenset[str]] = frozenset()
    locked_in: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["unit", "function", "ha"])
    )

    @property
    def n_units(self) -> int:
        """Number of land units."""
        return len(self.area_ha)

    def validate(self) -> None:
        """Check shapes and names; raise :class:`AllocationInputError` naming the problem."""
        n, m = self.n_units, len(self.functions)
        if self.available.shape != (n, m):
            raise AllocationInputError(
                f"available has shape {self.available.shape}; expected {(n, m)} (units, functions)."
            )
        for name, values in self.criteria.items():
            if np.shape(values) != (n, m):
                raise AllocationInputError(
                    f"criterion {name!r} has shape {np.shape(values)}; expected {(n, m)}."
                )
        unknown = set(self.items["function"]) - set(self.functions)
        if unknown:
            raise AllocationInputError(
                f"items name functions {sorted(unknown)} that are not among the problem's "
                f"functions {list(self.functions)}."
            )
        if self.item_mask.shape != (len(self.items), n):
            raise AllocationInputError(
                f"item_mask has shape {self.item_mask.shape}; expected {(len(self.items), n)}."
            )
        bad = self.items[self.items["min_ha"] > self.items["max_ha"]]
        if not bad.empty:
            raise AllocationInputError(f"item {bad['item_id'].iloc[0]!r}: min_ha exceeds max_ha.")

    def cliques(self) -> list[tuple[int, ...]]:
        """Return the maximal sets of functions that cannot share land, as function indices.

        In each unit the hectares of the functions in one such set add up to
        at most the unit's area; functions that may share land stack.
        """
        return exclusive_cliques(self.functions, self.shared)


def exclusive_cliques(
    functions: Iterable[str], shared: frozenset[frozenset[str]]
) -> list[tuple[int, ...]]:
    """Return the maximal cliques of the "cannot share land" graph, as index tuples.

    Two different functions conflict unless their pair is in ``shared``; a
    function always conflicts with itself (two solar claims do not overlap).

    Examples
    --------
    >>> exclusive_cliques(["solar", "wind", "housing"], frozenset({frozenset({"solar", "wind"})}))
    [(0, 2), (1, 2)]
    """
    names = list(functions)
    m = len(names)
    if m > 16:
        raise AllocationInputError(
            f"{m} functions in one allocation; at most 16 compete for land in one run. "
            f"Split the run by transition."
        )

    def conflict(i: int, j: int) -> bool:
        return frozenset({names[i], names[j]}) not in shared

    found: list[tuple[int, ...]] = []
    for size in range(m, 0, -1):
        for combo in itertools.combinations(range(m), size):
            if any(set(combo) <= set(c) for c in found):
                continue
            if all(conflict(i, j) for i, j in itertools.combinations(combo, 2)):
                found.append(combo)
    return sorted(found)
