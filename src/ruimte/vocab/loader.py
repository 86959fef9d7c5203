# SPDX-License-Identifier: Apache-2.0
"""Read, merge and validate the vocabulary data files.

The package ships long CSV tables in ``ruimte/vocab/data`` (see the README
there). A workspace may add or override functions, compatibility rows and
sources in a ``vocabulary.yaml``. Every problem raises
:class:`~ruimte.errors.VocabularyError` with the message
``"<file>: <key>: <problem>. <what to do>"``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ruimte.errors import VocabularyError, did_you_mean
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
    Vocabulary,
)

#: Version of the vocabulary shipped in ``ruimte/vocab/data``. Bump it when the data change.
VOCABULARY_VERSION = "1.0.0"

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

#: Top-level keys of a workspace ``vocabulary.yaml``.
OVERRIDE_KEYS = ("functions", "compatibility", "sources")

_FUNCTION_FIELDS = tuple(Function.__dataclass_fields__)
_SOURCE_FIELDS = tuple(Source.__dataclass_fields__)
_COMPAT_FIELDS = COLUMNS["compatibility.csv"] + ("note",)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}

Record = dict[str, Any]
Where = tuple[str, str]  # (file, key) for error messages


def _fail(where: Where, problem: str, fix: str) -> VocabularyError:
    file, key = where
    end = "" if fix.endswith((".", "?", "!")) else "."
    return VocabularyError(f"{file}: {key}: {problem}. {fix}{end}")


# --------------------------------------------------------------------------- value parsing
def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(where: Where, column: str, value: Any, *, integer: bool = False) -> float | None:
    text = _text(value)
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        problem = f"{column} {text!r} is not a number"
        raise _fail(where, problem, "Write a plain number such as 1.2") from None
    if not math.isfinite(number) or (integer and not number.is_integer()):
        kind = "a whole number" if integer else "a finite number"
        raise _fail(where, f"{column} {text!r} is not {kind}", f"Write {kind}")
    return number


def _bool(where: Where, column: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _fail(where, f"{column} {value!r} is not true or false", "Write true or false")


# --------------------------------------------------------------------------- reading
def _read_csv(name: str) -> list[tuple[Where, Record]]:
    """Read a packaged CSV file into ``(where, row)`` pairs, checking its columns."""
    try:
        text = (resources.files("ruimte.vocab") / "data" / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail((name, "file"), f"cannot be read ({exc})", "Reinstall ruimte") from exc
    return parse_csv(name, text)


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
            raise _fail(
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
                raise _fail(
                    where, "has more fields than the header", "Quote values that contain commas"
                )
            rows.append((where, {k: (v or "").strip() for k, v in row.items()}))
        return rows
    except csv.Error as exc:
        where = (name, f"line {reader.line_num}")
        raise _fail(where, f"malformed CSV ({exc})", "Fix the quoting") from None


def _read_override(path: Path) -> tuple[str, Mapping[str, Any], str]:
    """Return ``(file label, parsed mapping, version suffix)`` for a workspace override."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(
            (file, "file"), "does not exist", "Pass the path of an existing vocabulary.yaml"
        ) from None
    except OSError as exc:
        problem = f"cannot be read ({exc})"
        raise _fail((file, "file"), problem, "Check the path and permissions") from None
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        key = f"line {mark.line + 1}" if mark is not None else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise _fail((file, key), f"malformed YAML ({problem})", "Fix the YAML syntax") from None
    if not isinstance(data, dict):
        raise _fail(
            (file, "top level"), "is not a mapping", f"Use the keys {', '.join(OVERRIDE_KEYS)}"
        )
    unknown = sorted(set(map(str, data)) - set(OVERRIDE_KEYS))
    if unknown:
        raise _fail(
            (file, unknown[0]), "is not a known section", f"Use only {', '.join(OVERRIDE_KEYS)}"
        )
    for section in OVERRIDE_KEYS:
        items = data.get(section) or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise _fail(
                (file, section),
                "is not a list of mappings",
                "Write one '- key: value' item per entry",
            )
    return file, data, hashlib.sha256(raw).hexdigest()[:8]


