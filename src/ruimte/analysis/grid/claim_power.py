# SPDX-License-Identifier: Apache-2.0
"""Peak feed-in and offtake of each claim, from ``data/claim_power.csv`` and the factors.

A rule gives, per function, the unit it expects, the direction (``feedin``,
``offtake``, ``both``, ``none``) and ``mw_per_unit``: an arithmetic expression
of factor ids (``(household_kw_per_home + heat_pump_kw_per_home) / 1000``).
A claim in another unit is converted through the function's space use
(``ha/MWp``, ``homes/ha``) from the vocabulary or the scenario's assumptions.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ruimte.analysis.grid.factors import GridDataError, read_table

_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}

#: scenario assumption keys that override a factor or a space use
ASSUMPTION_FACTORS = {"household_peak_kw": "household_kw_per_home"}
ASSUMPTION_SPACE_USE = {
    "ha_per_mwp": ("solar_field", "ha/MWp"),
    "homes_per_ha": ("housing", "homes/ha"),
}


def evaluate(expression: str, values: Mapping[str, float]) -> float:
    """Evaluate an expression of factor ids, numbers, ``+ - * /`` and brackets.

    Parameters
    ----------
    expression : str
    values : mapping
        Factor values by id.

    Returns
    -------
    float

    Raises
    ------
    GridDataError
        If the expression names an unknown factor or uses anything else.

    Examples
    --------
    >>> evaluate("(a + b) / 1000", {"a": 1.5, "b": 1.0})
    0.0025
    """

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return float(_OPS[type(node.op)](walk(node.left), walk(node.right)))
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise GridDataError(
                    f"claim_power.csv: unknown factor {node.id!r} in {expression!r}."
                )
            return float(values[node.id])
        raise GridDataError(f"claim_power.csv: cannot evaluate {expression!r}.")

    return walk(ast.parse(str(expression), mode="eval"))


def convert_quantity(
    quantity: float,
    unit: str,
    rule_unit: str,
    function: str,
    space_use: Mapping[str, tuple[float, str]],
) -> float | None:
    """Convert a claim quantity to ``rule_unit`` through the function's space use, or None.

    Examples
    --------
    >>> convert_quantity(12.0, "ha", "MWp", "solar_field", {"solar_field": (1.2, "ha/MWp")})
    10.0
    """
    if unit == rule_unit:
        return quantity
    value, per = space_use.get(function, (np.nan, ""))
    if per == f"{unit}/{rule_unit}" and value:
        return quantity / value
    if per == f"{rule_unit}/{unit}":
        return quantity * value
    return None


def claim_power(
    claims: pd.DataFrame,
    factors: Mapping[str, float],
    space_use: Mapping[str, tuple[float, str]],
    *,
    assumptions: Mapping[str, object] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Return the peak feed-in and offtake (MW) of each claim.

    Parameters
    ----------
    claims : DataFrame
        Columns ``claim_id, function, quantity, unit``.
    factors : mapping
        Factor values by id (``factors.csv``).
    space_use : mapping
        ``{function: (value, "unit_a/unit_b")}`` from the vocabulary.
    assumptions : mapping, optional
        A scenario's assumptions; ``household_peak_kw``, ``ha_per_mwp`` and
        ``homes_per_ha`` override the defaults.

    Returns
    -------
    (DataFrame, list of str)
        ``claim_id, function, feedin_mw, offtake_mw, rule`` for every claim with
        a rule, and warnings naming the claims that could not be converted.

    Examples
    --------
    >>> c = pd.DataFrame({"claim_id": ["H"], "function": ["housing"],
    ...                   "quantity": [1000.0], "unit": ["homes"]})
    >>> f = {"household_kw_per_home": 1.5, "heat_pump_kw_per_home": 1.0}
    >>> claim_power(c, f, {})[0]["offtake_mw"].tolist()
    [2.5]
    """
    rules = read_table("claim_power.csv").set_index("function")
    values = dict(factors)
    space = dict(space_use)
    for key, target in ASSUMPTION_FACTORS.items():
        if assumptions and assumptions.get(key) is not None:
            values[target] = float(assumptions[key])  # type: ignore[arg-type]
    for key, (function, unit) in ASSUMPTION_SPACE_USE.items():
        if assumptions and assumptions.get(key) is not None:
            space[function] = (float(assumptions[key]), unit)  # type: ignore[arg-type]
    rows, warnings = [], []
    no_quantity: dict[str, list[str]] = {}
    for claim in claims.itertuples(index=False):
        function = str(claim.function)
        if function not in rules.index:
            continue
        rule = rules.loc[function]
        if pd.isna(claim.quantity) or not isinstance(claim.unit, str) or not claim.unit:
            no_quantity.setdefault(function, []).append(str(claim.claim_id))
            continue
        quantity = convert_quantity(
            float(claim.quantity), str(claim.unit), str(rule["unit"]), function, space
        )
        if quantity is None:
            warnings.append(
                f"claim {claim.claim_id} ({function}): quantity in {claim.unit!r} cannot be "
                f"converted to {rule['unit']!r}; give the claim in {rule['unit']} or add a "
                f"space use {claim.unit}/{rule['unit']} to the vocabulary. Left out of the grid "
                "impact."
            )
            continue
        mw = quantity * evaluate(str(rule["mw_per_unit"]), values)
        direction = str(rule["direction"])
        rows.append(
            {
                "claim_id": str(claim.claim_id),
                "function": function,
                "feedin_mw": mw if direction in ("feedin", "both") else 0.0,
                "offtake_mw": mw if direction in ("offtake", "both") else 0.0,
                "rule": f"{quantity:g} {rule['unit']} x {rule['mw_per_unit']}",
            }
        )
    for function, ids in no_quantity.items():
        warnings.append(
            f"{len(ids)} {function} claims have no quantity (e.g. {', '.join(ids[:3])}): their "
            "power is unknown and left out of the grid impact, so the feed-in and offtake "
            f"shown are lower bounds. Give them a quantity in {rules.loc[function, 'unit']}."
        )
    columns = ["claim_id", "function", "feedin_mw", "offtake_mw", "rule"]
    return pd.DataFrame(rows, columns=columns), warnings
