# SPDX-License-Identifier: Apache-2.0
"""The region hierarchy as a graph in which a region may have several parents.

Municipalities are the leaves: they tile the country and each lies in exactly
one province and one RES region. A higher region is known by the set of
leaves under it, through any parent link. The RES region Foodvalley lies in
two provinces (Gelderland and Utrecht): its leaves split between them, so a
quantity of Foodvalley is attributed to each province by the share of the
chosen key (area, population, ...) of its leaves in that province. Those
shares add up to 1 for every region, so rolling up never counts a quantity
twice and never loses one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

import pandas as pd

from ruimte.errors import RuimteError, did_you_mean


class HierarchyError(RuimteError, ValueError):
    """The region hierarchy is broken (a cycle) or a region is unknown."""


class Hierarchy:
    """Regions and their (possibly several) parents.

    Parameters
    ----------
    regions : DataFrame
        ``code`` and ``level`` of every region.
    links : DataFrame
        ``code``, ``parent_code``: one row per (region, parent) link.

    Examples
    --------
    >>> regions = pd.DataFrame({"code": ["NL", "P1", "P2", "R", "a", "b"],
    ...     "level": ["national", "province", "province", "res_region", "municipality",
    ...               "municipality"]})
    >>> links = pd.DataFrame({"code": ["P1", "P2", "R", "a", "b", "a", "b"],
    ...     "parent_code": ["NL", "NL", "NL", "R", "R", "P1", "P2"]})
    >>> h = Hierarchy(regions, links)
    >>> sorted(h.leaves("R")), h.share("R", "P1", {"a": 3, "b": 1})
    (['a', 'b'], 0.75)
    """

    def __init__(self, regions: pd.DataFrame, links: pd.DataFrame) -> None:
        self.level: dict[str, str] = dict(zip(regions["code"], regions["level"], strict=True))
        self.parents: dict[str, set[str]] = {c: set() for c in self.level}
        self.children: dict[str, set[str]] = {c: set() for c in self.level}
        for code, parent in zip(links["code"], links["parent_code"], strict=True):
            if code in self.level and parent in self.level and code != parent:
                self.parents[code].add(parent)
                self.children[parent].add(code)
        self._check_acyclic()

    def _check_acyclic(self) -> None:
        state: dict[str, int] = {}
        for start in self.level:
            stack = [(start, iter(sorted(self.children[start])))]
            if state.get(start):
                continue
            state[start] = 1
            while stack:
                node, it = stack[-1]
                child = next(it, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    raise HierarchyError(
                        f"regions: {child!r} is its own ancestor (through {node!r}). "
                        f"Fix the parent_code of one of them."
                    )
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(sorted(self.children[child]))))

    def check(self, code: str) -> str:
        """Return ``code`` if the region exists; raise naming close codes otherwise."""
        if code not in self.level:
            raise HierarchyError(f"no region {code!r}. {did_you_mean(str(code), self.level)}")
        return code

    def descendants(self, code: str) -> set[str]:
        """Return the region and every region below it."""
        seen, todo = {self.check(code)}, [code]
        while todo:
            for child in self.children[todo.pop()]:
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen

    @cached_property
    def _leaves(self) -> dict[str, frozenset[str]]:
        return {
            c: frozenset(d for d in self.descendants(c) if not self.children[d]) for c in self.level
        }

    def leaves(self, code: str) -> frozenset[str]:
        """Return the leaf regions (municipalities) under ``code``, itself if it is a leaf."""
        return self._leaves[self.check(code)]

    def share(self, child: str, parent: str, key: Mapping[str, float]) -> float:
        """Return the share of ``child`` (by ``key`` over its leaves) that lies in ``parent``."""
        mine = self.leaves(child)
        total = sum(float(key.get(leaf, 0.0)) for leaf in mine)
        if total <= 0:
            return 0.0
        inside = mine & self.leaves(parent)
        return sum(float(key.get(leaf, 0.0)) for leaf in inside) / total

    def at_level(self, level: str) -> list[str]:
        """Return the codes of the regions of ``level``, sorted."""
        return sorted(c for c, lv in self.level.items() if lv == level)

    def regions_of(self, codes: Iterable[str]) -> dict[str, str]:
        """Return leaf -> region for each leaf under one of ``codes`` (the first wins)."""
        out: dict[str, str] = {}
        for code in codes:
            for leaf in self.leaves(code):
                out.setdefault(leaf, code)
        return out


def workspace_hierarchy(regions: pd.DataFrame, links: pd.DataFrame) -> Hierarchy:
    """Build a :class:`Hierarchy` from ``ws.regions()`` and ``ws.region_parents()``."""
    return Hierarchy(pd.DataFrame(regions[["code", "level"]]), links)
