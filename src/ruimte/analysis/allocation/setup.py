# SPDX-License-Identifier: Apache-2.0
"""Turn claims and targets into allocation items, target rows and region masks (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ruimte.analysis.allocation.criteria import function_params
from ruimte.governance.hierarchy import Hierarchy
from ruimte.governance.quantities import (
    UnitMismatchError,
    contributing_functions,
    hectares,
    per_hectare,
)
from ruimte.vocab import Vocabulary


def unlocated(claims: pd.DataFrame) -> pd.Series:
    """Return a bool mask of the claims without a geometry (not yet located)."""
    geom = claims.geometry if hasattr(claims, "geometry") else pd.Series(None, index=claims.index)
    missing = geom.isna() | geom.is_empty if hasattr(geom, "is_empty") else geom.isna()
    removed = (
        claims["removed"].map(lambda v: v is True or v == 1).astype(bool)
        if "removed" in claims
        else False
    )
    return missing & ~removed


def claim_items(
    claims: pd.DataFrame, vocab: Vocabulary, assumptions: Mapping[str, Any]
) -> tuple[pd.DataFrame, list[str]]:
    """Return one item per not-yet-located claim (its hectares), and notes on claims skipped."""
    rows, notes = [], []
    for c in claims[unlocated(claims)].itertuples(index=False):
        try:
            ha = hectares(
                vocab,
                c.function,
                float(c.quantity),
                str(c.unit),
                assumptions,
                what=f"claim {c.claim_id}",
            )
        except UnitMismatchError as exc:
            notes.append(f"{exc} Not placed.")
            continue
        rows.append(
            {
                "item_id": str(c.claim_id),
                "function": c.function,
                "min_ha": ha,
                "max_ha": ha,
                "kind": "claim",
                "ref": str(c.claim_id),
                "region_code": c.region_code,
            }
        )
    return pd.DataFrame(rows, columns=_ITEM_COLUMNS), notes


_ITEM_COLUMNS = ["item_id", "function", "min_ha", "max_ha", "kind", "ref", "region_code"]


def located_contribution(
    target: Any,
    claims: pd.DataFrame,
    hierarchy: Hierarchy,
    vocab: Vocabulary,
    assumptions: Mapping[str, Any],
    functions: list[str],
) -> float:
    """Return what the located claims in the target's region already deliver, in its unit."""
    inside = hierarchy.descendants(target.region_code)
    located = claims[~unlocated(claims) & claims["region_code"].isin(inside)]
    located = located[located["function"].isin(functions)]
    total = 0.0
    for c in located.itertuples(index=False):
        try:
            ha = hectares(vocab, c.function, float(c.quantity), str(c.unit), assumptions)
        except UnitMismatchError:
            continue
        total += ha * (per_hectare(vocab, c.function, target.unit, assumptions) or 0.0)
    return total


def target_rows(
    targets: pd.DataFrame,
    claims: pd.DataFrame,
    hierarchy: Hierarchy,
    vocab: Vocabulary,
    assumptions: Mapping[str, Any],
    *,
    top_up: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[str]]]:
    """Return (targets still to meet, top-up items, target -> contributing functions).

    Raises
    ------
    UnitMismatchError
        If a target's unit does not fit its function or transition.
    """
    params = function_params()
    rows, items, contrib = [], [], {}
    for t in targets.itertuples(index=False):
        fns = contributing_functions(
            vocab,
            unit=t.unit,
            function=t.function or None,
            transition=t.transition or None,
            what=f"target {t.target_id} ({t.region_code})",
        )
        contrib[str(t.target_id)] = fns
        done = located_contribution(t, claims, hierarchy, vocab, assumptions, fns)
        need = float(t.quantity) - done
        rows.append(
            {
                "target_id": str(t.target_id),
                "region_code": t.region_code,
                "unit": t.unit,
                "quantity": float(t.quantity),
                "located": done,
                "need": max(need, 0.0),
            }
        )
        if not top_up or need <= 0:
            continue
        for fn in fns:
            top = params["top_up_for"].get(fn) if fn in params.index else None
            if isinstance(top, str) and top in (t.transition, t.function):
                items.append(
                    {
                        "item_id": f"{t.target_id}:{fn}",
                        "function": fn,
                        "min_ha": 0.0,
                        "max_ha": np.inf,
                        "kind": "top_up",
                        "ref": str(t.target_id),
                        "region_code": t.region_code,
                    }
                )
    return pd.DataFrame(rows), pd.DataFrame(items, columns=_ITEM_COLUMNS), contrib


def region_masks(codes: list[str], hierarchy: Hierarchy, unit_leaf: np.ndarray) -> np.ndarray:
    """Return bool ``(len(codes), n_units)``: the units whose leaf region lies in each region."""
    out = np.zeros((len(codes), len(unit_leaf)), dtype=bool)
    for i, code in enumerate(codes):
        out[i] = np.isin(unit_leaf, sorted(hierarchy.leaves(code)))
    return out


def yield_matrix(
    targets: pd.DataFrame,
    items: pd.DataFrame,
    contrib: Mapping[str, list[str]],
    vocab: Vocabulary,
    assumptions: Mapping[str, Any],
) -> np.ndarray:
    """Return ``(n_targets, n_items)``: target units per hectare of each item."""
    out = np.zeros((len(targets), len(items)))
    for i, t in enumerate(targets.itertuples(index=False)):
        for k, fn in enumerate(items["function"]):
            if fn in contrib[t.target_id]:
                out[i, k] = per_hectare(vocab, fn, t.unit, assumptions) or 0.0
    return out
