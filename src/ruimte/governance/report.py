# SPDX-License-Identifier: Apache-2.0
"""The workspace edge of governance: read regions, targets, claims and plans; report the gaps."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ruimte.errors import did_you_mean
from ruimte.governance.cascade import CascadeError, cascade
from ruimte.governance.claim_regions import claim_regions
from ruimte.governance.gaps import gap_report, plan_issues
from ruimte.governance.hierarchy import Hierarchy, workspace_hierarchy
from ruimte.scenarios.tree import assumptions as scenario_assumptions
from ruimte.scenarios.tree import scenario_targets

if TYPE_CHECKING:
    from ruimte.workspace import Workspace


@dataclass
class GapReport:
    """The gap report of one scenario: one row per target, and the plans flagged."""

    scenario: str
    gaps: pd.DataFrame
    plans: pd.DataFrame
    #: claims with neither a geometry inside a region nor a region code (count nowhere)
    unassigned: list[str] = field(default_factory=list)
    #: located claims whose region code disagrees with where their geometry lies
    mismatches: list[dict[str, object]] = field(default_factory=list)


def area_key(ws: Workspace) -> dict[str, float]:
    """Return leaf region -> area (ha), the default key for splitting straddling regions."""
    regions = ws.regions()
    return dict(zip(regions["code"], regions.geometry.area / 10_000.0, strict=True))


def attribute_key(ws: Workspace, name: str) -> dict[str, float | None]:
    """Return region code -> the value of a region attribute (None where unknown).

    Parameters
    ----------
    ws : Workspace
    name : str
        An attribute the regions carry (kept from their source file on import,
        e.g. ``population`` with ``--attribute population=inwoners_2024``).

    Returns
    -------
    dict
        A number per region that carries the attribute, None for one that does not.

    Raises
    ------
    CascadeError
        If no region carries the attribute, or a value is not a number.
    """
    regions = ws.regions()
    values: dict[str, float | None] = {}
    carried: set[str] = set()
    for code, text in zip(regions["code"], regions.get("attributes", [None] * len(regions)),
                          strict=True):  # fmt: skip
        attributes = json.loads(text) if isinstance(text, str) and text else {}
        carried |= set(attributes)
        value = attributes.get(name)
        if value is None or value == "":
            values[code] = None
            continue
        try:
            values[code] = float(str(value).replace(",", "."))
        except ValueError:
            raise CascadeError(
                f"region {code}: attribute {name!r} is {value!r}, not a number."
            ) from None
    if all(v is None for v in values.values()):
        hint = did_you_mean(name, sorted(carried)) if carried else ""
        raise CascadeError(
            f"key {name!r}: no region carries an attribute {name!r}"
            + (f" (they carry {', '.join(sorted(carried)[:12])})" if carried else "")
            + f". {hint + ' ' if hint else ''}Import the regions with --attribute "
            f"{name}=COLUMN, or pass a CSV with code,value (--key-file)."
        )
    return values


def hierarchy_of(ws: Workspace) -> Hierarchy:
    """Return the workspace's region hierarchy."""
    return workspace_hierarchy(ws.regions(), ws.region_parents())


def workspace_gaps(
    ws: Workspace,
    scenario: str = "basis",
    *,
    level: str | None = None,
    today: dt.date | None = None,
) -> GapReport:
    """Return the gap report of ``scenario`` and the plans that are late or contradict."""
    if level is not None:
        ws.vocabulary.check_level(level)
    scenarios = ws.scenarios()
    hierarchy = hierarchy_of(ws)
    targets = scenario_targets(ws.targets(), scenarios, scenario)
    claims, regions = ws.claims(scenario), ws.regions()
    gaps = gap_report(
        targets,
        claims,
        hierarchy,
        ws.vocabulary,
        area_key(ws),
        assumptions=scenario_assumptions(scenarios, scenario),
        level=level,
        regions=regions,
    )
    ranks = {lv.id: lv.rank for lv in ws.vocabulary.levels.values()}
    issues = plan_issues(ws.plans(), claims, hierarchy, ranks, today=today)
    placed = claim_regions(claims.reset_index(drop=True), regions, hierarchy)
    return GapReport(
        scenario=scenario,
        gaps=gaps,
        plans=issues,
        unassigned=placed.unassigned,
        mismatches=placed.mismatches,
    )


def workspace_cascade(
    ws: Workspace,
    target_id: str,
    level: str,
    key: str = "area",
    key_values: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Split a stored target over the regions of ``level`` by area, equal shares or given values."""
    targets = ws.targets()
    row = targets[targets["target_id"] == target_id]
    if row.empty:
        raise CascadeError(
            f"no target {target_id!r}. {did_you_mean(target_id, targets['target_id'])}"
        )
    t = row.iloc[0]
    ws.vocabulary.check_level(level)
    weights: dict[str, float] | str
    if key_values is not None:
        weights = key_values
    elif key == "area":
        weights = area_key(ws)
    elif key == "equal":
        weights = "equal"
    elif key == "eligible":
        raise CascadeError(
            f"key {key!r} needs a value per municipality: pass a CSV with code,value "
            f"(eligible hectares from `ruimte eligibility`)."
        )
    else:
        weights = attribute_key(ws, key)
    out = cascade(
        float(t["quantity"]),
        str(t["region_code"]),
        level,
        hierarchy_of(ws),
        weights,
        key_name=key if key_values is None else f"the key file's value ({key})",
    )
    out.insert(0, "target_id", target_id)
    out["unit"] = t["unit"]
    return out
