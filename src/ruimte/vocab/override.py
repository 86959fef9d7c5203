# SPDX-License-Identifier: Apache-2.0
"""Read a workspace ``vocabulary.yaml`` and check its entries.

The file may add or override ``functions``, ``compatibility`` rows and
``sources`` (see ``ruimte/vocab/data/README.md``); :mod:`ruimte.vocab.loader`
merges them into the packaged tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruimte.vocab.checks import pair_key
from ruimte.vocab.model import Function, Source
from ruimte.vocab.tables import COLUMNS
from ruimte.vocab.values import Record, Where, fail, text

#: Top-level keys of a workspace ``vocabulary.yaml``.
OVERRIDE_KEYS = ("functions", "compatibility", "sources")

#: Fields an entry of each section may have.
FUNCTION_FIELDS = tuple(Function.__dataclass_fields__)
SOURCE_FIELDS = tuple(Source.__dataclass_fields__)
COMPAT_FIELDS = COLUMNS["compatibility.csv"] + ("note",)


def read_override(path: Path) -> tuple[str, Mapping[str, Any], str]:
    """Return ``(file label, parsed mapping, version suffix)`` for a workspace override.

    The suffix is the first 8 hex digits of the file's sha256.

    Raises
    ------
    VocabularyError
        If the file is missing, unreadable, not YAML, or not a mapping of
        :data:`OVERRIDE_KEYS` to lists of mappings.
    """
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(
            (file, "file"), "does not exist", "Pass the path of an existing vocabulary.yaml"
        ) from None
    except OSError as exc:
        problem = f"cannot be read ({exc})"
        raise fail((file, "file"), problem, "Check the path and permissions") from None
    import yaml  # here: only a file to read needs it (~10 ms to import)

    try:
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        key = f"line {mark.line + 1}" if mark is not None else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise fail((file, key), f"malformed YAML ({problem})", "Fix the YAML syntax") from None
    if not isinstance(data, dict):
        raise fail(
            (file, "top level"), "is not a mapping", f"Use the keys {', '.join(OVERRIDE_KEYS)}"
        )
    unknown = sorted(set(map(str, data)) - set(OVERRIDE_KEYS))
    if unknown:
        raise fail(
            (file, unknown[0]), "is not a known section", f"Use only {', '.join(OVERRIDE_KEYS)}"
        )
    for section in OVERRIDE_KEYS:
        items = data.get(section) or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise fail(
                (file, section),
                "is not a list of mappings",
                "Write one '- key: value' item per entry",
            )
    return file, data, hashlib.sha256(raw).hexdigest()[:8]


def merge_items(
    file: str,
    section: str,
    items: list[Record],
    base: dict[str, tuple[Where, Record]],
    fields: tuple[str, ...],
) -> set[str]:
    """Merge override ``items`` into ``base`` (id -> (where, record)); return the new ids.

    An entry with a known id overrides only the fields it gives.

    Raises
    ------
    VocabularyError
        If an entry has no id or a field not in ``fields``.
    """
    new: set[str] = set()
    for index, item in enumerate(items):
        ident = text(item.get("id"))
        where = (file, f"{section}[{index}] (id {ident!r})" if ident else f"{section}[{index}]")
        if not ident:
            raise fail(where, "has no id", "Give every entry an id")
        unknown = sorted(set(map(str, item)) - set(fields))
        if unknown:
            raise fail(
                where, f"unknown field(s) {', '.join(unknown)}", f"Use only {', '.join(fields)}"
            )
        if ident in base:
            record = {**base[ident][1], **item}
        else:
            record = dict(item)
            new.add(ident)
        base[ident] = (where, record)
    return new


def compatibility_rows(file: str, items: list[Record]) -> list[tuple[Where, Record]]:
    """Locate each override compatibility entry for error messages and check its fields.

    Raises
    ------
    VocabularyError
        If an entry has a field not in :data:`COMPAT_FIELDS`.
    """
    rows: list[tuple[Where, Record]] = []
    for index, item in enumerate(items):
        key = pair_key(item)
        where = (file, f"compatibility[{index}] ({key[0]}, {key[1]})")
        unknown = sorted(set(map(str, item)) - set(COMPAT_FIELDS))
        if unknown:
            raise fail(
                where,
                f"unknown field(s) {', '.join(unknown)}",
                f"Use only {', '.join(COMPAT_FIELDS)}",
            )
        rows.append((where, item))
    return rows


#: the function name that stands for "every other function" in a compatibility row
WILDCARD = "*"


def expand_wildcards(
    rows: list[tuple[Where, Record]],
    function_ids: list[str],
    known_pairs: set[tuple[str, str]],
) -> list[tuple[Where, Record]]:
    """Replace ``function_b: "*"`` rows by one row per pair that is otherwise missing.

    A row ``{function_a: agrivoltaics, function_b: "*", relation: exclusive}``
    gives ``agrivoltaics`` that relation with every function (itself included)
    for which neither the packaged matrix nor another override row says
    anything, so a new function needs only its exceptions spelt out.

    Raises
    ------
    VocabularyError
        If both sides of a row are the wildcard.
    """
    explicit = [
        (w, r) for w, r in rows if WILDCARD not in (r.get("function_a"), r.get("function_b"))
    ]
    taken = set(known_pairs) | {pair_key(r) for _, r in explicit}
    expanded = list(explicit)
    for where, rec in rows:
        a, b = text(rec.get("function_a")), text(rec.get("function_b"))
        if WILDCARD not in (a, b):
            continue
        if a == b == WILDCARD:
            raise fail(where, "has the wildcard on both sides", "Name one function in function_a")
        own = b if a == WILDCARD else a
        for other in function_ids:
            key = pair_key({"function_a": own, "function_b": other})
            if key not in taken:
                expanded.append((where, {**rec, "function_a": key[0], "function_b": key[1]}))
                taken.add(key)
    return expanded
