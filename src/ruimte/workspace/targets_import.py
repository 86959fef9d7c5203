# SPDX-License-Identifier: Apache-2.0
"""Import targets from a CSV table: one row per region, transition or function, year.

Columns (names case-insensitive): ``region_code``, ``quantity``, ``unit``,
``horizon_year`` and at least one of ``transition`` and ``function``; optional
``scenario``, ``description`` and ``target_id``. ``target`` is read as the
quantity, so the columns ``ruimte targets --json`` prints import as they are
(its computed columns such as ``planned`` and ``shortfall`` are ignored).
Every value is checked, and a bad one is named by file, line and column;
nothing is stored then. Each
target gets the id ``<dataset>:<line>`` unless the file gives one, so that
``ruimte remove WORKSPACE DATASET`` takes the file's targets out again (and
an error about a stored value names the target, hence the file's line).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ruimte.errors import DatasetImportError
from ruimte.workspace import schema
from ruimte.workspace.importer import ImportReport, open_source, unique_name
from ruimte.workspace.records import now_iso

if TYPE_CHECKING:
    from collections.abc import Callable

    from ruimte.workspace import Workspace

__all__ = ["TARGET_COLUMNS", "import_targets"]

#: Columns a targets file may carry; the first four are required.
TARGET_COLUMNS = (
    "region_code",
    "quantity",
    "unit",
    "horizon_year",
    "transition",
    "function",
    "scenario",
    "description",
    "target_id",
)
_YEARS = (1900, 2200)
#: another name for a column, as ``ruimte targets --json`` prints it
_ALIASES = {"target": "quantity"}
#: computed columns of ``ruimte targets --json``: not input, ignored on import
_COMPUTED = {"level", "lower_level", "lower_targets", "planned", "realised", "shortfall",
             "status", "lower_add_up", "unknown_claims", "unknown_claim_ids"}  # fmt: skip


def _read_table(file: Path) -> pd.DataFrame:
    """Read a CSV as text (codes like "0106" keep their zeros), sniffing the delimiter."""
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    rows = list(csv.reader(text.splitlines(), delimiter=sep))
    if not rows:
        raise DatasetImportError(f"{file.name}: the file is empty; give a header and rows.")
    header = [h.strip().lower() for h in rows[0]]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if any(len(r) != len(header) for r in body):
        bad = next(i for i, r in enumerate(rows[1:], start=2) if len(r) != len(header) and any(r))
        raise DatasetImportError(
            f"{file.name}: line {bad} has {len(rows[bad - 1])} values, the header "
            f"{len(header)}. Check the delimiter ({sep!r}) and quoting."
        )
    frame = pd.DataFrame(body, columns=header, dtype=object).apply(lambda c: c.str.strip())
    frame.index = range(2, len(frame) + 2)  # line numbers in the file (the header is line 1)
    return frame.replace("", None)


def _number(value: Any, file: Path, line: int, column: str) -> float:
    text = str(value).replace(",", ".") if value is not None else ""
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise DatasetImportError(
            f"{file.name}: line {line}, column {column!r}: {value!r} is not a number of 0 or "
            "more. Give the target quantity as a plain number (decimal point or comma)."
        )
    return number


def _year(value: Any, file: Path, line: int) -> int:
    try:
        year = int(str(value))
    except ValueError:
        year = -1
    if not _YEARS[0] <= year <= _YEARS[1]:
        raise DatasetImportError(
            f"{file.name}: line {line}, column 'horizon_year': {value!r} is not a year "
            f"between {_YEARS[0]} and {_YEARS[1]}."
        )
    return year


def _validate(frame: pd.DataFrame, file: Path) -> pd.DataFrame:
    if "quantity" not in frame:
        frame = frame.rename(columns=_ALIASES)
    frame = frame.drop(columns=[c for c in frame.columns if c in _COMPUTED])
    unknown = [c for c in frame.columns if c not in TARGET_COLUMNS]
    if unknown:
        raise DatasetImportError(
            f"{file.name}: unknown column(s) {', '.join(map(repr, unknown))}. A targets file has "
            f"the columns {', '.join(TARGET_COLUMNS)}."
        )
    missing = [c for c in TARGET_COLUMNS[:4] if c not in frame]
    if missing or not {"transition", "function"} & set(frame.columns):
        need = missing or ["transition or function"]
        raise DatasetImportError(
            f"{file.name}: no column {', '.join(map(repr, need))}. A targets file needs "
            "region_code, quantity, unit, horizon_year and transition or function."
        )
    if frame.empty:
        raise DatasetImportError(f"{file.name}: the file has a header but no targets.")
    out = frame.reindex(columns=list(TARGET_COLUMNS)).astype(object)
    out = out.where(out.notna(), None)
    for line, row in out.iterrows():
        for column in ("region_code", "unit"):
            if row[column] is None:
                raise DatasetImportError(f"{file.name}: line {line}, column {column!r} is empty.")
        if row["transition"] is None and row["function"] is None:
            raise DatasetImportError(
                f"{file.name}: line {line}: give a transition or a function for the target."
            )
        out.at[line, "quantity"] = _number(row["quantity"], file, int(line), "quantity")
        out.at[line, "horizon_year"] = _year(row["horizon_year"], file, int(line))
    return out


def import_targets(
    ws: Workspace,
    file: str | Path,
    *,
    scenario: str | None = None,
    licence: str = "",
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the targets of a CSV file into the workspace.

    Parameters
    ----------
    ws : Workspace
    file : path
        A CSV table (see the module docstring for its columns).
    scenario : str, optional
        The scenario of targets whose ``scenario`` cell is empty; default none
        (targets that hold in every scenario).
    licence : str
        Recorded as provenance.
    progress : callable, optional
        Called with a short message per step.

    Returns
    -------
    ImportReport
        ``kind == "targets"``; ``feature_count`` targets added. Importing the
        same file again changes nothing and says so (``duplicate_of``).

    Raises
    ------
    DatasetImportError
        A file that is not a CSV table, a missing column or a bad value (named
        by line and column).
    RecordError
        A region code, transition, function, unit or scenario the workspace or
        the vocabulary does not know. Nothing is stored.
    """
    from ruimte.workspace.dataset_writer import DatasetRecord

    say = progress or (lambda message: None)
    src, duplicate = open_source(ws, Path(file), None, vector_only="targets")
    if duplicate is not None:
        return duplicate
    if src.fmt != "csv":
        raise DatasetImportError(
            f"{src.file.name}: targets are read from a CSV table, not a {src.fmt} file."
        )
    say(f"read {src.file.name}")
    targets = _validate(_read_table(src.file), src.file)
    name = unique_name(ws, f"targets_{src.file.stem}"[:60])
    targets["target_id"] = [
        f"{name}:{line}" if pd.isna(tid) else tid
        for line, tid in zip(targets.index, targets["target_id"], strict=True)
    ]
    if scenario is not None:
        targets["scenario"] = targets["scenario"].fillna(scenario)
    say(f"store {len(targets)} targets")
    with ws.transaction():
        ws.add_targets(targets.reset_index(drop=True))
        ws.record_provenance(
            DatasetRecord(
                name=name,
                kind="targets",
                layer=schema.TARGETS.name,
                source=src.file.name,
                sha256=src.sha256,
                licence=licence,
                imported_at=now_iso(),
                original_crs="",
                feature_count=len(targets),
                function_mapping={},
                repaired_count=0,
                dropped_count=0,
            ),
            "",
            None,
            f"targets from {src.file.name}",
        )
    per = targets["transition"].fillna(targets["function"]).value_counts().sort_index()
    return ImportReport(
        dataset=name,
        kind="targets",
        file=str(src.file),
        layer=None,
        feature_count=len(targets),
        functions={str(k): int(v) for k, v in per.items()},
    )