# --------------------------------------------------------------------------- building terms
def _terms(name: str, ordered: str | None = None) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for index, (where, row) in enumerate(_read_csv(name)):
        _require(where, row, ("id", "label_nl", "label_en"))
        _unique(where, row["id"], out)
        order = _number(where, ordered, row[ordered], integer=True) if ordered else index
        out[row["id"]] = Term(
            row["id"],
            row["label_nl"],
            row["label_en"],
            int(order if order is not None else index),
            row.get("description", ""),
        )
    return out


def _require(where: Where, row: Mapping[str, Any], fields: Iterable[str]) -> None:
    for f in fields:
        if _text(row.get(f)) == "":
            raise _fail(where, f"{f} is empty", f"Give a value for {f}")


def _unique(where: Where, key: str, seen: Mapping[str, Any]) -> None:
    if key in seen:
        raise _fail(where, f"duplicate id {key!r}", "Give each row its own id")


def _levels() -> dict[str, GovernanceLevel]:
    out: dict[str, GovernanceLevel] = {}
    for index, (where, row) in enumerate(_read_csv("governance_levels.csv")):
        _require(where, row, ("id", "label_nl", "label_en"))
        _unique(where, row["id"], out)
        rank = _number(where, "rank", row["rank"], integer=True)
        out[row["id"]] = GovernanceLevel(
            row["id"],
            row["label_nl"],
            row["label_en"],
            index,
            "",
            None if rank is None else int(rank),
        )
    return out


def _units() -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    rows = _read_csv("units.csv")
    for where, row in rows:
        _require(where, row, COLUMNS["units.csv"])
        _unique(where, row["id"], out)
        factor = _number(where, "to_base", row["to_base"])
        if factor is None or factor <= 0:
            raise _fail(where, f"to_base {row['to_base']!r} is not positive", "Give a factor > 0")
        out[row["id"]] = Unit(row["id"], row["label"], row["dimension"], factor, row["base"])
    for where, row in rows:
        base = out.get(row["base"])
        if base is None or base.to_base != 1 or base.dimension != row["dimension"]:
            raise _fail(
                where,
                f"base {row['base']!r} is not a unit of dimension {row['dimension']!r} "
                "with to_base 1",
                "Add the base unit or fix the base column",
            )
    return out


def _source(where: Where, rec: Mapping[str, Any]) -> Source:
    _require(where, rec, ("id", "title"))
    year = _number(where, "year", rec.get("year"), integer=True)
    return Source(
        _text(rec["id"]),
        _text(rec["title"]),
        _text(rec.get("url")),
        None if year is None else int(year),
        _text(rec.get("note")),
    )


def _plan_types(
    sources: Mapping[str, Source], levels: Mapping[str, GovernanceLevel]
) -> dict[str, PlanType]:
    out: dict[str, PlanType] = {}
    for where, row in _read_csv("plan_types.csv"):
        _require(where, row, ("id", "label_nl", "label_en", "levels", "source_id"))
        _unique(where, row["id"], out)
        lv = tuple(x.strip() for x in row["levels"].split(";") if x.strip())
        for level in lv:
            _known(where, "level", level, levels, "governance_levels.csv")
        _known(where, "source_id", row["source_id"], sources, "sources.csv")
        out[row["id"]] = PlanType(
            row["id"],
            row["label_nl"],
            row["label_en"],
            lv,
            row["basis"],
            row["source_id"],
            _bool(where, "provisional", row["provisional"]),
        )
    return out


def _known(where: Where, column: str, value: str, known: Iterable[str], file: str) -> None:
    if value not in known:
        raise _fail(
            where,
            f"{column} {value!r} is not defined in {file}",
            did_you_mean(value, known) or f"Add it to {file}",
        )


def _check_unit_expr(where: Where, unit: str, units: Mapping[str, Unit]) -> None:
    """Accept a unit id or a ratio ``<unit>/<unit>`` of two unit ids (e.g. ``ha/MWp``)."""
    if unit in units:
        return
    for i, ch in enumerate(unit):
        if ch == "/" and unit[:i] in units and unit[i + 1 :] in units:
            return
    raise _fail(
        where,
        f"space_use_unit {unit!r} is neither a unit nor a ratio of two units in units.csv",
        "Use e.g. ha/MW or homes/ha, or add the unit to units.csv",
    )


