# SPDX-License-Identifier: Apache-2.0
"""The outcome of one allocation run: placements, targets met, cost per criterion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ruimte.analysis.allocation.model import Model

#: hectares below this count as nothing placed
TOLERANCE_HA = 1e-6


@dataclass
class Allocation:
    """One allocation: where each item went, which targets are met, what it costs.

    Attributes
    ----------
    status : str
        ``"optimal"``; ``"infeasible"`` (``unmet`` says why; the placements
        come as close as the land allows); or a solver status.
    placements : DataFrame
        ``unit``, ``item_id``, ``function``, ``ha`` (rows with land only).
    items : DataFrame
        Per item: ``min_ha``, ``placed_ha``, ``shortfall_ha``.
    targets : DataFrame
        Per target: ``need``, ``achieved``, ``shortfall``, ``met``, ``binding``
        (the target raises the cost: its dual value is positive).
    criteria : dict of str to float
        Unweighted total of each criterion (sum of value per ha times ha).
    cost : float
        The weighted objective.
    unmet : list of str
        One sentence per target or claim that cannot be met.
    land : numpy.ndarray
        Hectares per (unit, function), shape ``(n_units, n_functions)``.
    """

    status: str
    placements: pd.DataFrame
    items: pd.DataFrame
    targets: pd.DataFrame
    criteria: dict[str, float]
    cost: float
    unmet: list[str] = field(default_factory=list)
    land: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    @property
    def ok(self) -> bool:
        """True when every claim is placed and every target met."""
        return self.status == "optimal"

    def summary(self) -> dict[str, Any]:
        """Return JSON-able headline figures."""
        per_fn = self.placements.groupby("function")["ha"].sum() if len(self.placements) else {}
        return {
            "status": self.status,
            "cost": round(float(self.cost), 3),
            "criteria": {k: round(v, 3) for k, v in self.criteria.items()},
            "hectares": {str(k): round(float(v), 2) for k, v in dict(per_fn).items()},
            "targets_met": int(self.targets["met"].sum()) if len(self.targets) else 0,
            "targets": len(self.targets),
            "unmet": list(self.unmet),
        }


def make_result(
    model: Model,
    x: np.ndarray,
    duals: np.ndarray | None,
    *,
    status: str,
    slack: np.ndarray | None = None,
    cost: np.ndarray | None = None,
) -> Allocation:
    """Turn a solution vector into an :class:`Allocation`."""
    problem = model.problem
    items = problem.items.reset_index(drop=True).copy()
    x = np.where(x > TOLERANCE_HA, x, 0.0)
    placed = np.bincount(model.col_item, weights=x, minlength=len(items))
    items["placed_ha"] = placed
    items["shortfall_ha"] = np.maximum(items["min_ha"].to_numpy(float) - placed, 0.0)
    targets = problem.targets.reset_index(drop=True).copy()
    if len(targets):
        achieved = (model.matrix[model.n_item_rows : model.n_item_rows + len(targets)] @ x).ravel()
        targets["achieved"] = achieved
        need = targets["need"].to_numpy(float)
        targets["shortfall"] = np.maximum(need - achieved, 0.0)
        targets["met"] = achieved >= need - 1e-6 * np.maximum(np.abs(need), 1.0)
        if duals is not None and len(duals):
            row = duals[model.n_item_rows : model.n_item_rows + len(targets)]
            targets["binding"] = np.abs(row) > 1e-9
        else:
            targets["binding"] = ~targets["met"]
    else:
        targets = targets.assign(achieved=[], shortfall=[], met=[], binding=[])
    nz = np.flatnonzero(x)
    placements = pd.DataFrame(
        {
            "unit": model.col_unit[nz],
            "item_id": items["item_id"].to_numpy()[model.col_item[nz]],
            "function": np.asarray(problem.functions, dtype=object)[model.col_function[nz]],
            "ha": x[nz],
        }
    )
    criteria = {name: float(model.criterion_columns(name) @ x) for name in problem.criteria}
    land = np.zeros((problem.n_units, len(problem.functions)))
    np.add.at(land, (model.col_unit[nz], model.col_function[nz]), x[nz])
    total = float(cost @ x) if cost is not None else float("nan")
    return Allocation(
        status=status,
        placements=placements,
        items=items,
        targets=targets,
        criteria=criteria,
        cost=total,
        unmet=_unmet_sentences(items, targets) if status != "optimal" else [],
        land=land,
    )


def _unmet_sentences(items: pd.DataFrame, targets: pd.DataFrame) -> list[str]:
    out = []
    for t in targets.itertuples(index=False):
        if not t.met:
            where = f" in {t.region_code}" if getattr(t, "region_code", None) else ""
            out.append(
                f"target {t.target_id} ({t.need:.4g} {t.unit}{where} still to find): "
                f"{t.shortfall:.4g} {t.unit} short. Add candidate land (unlock areas, allow "
                f"shared use), add claims, or lower the target."
            )
    for it in items.itertuples(index=False):
        if it.shortfall_ha > 1e-6 * max(it.min_ha, 1.0):
            where = f" in {it.region_code}" if getattr(it, "region_code", None) else ""
            out.append(
                f"{it.kind} {it.ref} ({it.min_ha:.4g} ha {it.function}{where}): "
                f"{it.shortfall_ha:.4g} ha could not be placed. Free land in the region or "
                f"reduce the claim."
            )
    return out
