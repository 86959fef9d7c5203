# SPDX-License-Identifier: Apache-2.0
"""Weight sets per stakeholder group, their compromise, and how far each group is from it.

A weight set maps criteria (``data/criteria.csv``) to non-negative weights.
Sets come from a CSV (``weight_set,criterion,weight[,group]``) or YAML file
(``{set: {criterion: weight}}``), from the workspace's ``weights`` table, or
from the demo sets shipped in ``data/weights.csv``. The compromise is the mean
of the sets after scaling each to sum 1, so no group counts more by using
bigger numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ruimte.analysis.allocation.criteria import _csv, criteria_table
from ruimte.analysis.allocation.result import Allocation
from ruimte.errors import RuimteError, did_you_mean

WeightSets = dict[str, dict[str, float]]
COMPROMISE = "compromise"


class WeightFileError(RuimteError, ValueError):
    """A weight file is unreadable or names unknown criteria; names the file and the entry."""


def default_weight_sets() -> WeightSets:
    """Return the demo weight sets shipped in ``data/weights.csv``."""
    return frame_to_sets(_csv("weights.csv"), source="ruimte/analysis/allocation/data/weights.csv")


def frame_to_sets(frame: pd.DataFrame, *, source: str) -> WeightSets:
    """Turn rows ``weight_set, criterion, weight`` into checked weight sets."""
    missing = {"weight_set", "criterion", "weight"} - set(frame.columns)
    if missing:
        raise WeightFileError(
            f"{source}: missing column(s) {sorted(missing)}; a weight table needs "
            f"weight_set, criterion and weight."
        )
    sets: WeightSets = {}
    for rec in frame.itertuples(index=False):
        sets.setdefault(str(rec.weight_set), {})[str(rec.criterion)] = rec.weight
    return check_weight_sets(sets, source=source)


def read_weight_file(path: str | Path) -> WeightSets:
    """Read weight sets from a CSV or YAML file.

    Raises
    ------
    WeightFileError
        If the file is missing, unreadable, or names an unknown criterion
        (with a did-you-mean hint) or a negative or non-numeric weight.
    """
    path = Path(path)
    if not path.is_file():
        raise WeightFileError(f"{path}: no such weight file.")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
                raise WeightFileError(
                    f"{path}: expected a mapping of weight set -> {{criterion: weight}}."
                )
            return check_weight_sets({str(k): dict(v) for k, v in data.items()}, source=str(path))
        return frame_to_sets(pd.read_csv(path), source=str(path))
    except (yaml.YAMLError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise WeightFileError(f"{path}: cannot be read as CSV or YAML ({exc}).") from None


def check_weight_sets(sets: Mapping[str, Mapping[str, object]], *, source: str) -> WeightSets:
    """Return the sets with float weights; raise naming ``source`` for unknown criteria."""
    known = list(criteria_table()["criterion"])
    out: WeightSets = {}
    if not sets:
        raise WeightFileError(f"{source}: no weight sets.")
    for name, weights in sets.items():
        out[name] = {}
        for criterion, value in weights.items():
            if criterion not in known:
                raise WeightFileError(
                    f"{source}: weight set {name!r} names unknown criterion {criterion!r}. "
                    f"{did_you_mean(str(criterion), known)}"
                )
            try:
                weight = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                weight = float("nan")
            if not np.isfinite(weight) or weight < 0:
                raise WeightFileError(
                    f"{source}: weight set {name!r}, criterion {criterion!r}: weight {value!r} "
                    f"must be a number of 0 or more."
                )
            out[name][criterion] = weight
        if sum(out[name].values()) <= 0:
            raise WeightFileError(f"{source}: weight set {name!r} has no positive weight.")
    return out


def compromise(sets: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Return the mean of the weight sets after scaling each to sum 1.

    Examples
    --------
    >>> compromise({"a": {"x": 3, "y": 1}, "b": {"y": 2}})
    {'x': 0.375, 'y': 0.625}
    """
    criteria = sorted({c for w in sets.values() for c in w})
    total = np.zeros(len(criteria))
    for weights in sets.values():
        vec = np.array([float(weights.get(c, 0.0)) for c in criteria])
        total += vec / vec.sum()
    return {c: float(v) for c, v in zip(criteria, total / len(sets), strict=True)}


def distances_from_compromise(
    results: Mapping[str, Allocation],
    compromise_cost: Mapping[str, float],
    *,
    reference: str = COMPROMISE,
) -> pd.DataFrame:
    """Return how far each weight set's allocation lies from the compromise allocation.

    Parameters
    ----------
    results : mapping of str to Allocation
        One allocation per weight set, including ``reference``.
    compromise_cost : mapping of str to float
        The compromise weights (to price every allocation the same way).
    reference : str
        Name of the compromise allocation in ``results``.

    Returns
    -------
    DataFrame
        Per weight set: ``land_moved_share`` (share of the compromise's hectares
        placed elsewhere or as another function, 0-1) and ``extra_cost_share``
        (how much dearer the set's allocation is under the compromise weights).
    """
    ref = results[reference]
    ref_cost = sum(compromise_cost.get(c, 0.0) * v for c, v in ref.criteria.items())
    rows = []
    for name, alloc in results.items():
        moved = 0.5 * np.abs(alloc.land - ref.land).sum() / max(ref.land.sum(), 1e-12)
        cost = sum(compromise_cost.get(c, 0.0) * v for c, v in alloc.criteria.items())
        rows.append(
            {
                "weight_set": name,
                "status": alloc.status,
                "land_moved_share": float(moved),
                "extra_cost_share": float((cost - ref_cost) / ref_cost) if ref_cost else 0.0,
            }
        )
    return pd.DataFrame(rows)
