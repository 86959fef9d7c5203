# SPDX-License-Identifier: Apache-2.0
"""Parse the cells of vocabulary rows and format vocabulary errors.

Every problem becomes a :class:`~ruimte.errors.VocabularyError` with the message
``"<file>: <key>: <problem>. <what to do>"``; ``where`` is the ``(file, key)`` pair.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ruimte.errors import VocabularyError

#: A row or override entry, keyed by column name.
Record = dict[str, Any]
#: ``(file, key)`` of a row or entry, for error messages.
Where = tuple[str, str]

_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


def fail(where: Where, problem: str, fix: str) -> VocabularyError:
    """Build the error ``"<file>: <key>: <problem>. <fix>."`` for the caller to raise."""
    file, key = where
    end = "" if fix.endswith((".", "?", "!")) else "."
    return VocabularyError(f"{file}: {key}: {problem}. {fix}{end}")


def text(value: Any) -> str:
    """Return ``value`` as a stripped string, ``""`` for ``None``."""
    return "" if value is None else str(value).strip()


def number(where: Where, column: str, value: Any, *, integer: bool = False) -> float | None:
    """Parse a finite number (a whole one if ``integer``); ``None`` for an empty cell.

    Raises
    ------
    VocabularyError
        If ``value`` is not a number, not finite, or not whole when ``integer``.
    """
    cell = text(value)
    if cell == "":
        return None
    try:
        parsed = float(cell)
    except ValueError:
        problem = f"{column} {cell!r} is not a number"
        raise fail(where, problem, "Write a plain number such as 1.2") from None
    if not math.isfinite(parsed) or (integer and not parsed.is_integer()):
        kind = "a whole number" if integer else "a finite number"
        raise fail(where, f"{column} {cell!r} is not {kind}", f"Write {kind}")
    return parsed


def boolean(where: Where, column: str, value: Any) -> bool:
    """Parse true/yes/1/y or false/no/0/n (case-insensitive); an empty cell is false.

    Raises
    ------
    VocabularyError
        If ``value`` is none of these.
    """
    if isinstance(value, bool):
        return value
    cell = text(value).lower()
    if cell in _TRUE:
        return True
    if cell in _FALSE:
        return False
    raise fail(where, f"{column} {value!r} is not true or false", "Write true or false")


def require(where: Where, row: Mapping[str, Any], fields: Iterable[str]) -> None:
    """Raise a :class:`~ruimte.errors.VocabularyError` if one of ``fields`` is empty in ``row``."""
    for f in fields:
        if text(row.get(f)) == "":
            raise fail(where, f"{f} is empty", f"Give a value for {f}")
