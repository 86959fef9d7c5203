# SPDX-License-Identifier: Apache-2.0
"""The packaged CSV tables: their required columns and how their text is parsed."""

from __future__ import annotations

import csv
import io

from ruimte.vocab.values import Record, Where, fail

#: Required columns per data file (extra columns are ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "layers.csv": ("id", "label_nl", "label_en", "description"),
    "transitions.csv": ("id", "label_nl", "label_en"),
    "governance_levels.csv": ("id", "label_nl", "label_en", "rank"),
    "claim_statuses.csv": ("id", "label_nl", "label_en", "order"),
    "plan_phases.csv": ("id", "label_nl", "label_en", "order"),
    "units.csv": ("id", "label", "dimension", "to_base", "base"),
    "sources.csv": ("id", "title", "url", "year", "note"),
    "plan_types.csv": ("id", "label_nl", "label_en", "levels", "basis", "source_id", "provisional"),
    "functions.csv": (
        "id",
        "label_nl",
        "label_en",
        "layer",
        "transition",
        "esdl_class",
        "space_use_value",
        "space_use_unit",
        "space_use_source",
        "provisional",
        "geometry",
        "colour",
    ),
    "compatibility.csv": (
        "function_a",
        "function_b",
        "relation",
        "min_distance_m",
        "condition",
        "source_id",
        "provisional",
    ),
}


def parse_csv(name: str, text: str) -> list[tuple[Where, Record]]:
    """Parse CSV ``text`` of data file ``name`` into ``(where, row)`` pairs.

    Parameters
    ----------
    name : str
        File name, one of the keys of :data:`COLUMNS`; used in error messages.
    text : str
        The file's content.

    Returns
    -------
    list of ((str, str), dict)
        Each row with its ``(file, "row N (id ...)")`` location.

    Raises
    ------
    VocabularyError
        If a required column is missing or a row has more fields than the header.
    """
    try:
        reader = csv.DictReader(io.StringIO(text), strict=True)
        header = reader.fieldnames or []
        missing = [c for c in COLUMNS[name] if c not in header]
        if missing:
            raise fail(
                (name, "header"),
                f"missing required column(s) {', '.join(missing)}",
                f"The header must contain: {', '.join(COLUMNS[name])}",
            )
        rows: list[tuple[Where, Record]] = []
        for row in reader:
            line = reader.line_num
            label = row.get("id") or f"{row.get('function_a')}, {row.get('function_b')}"
            where = (name, f"row {line} ({label})")
            if None in row:
                raise fail(
                    where, "has more fields than the header", "Quote values that contain commas"
                )
            rows.append((where, {k: (v or "").strip() for k, v in row.items()}))
        return rows
    except csv.Error as exc:
        where = (name, f"line {reader.line_num}")
        raise fail(where, f"malformed CSV ({exc})", "Fix the quoting") from None
