# SPDX-License-Identifier: Apache-2.0
"""The scenario tree: branch a scenario from another, list the tree, resolve inheritance.

A child inherits its parent's claims (resolved by ``ws.claims(scenario)``),
targets and assumptions, and overrides some: a target of the child replaces
the parent's target for the same region, transition, function and horizon
year; an assumption of the child replaces the parent's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ruimte.errors import RuimteError, did_you_mean

if TYPE_CHECKING:
    from ruimte.workspace import Workspace


class ScenarioError(RuimteError, ValueError):
    """A scenario is unknown, exists already, or the tree has a cycle."""


def _parents(scenarios: pd.DataFrame) -> dict[str, str | None]:
    return {
        str(n): (None if p is None or (isinstance(p, float) and pd.isna(p)) else str(p))
        for n, p in zip(scenarios["name"], scenarios["parent"], strict=True)
    }


def lineage(scenarios: pd.DataFrame, name: str) -> list[str]:
    """Return ``[name, parent, grandparent, ...]``.

    Raises
    ------
    ScenarioError
        If ``name`` is unknown (with a did-you-mean hint) or the tree has a cycle.

    Examples
    --------
    >>> s = pd.DataFrame(
    ...     {"name": ["basis", "ambitie", "extra"], "parent": [None, "basis", "ambitie"]}
    ... )
    >>> lineage(s, "extra")
    ['extra', 'ambitie', 'basis']
    """
    parents = _parents(scenarios)
    if name not in parents:
        raise ScenarioError(f"no scenario named {name!r}. {did_you_mean(name, parents)}")
    chain: list[str] = []
    current: str | None = name
    while current is not None:
        if current in chain:
            raise ScenarioError(f"scenario {name!r}: the parent links form a cycle ({chain}).")
        chain.append(current)
        current = parents.get(current)
    return chain


def assumptions(scenarios: pd.DataFrame, name: str) -> dict[str, Any]:
    """Return the scenario's assumptions with inherited values filled in from its ancestors."""
    table = scenarios.set_index("name")
    merged: dict[str, Any] = {}
    for scenario in reversed(lineage(scenarios, name)):
        own = table.at[scenario, "assumptions"] if "assumptions" in table else None
        if isinstance(own, Mapping):
            merged.update(own)
    return merged


def scenario_targets(targets: pd.DataFrame, scenarios: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return the targets that apply in scenario ``name``.

    Targets without a scenario apply everywhere; a target of the scenario or a
    closer ancestor replaces one for the same region, transition, function
    and horizon year from a farther ancestor or from no scenario.
    """
    chain = lineage(scenarios, name)
    rank = {s: i for i, s in enumerate(chain)}
    scen = targets["scenario"].where(targets["scenario"].notna(), None)
    keep = scen.isna() | scen.isin(chain)
    frame = targets[keep].copy()
    frame["_rank"] = [rank.get(s, len(chain)) if s else len(chain) for s in scen[keep]]
    key = ["region_code", "transition", "function", "horizon_year"]
    filled = frame[key].astype(object).where(frame[key].notna(), "").astype(str)
    closest = frame.groupby([filled[c] for c in key])["_rank"].transform("min")
    frame = frame[frame["_rank"] == closest]  # several targets of the same scenario all stay
    return frame.drop(columns="_rank").sort_values("target_id").reset_index(drop=True)


def tree_rows(scenarios: pd.DataFrame) -> list[tuple[int, str, str]]:
    """Return ``(depth, name, description)`` in tree order (parents before children)."""
    parents = _parents(scenarios)
    desc = dict(zip(scenarios["name"], scenarios["description"].fillna(""), strict=True))
    kids: dict[str | None, list[str]] = {}
    for n, p in parents.items():
        kids.setdefault(p if p in parents else None, []).append(n)
    out: list[tuple[int, str, str]] = []

    def walk(node: str | None, depth: int) -> None:
        for child in sorted(kids.get(node, [])):
            out.append((depth, child, str(desc.get(child, ""))))
            walk(child, depth + 1)

    walk(None, 0)
    return out


def create_scenario(
    ws: Workspace, name: str, *, parent: str | None = None, description: str = ""
) -> dict[str, Any]:
    """Branch a new scenario from ``parent`` (or a root scenario), copying its assumptions.

    The child starts with its parent's effective assumptions and a parent
    link; its claims and targets are inherited through the link, not copied.

    Raises
    ------
    ScenarioError
        If the name exists already or the parent is unknown.
    """
    scenarios = ws.scenarios()
    names = set(scenarios["name"])
    if name in names:
        raise ScenarioError(
            f"{ws.path}: a scenario named {name!r} exists already. Pick another name."
        )
    inherited: dict[str, Any] = {}
    if parent is not None:
        if parent not in names:
            raise ScenarioError(
                f"{ws.path}: no scenario named {parent!r} to branch from. "
                f"{did_you_mean(parent, names)}"
            )
        inherited = assumptions(scenarios, parent)
    row = {"name": name, "parent": parent, "description": description, "assumptions": inherited}
    ws.add_scenarios(pd.DataFrame([row]))
    return row
