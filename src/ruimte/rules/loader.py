# SPDX-License-Identifier: Apache-2.0
"""Read rule files (YAML), check every key, and resolve the one that applies.

Precedence: a file given with ``--rules`` beats ``<workspace>/rules/<tech>.yaml``,
which beats the package default in ``ruimte/rules/data/<tech>.yaml``.
"""

from __future__ import annotations

import csv
import importlib.resources
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ruimte.errors import did_you_mean
from ruimte.rules.model import ClassRule, RuleError, RuleSet, SetbackVariant, VectorRule

__all__ = ["TECHNOLOGIES", "load_rules", "parse_rules", "rules_path", "load_turbine_types"]

TECHNOLOGIES = ("wind", "solar")
_TOP_KEYS = {
    "technology",
    "resolution_m",
    "exclude",
    "include",
    "min_area_ha",
    "min_area_source",
    "min_area_note",
    "plausible_share_max",
    "plausible_share_source",
    "plausible_share_note",
    "potential",
    "description",
    "setback_variants",
}
_VARIANT_KEYS = {"name", "dataset", "function", "buffer_m", "source", "provisional", "note"}
_ITEM_KEYS = {
    "dataset",
    "function",
    "buffer_m",
    "raster",
    "classes",
    "source",
    "provisional",
    "note",
    "nuisance",
}


def _data_file(name: str) -> Path:
    return Path(str(importlib.resources.files("ruimte.rules") / "data" / name))


def rules_path(
    technology: str, *, workspace: Path | None = None, rules: Path | None = None
) -> Path:
    """Return the rule file that applies.

    Parameters
    ----------
    technology : str
        ``"wind"`` or ``"solar"``.
    workspace : Path, optional
        A workspace folder; ``rules/<technology>.yaml`` inside it overrides the default.
    rules : Path, optional
        An explicit file (``--rules``); wins over both.

    Returns
    -------
    Path

    Raises
    ------
    RuleError
        For an unknown technology or a missing ``rules`` file.
    """
    if technology not in TECHNOLOGIES:
        raise RuleError(
            f"unknown technology {technology!r}. {did_you_mean(technology, TECHNOLOGIES)}"
        )
    if rules is not None:
        if not Path(rules).is_file():
            raise RuleError(f"rule file {rules} does not exist. Check the path given to --rules.")
        return Path(rules)
    if workspace is not None:
        local = Path(workspace) / "rules" / f"{technology}.yaml"
        if local.is_file():
            return local
    return _data_file(f"{technology}.yaml")


def load_rules(
    technology: str, *, workspace: Path | None = None, rules: Path | None = None
) -> RuleSet:
    """Load and check the rules of one technology (see :func:`rules_path`).

    Returns
    -------
    RuleSet

    Raises
    ------
    RuleError
        Naming the file and key of any problem.
    """
    path = rules_path(technology, workspace=workspace, rules=rules)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML ({exc}).") from None
    ruleset = parse_rules(data, source=str(path))
    if ruleset.technology != technology:
        raise RuleError(
            f"{path}: key 'technology' is {ruleset.technology!r} but rules for "
            f"{technology!r} were asked for. Fix the key or pick the right file."
        )
    return ruleset


def _unknown_keys(keys: Iterable[str], allowed: set[str], where: str) -> None:
    for key in keys:
        if key not in allowed:
            raise RuleError(f"{where}: unknown key {key!r}. {did_you_mean(key, allowed)}")


