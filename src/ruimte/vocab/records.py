# SPDX-License-Identifier: Apache-2.0
"""Turn parsed rows and override entries into the terms of :mod:`ruimte.vocab.model`.

Nothing here reads files: each builder takes ``(where, row)`` pairs (or one
record) plus the terms it refers to, and raises
:class:`~ruimte.errors.VocabularyError` for the first problem it finds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ruimte.vocab import checks
from ruimte.vocab.model import (
    GEOMETRIES,
    RELATIONS,
    Function,
    GovernanceLevel,
    PlanType,
    Relation,
    Source,
    Term,
    Unit,
)
from ruimte.vocab.tables import COLUMNS
from ruimte.vocab.values import Record, Where, boolean, fail, number, require, text

Rows = Iterable[tuple[Where, Record]]


def terms(rows: Rows, ordered: str | None = None) -> dict[str, Term]:
    """Build terms keyed by id, ordered by column ``ordered`` or else by row position."""
    out: dict[str, Term] = {}
    for index, (where, row) in enumerate(rows):
        require(where, row, ("id", "label_nl", "label_en"))
        checks.unique(where, row["id"], out)
        order = number(where, ordered, row[ordered], integer=True) if ordered else index
        out[row["id"]] = Term(
            row["id"],
            row["label_nl"],
            row["label_en"],
            int(order if order is not None else index),
            row.get("description", ""),
        )
    return out


def levels(rows: Rows) -> dict[str, GovernanceLevel]:
    """Build governance levels keyed by id, each with its optional whole-number rank."""
    out: dict[str, GovernanceLevel] = {}
    for index, (where, row) in enumerate(rows):
        require(where, row, ("id", "label_nl", "label_en"))
        checks.unique(where, row["id"], out)
        rank = number(where, "rank", row["rank"], integer=True)
        out[row["id"]] = GovernanceLevel(
            row["id"],
            row["label_nl"],
            row["label_en"],
            index,
            "",
            None if rank is None else int(rank),
        )
    return out


def units(rows: Rows) -> dict[str, Unit]:
    """Build units keyed by id; each needs a positive ``to_base`` and a valid base unit."""
    rows = list(rows)
    out: dict[str, Unit] = {}
    for where, row in rows:
        require(where, row, COLUMNS["units.csv"])
        checks.unique(where, row["id"], out)
        factor = number(where, "to_base", row["to_base"])
        if factor is None or factor <= 0:
            raise fail(where, f"to_base {row['to_base']!r} is not positive", "Give a factor > 0")
        out[row["id"]] = Unit(row["id"], row["label"], row["dimension"], factor, row["base"])
    checks.unit_bases(rows, out)
    return out


def source(where: Where, rec: Mapping[str, Any]) -> Source:
    """Build one source from a ``sources.csv`` row or an override entry."""
    require(where, rec, ("id", "title"))
    year = number(where, "year", rec.get("year"), integer=True)
    return Source(
        text(rec["id"]),
        text(rec["title"]),
        text(rec.get("url")),
        None if year is None else int(year),
        text(rec.get("note")),
    )


def plan_types(
    rows: Rows, sources: Mapping[str, Source], levels: Mapping[str, GovernanceLevel]
) -> dict[str, PlanType]:
    """Build plan types keyed by id; their levels and source must be defined."""
    out: dict[str, PlanType] = {}
    for where, row in rows:
        require(where, row, ("id", "label_nl", "label_en", "levels", "source_id"))
        checks.unique(where, row["id"], out)
        lv = tuple(x.strip() for x in row["levels"].split(";") if x.strip())
        for level in lv:
            checks.known(where, "level", level, levels, "governance_levels.csv")
        checks.known(where, "source_id", row["source_id"], sources, "sources.csv")
        out[row["id"]] = PlanType(
            row["id"],
            row["label_nl"],
            row["label_en"],
            lv,
            row["basis"],
            row["source_id"],
            boolean(where, "provisional", row["provisional"]),
        )
    return out


def function(
    where: Where, rec: Mapping[str, Any], vocab: Mapping[str, Mapping[str, Any]]
) -> Function:
    """Build one function; ``vocab`` maps layers, transitions, units and sources to their terms."""
    require(where, rec, ("id", "label_nl", "label_en", "layer", "transition"))
    checks.known(where, "layer", text(rec["layer"]), vocab["layers"], "layers.csv")
    checks.known(
        where, "transition", text(rec["transition"]), vocab["transitions"], "transitions.csv"
    )
    value = number(where, "space_use_value", rec.get("space_use_value"))
    unit = text(rec.get("space_use_unit")) or None
    source_id = text(rec.get("space_use_source")) or None
    checks.space_use(where, value, unit, source_id, vocab["units"], vocab["sources"])
    geometry = text(rec.get("geometry")) or "polygon"
    checks.one_of(where, "geometry", geometry, GEOMETRIES)
    colour = text(rec.get("colour")) or "#999999"
    checks.colour(where, colour)
    return Function(
        id=text(rec["id"]),
        label_nl=text(rec["label_nl"]),
        label_en=text(rec["label_en"]),
        layer=text(rec["layer"]),
        transition=text(rec["transition"]),
        esdl_class=text(rec.get("esdl_class")) or None,
        space_use_value=value,
        space_use_unit=unit,
        space_use_source=source_id,
        provisional=boolean(where, "provisional", rec.get("provisional")),
        geometry=geometry,
        colour=colour,
        note=text(rec.get("note")),
    )


def relation(
    where: Where,
    rec: Mapping[str, Any],
    functions: Mapping[str, Function],
    sources: Mapping[str, Source],
) -> Relation:
    """Build the relation of one compatibility row, its functions in alphabetical order."""
    require(where, rec, ("function_a", "function_b", "relation"))
    a, b = sorted((text(rec["function_a"]), text(rec["function_b"])))
    for fid in (a, b):
        checks.known(where, "function", fid, functions, "functions.csv or the workspace functions")
    kind = text(rec["relation"])
    checks.one_of(where, "relation", kind, RELATIONS)
    distance = number(where, "min_distance_m", rec.get("min_distance_m"))
    source_id = text(rec.get("source_id"))
    condition = text(rec.get("condition"))
    checks.relation_terms(where, kind, distance, condition, source_id, sources)
    return Relation(
        a,
        b,
        kind,
        distance,
        condition,
        sources[source_id] if source_id else None,
        boolean(where, "provisional", rec.get("provisional")),
        text(rec.get("note")),
    )
