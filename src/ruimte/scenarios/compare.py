# SPDX-License-Identifier: Apache-2.0
"""Compare two scenarios: claims added, removed and changed; indicators; stored allocations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ruimte.governance.gaps import claim_values
from ruimte.governance.quantities import UnitMismatchError, hectares
from ruimte.names import key_part
from ruimte.scenarios.tree import assumptions as scenario_assumptions
from ruimte.scenarios.tree import lineage
from ruimte.vocab import Vocabulary

if TYPE_CHECKING:
    from ruimte.workspace import Workspace

#: the fields whose change makes a claim "changed"
FIELDS = ("function", "quantity", "unit", "region_code", "status", "horizon_year", "geometry")


def _identity(claims: pd.DataFrame) -> pd.Series:
    """Return each claim's identity across scenarios: the claim it replaces, else its own id."""
    if "replaces" in claims:
        return claims["replaces"].where(claims["replaces"].notna(), claims["claim_id"])
    return claims["claim_id"]


def _same(a: Any, b: Any) -> bool:
    if hasattr(a, "equals") and hasattr(b, "equals") and a is not None and b is not None:
        return bool(a.equals(b))
    if a is None or (isinstance(a, float) and np.isnan(a)) or a is pd.NA:
        return b is None or (isinstance(b, float) and np.isnan(b)) or b is pd.NA
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def compare_claims(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Return ``claim``, ``change`` (added, removed, changed) and ``fields`` between claim sets.

    Examples
    --------
    >>> a = pd.DataFrame({"claim_id": ["C1", "C2"], "function": ["housing", "solar_field"],
    ...                   "quantity": [10.0, 5.0]})
    >>> b = pd.DataFrame({"claim_id": ["C1", "C3"], "function": ["housing", "solar_field"],
    ...                   "quantity": [12.0, 1.0]})
    >>> compare_claims(a, b)[["claim", "change", "fields"]].values.tolist()
    [['C1', 'changed', 'quantity'], ['C2', 'removed', ''], ['C3', 'added', '']]
    """
    ka = dict(zip(_identity(a), range(len(a)), strict=True))
    kb = dict(zip(_identity(b), range(len(b)), strict=True))
    rows = []
    for key in sorted(set(ka) | set(kb)):
        if key not in kb:
            rows.append({"claim": key, "change": "removed", "fields": ""})
        elif key not in ka:
            rows.append({"claim": key, "change": "added", "fields": ""})
        else:
            ra, rb = a.iloc[ka[key]], b.iloc[kb[key]]
            diff = [f for f in FIELDS if f in a and f in b and not _same(ra[f], rb[f])]
            if diff:
                rows.append({"claim": key, "change": "changed", "fields": ", ".join(diff)})
    return pd.DataFrame(rows, columns=["claim", "change", "fields"])


def indicators(
    claims: pd.DataFrame, vocab: Vocabulary, assumptions: Mapping[str, Any]
) -> dict[str, Any]:
    """Return hectares per transition, new renewable TWh/yr and homes of a claim set.

    Located polygon claims count their area; other claims their quantity
    converted to land with the function's space use (and the scenario's assumptions).
    """
    claims = claims.reset_index(drop=True)
    if "removed" in claims:
        claims = claims[~claims["removed"].map(lambda v: v is True or v == 1)].reset_index(
            drop=True
        )
    area = np.zeros(len(claims))
    for i, c in enumerate(claims.itertuples(index=False)):
        geom = getattr(c, "geometry", None)
        if geom is not None and not geom.is_empty and geom.geom_type in ("Polygon", "MultiPolygon"):
            area[i] = geom.area / 10_000.0
            continue
        try:
            area[i] = hectares(vocab, c.function, float(c.quantity), str(c.unit), assumptions)
        except (UnitMismatchError, TypeError, ValueError):
            area[i] = 0.0
    per_transition = pd.Series(area).groupby(claims["transition"].to_numpy()).sum()
    energy_fns = [f.id for f in vocab.functions.values() if f.transition == "energy"]
    twh = claim_values(claims, "TWh/yr", energy_fns, vocab, assumptions).sum()
    homes = claim_values(claims, "homes", ["housing"], vocab, assumptions).sum()
    return {
        "claims": len(claims),
        "ha_per_transition": {str(k): round(float(v), 2) for k, v in per_transition.items()},
        "twh_per_year": round(float(twh), 4),
        "homes": round(float(homes), 1),
    }


def _allocation_summary(ws: Workspace, scenario: str) -> dict[str, Any] | None:
    try:
        record = ws.result(f"allocation_{key_part(scenario)}")  # type: ignore[attr-defined]
    except Exception:  # no results API yet, or no allocation stored for the scenario
        return None
    summary = getattr(record, "summary", None) or {}
    best = summary.get("weight_sets", {}).get("compromise")
    return best if isinstance(best, dict) else None


def compare_scenarios(ws: Workspace, a: str, b: str) -> dict[str, Any]:
    """Compare scenarios ``a`` and ``b``: claims, indicators and their stored allocations."""
    scenarios = ws.scenarios()
    lineage(scenarios, a)
    lineage(scenarios, b)
    ca, cb = ws.claims(a), ws.claims(b)
    diff = compare_claims(ca, cb)
    ind = {
        name: indicators(claims, ws.vocabulary, scenario_assumptions(scenarios, name))
        for name, claims in ((a, ca), (b, cb))
    }
    alloc = {name: _allocation_summary(ws, name) for name in (a, b)}
    return {
        "a": a,
        "b": b,
        "claims": diff.to_dict(orient="records"),
        "claims_counts": diff["change"].value_counts().to_dict(),
        "indicators": ind,
        "allocation": alloc,
    }
