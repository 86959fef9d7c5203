# SPDX-License-Identifier: Apache-2.0
"""Load the vocabulary: read the data files, merge a workspace override, cache the result.

The package ships long CSV tables in ``ruimte/vocab/data`` (see the README
there). A workspace may add or override functions, compatibility rows and
sources in a ``vocabulary.yaml`` (:mod:`ruimte.vocab.override`). Rows become
terms in :mod:`ruimte.vocab.records` and are checked in :mod:`ruimte.vocab.checks`.
Every problem raises :class:`~ruimte.errors.VocabularyError` with the message
``"<file>: <key>: <problem>. <what to do>"``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ruimte.vocab import checks, records
from ruimte.vocab.model import Vocabulary
from ruimte.vocab.override import (
    FUNCTION_FIELDS,
    OVERRIDE_KEYS,
    SOURCE_FIELDS,
    compatibility_rows,
    expand_wildcards,
    merge_items,
    read_override,
)
from ruimte.vocab.tables import COLUMNS, parse_csv
from ruimte.vocab.values import Record, Where, fail, require

__all__ = ["COLUMNS", "OVERRIDE_KEYS", "VOCABULARY_VERSION", "load_vocabulary", "parse_csv"]

#: Version of the vocabulary shipped in ``ruimte/vocab/data``. Bump it when the data change.
VOCABULARY_VERSION = "1.1.0"


def _read_csv(name: str) -> list[tuple[Where, Record]]:
    """Read a packaged CSV file into ``(where, row)`` pairs, checking its columns."""
    try:
        text = (resources.files("ruimte.vocab") / "data" / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail((name, "file"), f"cannot be read ({exc})", "Reinstall ruimte") from exc
    return parse_csv(name, text)


def load_vocabulary(override: Path | str | None = None) -> Vocabulary:
    """Load the vocabulary shipped with ruimte, optionally extended by a workspace file.

    Parameters
    ----------
    override : path, optional
        A ``vocabulary.yaml`` that adds or overrides ``functions``,
        ``compatibility`` rows and ``sources`` (see ``ruimte/vocab/data/README.md``).

    Returns
    -------
    Vocabulary
        Validated and immutable; ``version`` is ``"1.1.0"`` for the package data
        and ``"1.1.0+ws.<8 hex>"`` (sha256 of the override file) otherwise.

    Raises
    ------
    VocabularyError
        If a file is missing, malformed or inconsistent; the message names the
        file, the row or key, the problem and the fix.

    Examples
    --------
    >>> vocab = load_vocabulary()
    >>> vocab.function("solar_field").layer
    'occupatie'
    """
    if override is None:
        return _load_default()
    return _build(Path(override))


@functools.lru_cache(maxsize=1)
def _load_default() -> Vocabulary:
    return _build(None)


def _build(override: Path | None) -> Vocabulary:
    layers = records.terms(_read_csv("layers.csv"))
    transitions = records.terms(_read_csv("transitions.csv"))
    levels = records.levels(_read_csv("governance_levels.csv"))
    statuses = records.terms(_read_csv("claim_statuses.csv"), "order")
    phases = records.terms(_read_csv("plan_phases.csv"), "order")
    units = records.units(_read_csv("units.csv"))

    src_rows = _by_id(_read_csv("sources.csv"))
    fn_rows = _by_id(_read_csv("functions.csv"))
    pairs = checks.collect_pairs(_read_csv("compatibility.csv"))
    version, file, new_functions = VOCABULARY_VERSION, "compatibility.csv", set()

    if override is not None:
        file, data, digest = read_override(override)
        version = f"{VOCABULARY_VERSION}+ws.{digest}"
        merge_items(file, "sources", data.get("sources") or [], src_rows, SOURCE_FIELDS)
        new_functions = merge_items(
            file, "functions", data.get("functions") or [], fn_rows, FUNCTION_FIELDS
        )
        extra = compatibility_rows(file, data.get("compatibility") or [])
        extra = expand_wildcards(extra, list(fn_rows), set(pairs))
        pairs.update(checks.collect_pairs(extra))  # an override row replaces the packaged row

    sources = {sid: records.source(where, rec) for sid, (where, rec) in src_rows.items()}
    context: dict[str, Mapping[str, Any]] = {
        "layers": layers,
        "transitions": transitions,
        "units": units,
        "sources": sources,
    }
    functions = {
        fid: records.function(where, rec, context) for fid, (where, rec) in fn_rows.items()
    }
    relations = {
        key: records.relation(where, rec, functions, sources) for key, (where, rec) in pairs.items()
    }
    checks.complete(file if new_functions else "compatibility.csv", functions, relations)
    plan_types = records.plan_types(_read_csv("plan_types.csv"), sources, levels)

    return Vocabulary(
        version=version,
        layers=MappingProxyType(layers),
        transitions=MappingProxyType(transitions),
        levels=MappingProxyType(levels),
        statuses=MappingProxyType(statuses),
        phases=MappingProxyType(phases),
        units=MappingProxyType(units),
        sources=MappingProxyType(sources),
        plan_types=MappingProxyType(plan_types),
        functions=MappingProxyType(functions),
        relations=MappingProxyType(dict(sorted(relations.items()))),
    )


def _by_id(rows: Iterable[tuple[Where, Record]]) -> dict[str, tuple[Where, Record]]:
    """Key rows by their id, which must be present and unique."""
    out: dict[str, tuple[Where, Record]] = {}
    for where, rec in rows:
        require(where, rec, ("id",))
        checks.unique(where, rec["id"], out)
        out[rec["id"]] = (where, rec)
    return out