def _function(
    where: Where, rec: Mapping[str, Any], vocab: Mapping[str, Mapping[str, Any]]
) -> Function:
    _require(where, rec, ("id", "label_nl", "label_en", "layer", "transition"))
    _known(where, "layer", _text(rec["layer"]), vocab["layers"], "layers.csv")
    _known(where, "transition", _text(rec["transition"]), vocab["transitions"], "transitions.csv")
    value = _number(where, "space_use_value", rec.get("space_use_value"))
    unit = _text(rec.get("space_use_unit")) or None
    source = _text(rec.get("space_use_source")) or None
    if value is not None:
        if value <= 0:
            raise _fail(
                where,
                f"space_use_value {value} is not positive",
                "Give a number > 0 or leave it empty",
            )
        if unit is None or source is None:
            raise _fail(
                where,
                "space_use_value needs space_use_unit and space_use_source",
                "Give the unit and the id of a source",
            )
    elif unit or source:
        raise _fail(
            where,
            "space_use_unit or space_use_source given without space_use_value",
            "Give the value or leave all three empty",
        )
    if unit:
        _check_unit_expr(where, unit, vocab["units"])
    if source:
        _known(where, "space_use_source", source, vocab["sources"], "sources.csv")
    geometry = _text(rec.get("geometry")) or "polygon"
    if geometry not in GEOMETRIES:
        raise _fail(
            where, f"geometry {geometry!r} is not one of {', '.join(GEOMETRIES)}", "Fix geometry"
        )
    colour = _text(rec.get("colour")) or "#999999"
    if not _COLOUR.match(colour):
        raise _fail(where, f"colour {colour!r} is not a hex colour", "Write it as #rrggbb")
    return Function(
        id=_text(rec["id"]),
        label_nl=_text(rec["label_nl"]),
        label_en=_text(rec["label_en"]),
        layer=_text(rec["layer"]),
        transition=_text(rec["transition"]),
        esdl_class=_text(rec.get("esdl_class")) or None,
        space_use_value=value,
        space_use_unit=unit,
        space_use_source=source,
        provisional=_bool(where, "provisional", rec.get("provisional")),
        geometry=geometry,
        colour=colour,
        note=_text(rec.get("note")),
    )


def _relation(
    where: Where,
    rec: Mapping[str, Any],
    functions: Mapping[str, Function],
    sources: Mapping[str, Source],
) -> Relation:
    _require(where, rec, ("function_a", "function_b", "relation"))
    a, b = sorted((_text(rec["function_a"]), _text(rec["function_b"])))
    for fid in (a, b):
        _known(where, "function", fid, functions, "functions.csv or the workspace functions")
    relation = _text(rec["relation"])
    if relation not in RELATIONS:
        raise _fail(
            where, f"relation {relation!r} is not one of {', '.join(RELATIONS)}", "Fix relation"
        )
    distance = _number(where, "min_distance_m", rec.get("min_distance_m"))
    source_id = _text(rec.get("source_id"))
    condition = _text(rec.get("condition"))
    if relation == "distance":
        if distance is None or distance <= 0:
            raise _fail(
                where,
                "a distance relation needs a positive min_distance_m",
                "Give the minimum distance in metres",
            )
        if not source_id:
            raise _fail(
                where,
                "a distance relation needs a source_id",
                "Cite where the distance comes from (an id in sources)",
            )
    elif distance is not None:
        raise _fail(
            where,
            f"min_distance_m is given for a {relation!r} relation",
            "Leave min_distance_m empty or use relation: distance",
        )
    if relation == "shared" and not condition:
        raise _fail(
            where,
            "a shared relation needs a condition",
            "Say on which condition the two functions share land",
        )
    if source_id:
        _known(where, "source_id", source_id, sources, "sources.csv")
    return Relation(
        a,
        b,
        relation,
        distance,
        condition,
        sources[source_id] if source_id else None,
        _bool(where, "provisional", rec.get("provisional")),
        _text(rec.get("note")),
    )


# --------------------------------------------------------------------------- merging
def _merge_items(
    file: str,
    section: str,
    items: list[Record],
    base: dict[str, tuple[Where, Record]],
    fields: tuple[str, ...],
) -> set[str]:
    """Merge override ``items`` into ``base`` (id -> (where, record)); return the new ids."""
    new: set[str] = set()
    for index, item in enumerate(items):
        ident = _text(item.get("id"))
        where = (file, f"{section}[{index}] (id {ident!r})" if ident else f"{section}[{index}]")
        if not ident:
            raise _fail(where, "has no id", "Give every entry an id")
        unknown = sorted(set(map(str, item)) - set(fields))
        if unknown:
            raise _fail(
                where, f"unknown field(s) {', '.join(unknown)}", f"Use only {', '.join(fields)}"
            )
        if ident in base:
            record = {**base[ident][1], **item}
        else:
            record = dict(item)
            new.add(ident)
        base[ident] = (where, record)
    return new