def _names(value: Any, where: str, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
        raise RuleError(f"{where}: key {key!r} must be a name or a list of names, not {value!r}.")
    return tuple(items)


def _number(value: Any, where: str, key: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"{where}: key {key!r} must be a number, not {value!r}.")
    if not math.isfinite(value):
        raise RuleError(f"{where}: key {key!r} is {value}; it must be a finite number.")
    if value < 0 or (positive and value == 0):
        sign = "positive" if positive else "zero or positive"
        raise RuleError(f"{where}: key {key!r} is {value}; it must be {sign}.")
    return float(value)


def _item(raw: Any, where: str) -> VectorRule | ClassRule:
    if not isinstance(raw, dict):
        raise RuleError(
            f"{where}: each rule must be a mapping with 'dataset:', 'function:' "
            f"or 'raster:', not {raw!r}."
        )
    _unknown_keys(raw, _ITEM_KEYS, where)
    source = str(raw.get("source", ""))
    provisional = bool(raw.get("provisional", False))
    if "raster" in raw:
        extra = {"dataset", "function", "buffer_m"} & set(raw)
        if extra:
            raise RuleError(f"{where}: key {sorted(extra)[0]!r} cannot be used with 'raster'.")
        classes = raw.get("classes")
        if (
            not isinstance(classes, list)
            or not classes
            or not all(isinstance(c, int) and not isinstance(c, bool) for c in classes)
        ):
            raise RuleError(f"{where}: key 'classes' must be a list of integer raster classes.")
        raster = _names(raw["raster"], where, "raster")
        return ClassRule(raster[0], tuple(classes), source, provisional, where)
    if "dataset" not in raw and "function" not in raw:
        raise RuleError(f"{where}: a rule needs 'dataset:', 'function:' or 'raster:'.")
    if "classes" in raw:
        raise RuleError(f"{where}: key 'classes' needs 'raster:'.")
    datasets = _names(raw["dataset"], where, "dataset") if "dataset" in raw else ()
    functions = _names(raw["function"], where, "function") if "function" in raw else ()
    buffer_m = _number(raw.get("buffer_m", 0), where, "buffer_m")
    nuisance = ""
    if "nuisance" in raw:
        if "buffer_m" in raw:
            raise RuleError(
                f"{where}: key 'buffer_m' cannot be used with 'nuisance' (the distance "
                "follows from the computed noise or flicker); keep one of the two."
            )
        nuisance = _names(raw["nuisance"], where, "nuisance")[0]
    return VectorRule(datasets, functions, buffer_m, source, provisional, where, nuisance)


def parse_rules(data: Any, *, source: str = "<rules>") -> RuleSet:
    """Check and parse the content of a rule file.

    Parameters
    ----------
    data : dict
        The loaded YAML.
    source : str
        The file name, for error messages.

    Returns
    -------
    RuleSet

    Raises
    ------
    RuleError
        On an unknown or misspelt key, a negative buffer, a missing technology, ...

    Examples
    --------
    >>> parse_rules({"technology": "wind", "exclude": [{"dataset": "roads", "buffer": 100}]})
    Traceback (most recent call last):
    ruimte.rules.model.RuleError: <rules> exclude[0]: unknown key 'buffer'. Did you mean 'buffer_m'?
    """
    if not isinstance(data, dict):
        raise RuleError(
            f"{source}: a rule file must be a YAML mapping with 'technology:' and 'exclude:'."
        )
    _unknown_keys(data, _TOP_KEYS, source)
    tech = data.get("technology")
    if tech not in TECHNOLOGIES:
        raise RuleError(
            f"{source}: key 'technology' is {tech!r}. {did_you_mean(str(tech), TECHNOLOGIES)}"
        )
    resolution = _number(data.get("resolution_m", 25), source, "resolution_m", positive=True)
    lists: dict[str, tuple[VectorRule | ClassRule, ...]] = {}
    for mode in ("exclude", "include"):
        raw = data.get(mode) or []
        if not isinstance(raw, list):
            raise RuleError(f"{source}: key {mode!r} must be a list of rules.")
        lists[mode] = tuple(_item(item, f"{source} {mode}[{i}]") for i, item in enumerate(raw))
    for mode, rules in lists.items():
        for rule in rules:
            if not (isinstance(rule, VectorRule) and rule.nuisance):
                continue
            if tech == "wind" and mode == "exclude":
                continue
            raise RuleError(
                f"{rule.where}: key 'nuisance' works in the exclude rules of wind turbines "
                "only (noise and shadow flicker of a turbine at the cell)."
            )
    potential = data.get("potential") or {}
    if not isinstance(potential, dict):
        raise RuleError(f"{source}: key 'potential' must be a mapping.")
    variants = _variants(data.get("setback_variants"), lists["exclude"], source)
    return RuleSet(
        technology=tech,
        resolution_m=resolution,
        exclude=lists["exclude"],
        include=lists["include"],
        min_area_ha=_number(data.get("min_area_ha", 0), source, "min_area_ha"),
        plausible_share_max=_share(data.get("plausible_share_max", 0.5), source),
        potential=dict(potential),
        path=source,
        setback_variants=variants,
    )


def _variants(
    raw: Any, exclude: tuple[VectorRule | ClassRule, ...], source: str
) -> tuple[SetbackVariant, ...]:
    """Check ``setback_variants``: each names an exclude rule by dataset and a new buffer."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RuleError(f"{source}: key 'setback_variants' must be a list of variants.")
    out: list[SetbackVariant] = []
    for i, item in enumerate(raw):
        where = f"{source} setback_variants[{i}]"
        if not isinstance(item, dict):
            raise RuleError(f"{where}: each variant must be a mapping with 'name:', "
                            f"'dataset:', 'buffer_m:' and 'source:', not {item!r}.")  # fmt: skip
        _unknown_keys(item, _VARIANT_KEYS, where)
        for key in ("name", "dataset", "buffer_m", "source"):
            if key not in item:
                raise RuleError(f"{where}: key {key!r} is missing.")
        name = _names(item["name"], where, "name")[0]
        if any(v.name == name for v in out):
            raise RuleError(f"{where}: name {name!r} is used twice; give each variant its own.")
        variant = SetbackVariant(
            name=name,
            datasets=_names(item["dataset"], where, "dataset"),
            functions=_names(item["function"], where, "function") if "function" in item else (),
            buffer_m=_number(item["buffer_m"], where, "buffer_m"),
            source=_names(item["source"], where, "source")[0],
            provisional=bool(item.get("provisional", True)),
            note=str(item.get("note", "")),
            where=where,
        )
        if not any(variant.matches(r) for r in exclude):
            raise RuleError(
                f"{where}: no exclude rule with dataset {'+'.join(variant.datasets)!r}"
                + (f" and function {'+'.join(variant.functions)!r}" if variant.functions else "")
                + " and a fixed buffer_m to change; name the dataset of an exclude rule."
            )
        out.append(variant)
    return tuple(out)


def _share(value: Any, source: str) -> float:
    share = _number(value, source, "plausible_share_max")
    if not 0 < share <= 1:
        raise RuleError(
            f"{source}: key 'plausible_share_max' is {share:g}; give a share between 0 and 1 "
            "(e.g. 0.5: more than half of a region eligible is flagged)."
        )
    return share


#: numeric columns of ``turbine_types.csv`` and their (exclusive lower, upper) bounds
TURBINE_NUMBERS: dict[str, tuple[float, float]] = {
    "rotor_m": (0.0, 400.0),
    "hub_height_m": (0.0, 400.0),
    "capacity_mw": (0.0, 50.0),
    "full_load_hours": (0.0, 8760.0),
    "lwa_dba": (50.0, 130.0),
}
_TURBINE_TEXT = ("id", "source", "lwa_source")
_TURBINE_FLAGS = ("provisional", "lwa_provisional")


def _turbine_number(value: str | None, where: str, key: str) -> float:
    low, high = TURBINE_NUMBERS[key]
    try:
        number = float(value) if value not in (None, "") else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not low < number <= high:
        raise RuleError(
            f"{where}: field {key!r} is {value!r}; it must be a number above {low:g} "
            f"and at most {high:g}."
        )
    return number


def load_turbine_types(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Read and check the turbine types table.

    Every type has a rotor diameter, hub height, rated power, full-load hours
    and an A-weighted sound power level ``lwa_dba`` (dB(A), the maximum of the
    type's IEC 61400-11 declaration), with source ids for the dimensions
    (``source``) and for the sound power (``lwa_source``), and flags that mark
    provisional values.

    Parameters
    ----------
    path : Path, optional
        Default: the package file ``ruimte/rules/data/turbine_types.csv``.

    Returns
    -------
    dict
        Type id -> row with floats for the numeric columns and bools for the flags.

    Raises
    ------
    RuleError
        Naming the file, the row and the field of a missing or impossible value.

    Examples
    --------
    >>> types = load_turbine_types()
    >>> types["rvo_2020_average"]["rotor_m"], types["rvo_2020_average"]["lwa_provisional"]
    (123.0, True)
    """
    path = Path(path or _data_file("turbine_types.csv"))
    out: dict[str, dict[str, Any]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [
            c
            for c in (*_TURBINE_TEXT, *TURBINE_NUMBERS, *_TURBINE_FLAGS)
            if c not in (reader.fieldnames or [])
        ]
        if missing:
            raise RuleError(f"{path}: missing column(s) {', '.join(missing)}.")
        for line, row in enumerate(reader, start=2):
            where = f"{path} line {line} ({row.get('id') or 'no id'})"
            parsed: dict[str, Any] = dict(row)
            for key in _TURBINE_TEXT:
                if not (row.get(key) or "").strip():
                    raise RuleError(f"{where}: field {key!r} is empty; give an id.")
            for key in TURBINE_NUMBERS:
                parsed[key] = _turbine_number(row.get(key), where, key)
            for key in _TURBINE_FLAGS:
                flag = (row.get(key) or "").strip().lower()
                if flag not in ("true", "false"):
                    raise RuleError(
                        f"{where}: field {key!r} is {row.get(key)!r}; use true or false."
                    )
                parsed[key] = flag == "true"
            if row["id"] in out:
                raise RuleError(f"{where}: turbine type {row['id']!r} appears twice.")
            out[row["id"]] = parsed
    return out


def load_ladder(path: Path | None = None) -> list[dict[str, Any]]:
    """Read the solar ladder tiers (``solar_ladder.yaml``), in order of preference."""
    path = path or _data_file("solar_ladder.yaml")
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    tiers = data.get("tiers") if isinstance(data, dict) else None
    if not isinstance(tiers, list) or not tiers:
        raise RuleError(f"{path}: key 'tiers' must be a non-empty list.")
    return tiers
