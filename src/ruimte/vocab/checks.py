# SPDX-License-Identifier: Apache-2.0
"""Consistency checks on the vocabulary: ids, references, numbers and the matrix.

Each check raises :class:`~ruimte.errors.VocabularyError` naming the file, the
row or key, the problem and the fix; it returns nothing when all is well.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ruimte.errors import did_you_mean
from ruimte.vocab.model import Function, Relation, Source, Unit
from ruimte.vocab.values import Record, Where, fail, text

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


# --------------------------------------------------------------------------- ids and references
def unique(where: Where, key: str, seen: Mapping[str, Any]) -> None:
    """Reject ``key`` if it is already one of the ids in ``seen``."""
    if key in seen:
        raise fail(where, f"duplicate id {key!r}", "Give each row its own id")


def known(where: Where, column: str, value: str, defined: Iterable[str], file: str) -> None:
    """Reject a reference ``value`` that is not among the ids ``defined`` in ``file``."""
    if value not in defined:
        raise fail(
            where,
            f"{column} {value!r} is not defined in {file}",
            did_you_mean(value, defined) or f"Add it to {file}",
        )


def one_of(where: Where, column: str, value: str, allowed: tuple[str, ...]) -> None:
    """Reject a ``value`` of ``column`` that is not one of the fixed choices ``allowed``."""
    if value not in allowed:
        raise fail(where, f"{column} {value!r} is not one of {', '.join(allowed)}", f"Fix {column}")


def colour(where: Where, value: str) -> None:
    """Reject a colour that is not written as ``#rrggbb``."""
    if not _COLOUR.match(value):
        raise fail(where, f"colour {value!r} is not a hex colour", "Write it as #rrggbb")


# --------------------------------------------------------------------------- units and numbers
def unit_bases(rows: Iterable[tuple[Where, Record]], units: Mapping[str, Unit]) -> None:
    """Require each unit's ``base`` to be a unit of the same dimension with ``to_base`` 1."""
    for where, row in rows:
        base = units.get(row["base"])
        if base is None or base.to_base != 1 or base.dimension != row["dimension"]:
            raise fail(
                where,
                f"base {row['base']!r} is not a unit of dimension {row['dimension']!r} "
                "with to_base 1",
                "Add the base unit or fix the base column",
            )


def unit_expr(where: Where, unit: str, units: Mapping[str, Unit]) -> None:
    """Accept a unit id or a ratio ``<unit>/<unit>`` of two unit ids (e.g. ``ha/MWp``)."""
    if unit in units:
        return
    for i, ch in enumerate(unit):
        if ch == "/" and unit[:i] in units and unit[i + 1 :] in units:
            return
    raise fail(
        where,
        f"space_use_unit {unit!r} is neither a unit nor a ratio of two units in units.csv",
        "Use e.g. ha/MW or homes/ha, or add the unit to units.csv",
    )


def space_use(
    where: Where,
    value: float | None,
    unit: str | None,
    source: str | None,
    units: Mapping[str, Unit],
    sources: Mapping[str, Source],
) -> None:
    """Require a positive space use with its unit and source, or none of the three."""
    if value is not None:
        if value <= 0:
            raise fail(
                where,
                f"space_use_value {value} is not positive",
                "Give a number > 0 or leave it empty",
            )
        if unit is None or source is None:
            raise fail(
                where,
                "space_use_value needs space_use_unit and space_use_source",
                "Give the unit and the id of a source",
            )
    elif unit or source:
        raise fail(
            where,
            "space_use_unit or space_use_source given without space_use_value",
            "Give the value or leave all three empty",
        )
    if unit:
        unit_expr(where, unit, units)
    if source:
        known(where, "space_use_source", source, sources, "sources.csv")


def relation_terms(
    where: Where,
    relation: str,
    distance: float | None,
    condition: str,
    source_id: str,
    sources: Mapping[str, Source],
) -> None:
    """Check what a relation needs: a distance and source, or a condition for sharing land."""
    if relation == "distance":
        if distance is None or distance <= 0:
            raise fail(
                where,
                "a distance relation needs a positive min_distance_m",
                "Give the minimum distance in metres",
            )
        if not source_id:
            raise fail(
                where,
                "a distance relation needs a source_id",
                "Cite where the distance comes from (an id in sources)",
            )
    elif distance is not None:
        raise fail(
            where,
            f"min_distance_m is given for a {relation!r} relation",
            "Leave min_distance_m empty or use relation: distance",
        )
    if relation == "shared" and not condition:
        raise fail(
            where,
            "a shared relation needs a condition",
            "Say on which condition the two functions share land",
        )
    if source_id:
        known(where, "source_id", source_id, sources, "sources.csv")


# --------------------------------------------------------------------------- compatibility matrix
def pair_key(rec: Mapping[str, Any]) -> tuple[str, str]:
    """Return the row's ``(function_a, function_b)`` in alphabetical order."""
    a, b = text(rec.get("function_a")), text(rec.get("function_b"))
    return (a, b) if a <= b else (b, a)


def collect_pairs(
    rows: Iterable[tuple[Where, Record]],
) -> dict[tuple[str, str], tuple[Where, Record]]:
    """Key compatibility rows by :func:`pair_key`, rejecting a pair given twice differently."""
    out: dict[tuple[str, str], tuple[Where, Record]] = {}
    for where, rec in rows:
        key = pair_key(rec)
        if key in out:
            previous = {k: text(v) for k, v in out[key][1].items()}
            current = {k: text(v) for k, v in rec.items()}
            previous.pop("function_a"), previous.pop("function_b")
            current.pop("function_a"), current.pop("function_b")
            if previous != current:
                raise fail(
                    where,
                    f"pair ({key[0]}, {key[1]}) is defined twice with different content "
                    f"(first at {out[key][0][1]})",
                    "Keep one row per pair",
                )
        out[key] = (where, rec)
    return out


def complete(
    file: str, functions: Mapping[str, Function], relations: Mapping[tuple[str, str], Relation]
) -> None:
    """Require a relation for every pair of functions, including each with itself."""
    missing = [
        p
        for p in itertools.combinations_with_replacement(sorted(functions), 2)
        if p not in relations
    ]
    if missing:
        shown = ", ".join(f"({a}, {b})" for a, b in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise fail(
            (file, "compatibility"),
            f"the compatibility matrix is incomplete: {len(missing)} pair(s) missing: "
            f"{shown}{more}",
            "Add one row for every pair of functions, including each function with itself",
        )