def _pair_key(rec: Mapping[str, Any]) -> tuple[str, str]:
    a, b = _text(rec.get("function_a")), _text(rec.get("function_b"))
    return (a, b) if a <= b else (b, a)


def _collect_pairs(
    rows: Iterable[tuple[Where, Record]],
) -> dict[tuple[str, str], tuple[Where, Record]]:
    out: dict[tuple[str, str], tuple[Where, Record]] = {}
    for where, rec in rows:
        key = _pair_key(rec)
        if key in out:
            previous = {k: _text(v) for k, v in out[key][1].items()}
            current = {k: _text(v) for k, v in rec.items()}
            previous.pop("function_a"), previous.pop("function_b")
            current.pop("function_a"), current.pop("function_b")
            if previous != current:
                raise _fail(
                    where,
                    f"pair ({key[0]}, {key[1]}) is defined twice with different content "
                    f"(first at {out[key][0][1]})",
                    "Keep one row per pair",
                )
        out[key] = (where, rec)
    return out


# --------------------------------------------------------------------------- entry points
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
        Validated and immutable; ``version`` is ``"1.0.0"`` for the package data
        and ``"1.0.0+ws.<8 hex>"`` (sha256 of the override file) otherwise.

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
    layers = _terms("layers.csv")
    transitions = _terms("transitions.csv")
    levels = _levels()
    statuses = _terms("claim_statuses.csv", "order")
    phases = _terms("plan_phases.csv", "order")
    units = _units()

    src_rows = _by_id(_read_csv("sources.csv"))
    fn_rows = _by_id(_read_csv("functions.csv"))
    pairs = _collect_pairs(_read_csv("compatibility.csv"))
    version, file, new_functions = VOCABULARY_VERSION, "compatibility.csv", set()

    if override is not None:
        file, data, digest = _read_override(override)
        version = f"{VOCABULARY_VERSION}+ws.{digest}"
        _merge_items(file, "sources", data.get("sources") or [], src_rows, _SOURCE_FIELDS)
        new_functions = _merge_items(
            file, "functions", data.get("functions") or [], fn_rows, _FUNCTION_FIELDS
        )
        extra: list[tuple[Where, Record]] = []
        for index, item in enumerate(data.get("compatibility") or []):
            key = _pair_key(item)
            where = (file, f"compatibility[{index}] ({key[0]}, {key[1]})")
            unknown = sorted(set(map(str, item)) - set(_COMPAT_FIELDS))
            if unknown:
                raise _fail(
                    where,
                    f"unknown field(s) {', '.join(unknown)}",
                    f"Use only {', '.join(_COMPAT_FIELDS)}",
                )
            extra.append((where, item))
        pairs.update(_collect_pairs(extra))  # an override row replaces the packaged row

    sources = {sid: _source(where, rec) for sid, (where, rec) in src_rows.items()}
    context: dict[str, Mapping[str, Any]] = {
        "layers": layers,
        "transitions": transitions,
        "units": units,
        "sources": sources,
    }
    functions = {fid: _function(where, rec, context) for fid, (where, rec) in fn_rows.items()}
    relations = {
        key: _relation(where, rec, functions, sources) for key, (where, rec) in pairs.items()
    }
    _check_complete(file if new_functions else "compatibility.csv", functions, relations)
    plan_types = _plan_types(sources, levels)

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
    out: dict[str, tuple[Where, Record]] = {}
    for where, rec in rows:
        _require(where, rec, ("id",))
        _unique(where, rec["id"], out)
        out[rec["id"]] = (where, rec)
    return out


def _check_complete(
    file: str, functions: Mapping[str, Function], relations: Mapping[tuple[str, str], Relation]
) -> None:
    missing = [
        p
        for p in itertools.combinations_with_replacement(sorted(functions), 2)
        if p not in relations
    ]
    if missing:
        shown = ", ".join(f"({a}, {b})" for a, b in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise _fail(
            (file, "compatibility"),
            f"the compatibility matrix is incomplete: {len(missing)} pair(s) missing: "
            f"{shown}{more}",
            "Add one row for every pair of functions, including each function with itself",
        )
