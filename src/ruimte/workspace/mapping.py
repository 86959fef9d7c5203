# SPDX-License-Identifier: Apache-2.0
"""Map source features onto vocabulary functions (gebruiksfuncties).

A mapping is a small dict, usually kept in a YAML file next to the data::

    field: gewascode          # source attribute
    values: {"265": dairy_farming, "259": arable_farming}
    default: arable_farming   # optional

or ``{function: housing}`` to give every feature one function. This module
does not import the vocabulary: callers pass the valid function ids.

For claims, a value may map to a list of functions: one row of the file
becomes one claim per function on the same footprint (``"Zon en wind":
[solar_field, wind_turbine]``), and the mapping may say where the quantity
and its unit are (``quantity_field``, ``unit`` or ``unit_field``) and
whether to derive a missing quantity from the area (``derive_quantity``).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd

from ruimte.errors import InputFileNotFoundError, MappingError, did_you_mean

logger = logging.getLogger(__name__)

__all__ = ["FUNCTION_COLUMN", "MAPPING_KEYS", "apply_function_mapping", "load_mapping"]

#: Name of the column :func:`apply_function_mapping` adds.
FUNCTION_COLUMN = "function"
#: Keys a mapping may hold.
MAPPING_KEYS: tuple[str, ...] = (
    "field",
    "values",
    "default",
    "function",
    "description",
    "quantity_field",
    "unit",
    "unit_field",
    "derive_quantity",
)
#: keys that only an import of claims reads
CLAIM_KEYS: tuple[str, ...] = ("quantity_field", "unit", "unit_field", "derive_quantity")
_MAX_LISTED_UNMAPPED = 20


def load_mapping(path: Path) -> dict[str, Any]:
    """Load a function mapping from a YAML (or JSON) file and check its shape.

    Parameters
    ----------
    path : Path
        The mapping file.

    Returns
    -------
    dict
        The mapping, with ``values`` keys turned into strings. Function ids are
        checked later, by :func:`apply_function_mapping`.

    Raises
    ------
    InputFileNotFoundError
        If the file does not exist.
    MappingError
        If the file is not valid YAML or not a mapping of the expected form;
        the message names the file and the key.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"file not found: {path}. Check the path.")
    import yaml  # here: only a file to read needs it (~10 ms to import)

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise MappingError(
            f"{path.name}: the mapping file is not valid YAML{where} "
            f"({getattr(exc, 'problem', None) or exc}). Fix the syntax."
        ) from exc
    except UnicodeDecodeError as exc:
        raise MappingError(
            f"{path.name}: the mapping file is not UTF-8 text. Save it as UTF-8."
        ) from exc
    return _check_shape(data, path.name)


def _check_shape(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise MappingError(
            f"{where}: a mapping must be a set of keys such as 'field', 'values' and "
            f"'default', or 'function' alone; got {type(data).__name__}."
        )
    mapping = dict(data)
    for key in mapping:
        if key not in MAPPING_KEYS:
            raise MappingError(
                f"{where}: unknown key {key!r} in the mapping. "
                f"{did_you_mean(str(key), MAPPING_KEYS)}"
            )
    _check_claim_keys(mapping, where)
    if "function" in mapping:
        others = sorted(set(mapping) & {"field", "values", "default"})
        if others:
            raise MappingError(
                f"{where}: key 'function' gives every feature one function and cannot be "
                f"combined with {', '.join(repr(k) for k in others)}. Keep one form."
            )
        if not isinstance(mapping["function"], str):
            raise MappingError(f"{where}: key 'function' must be one function id (a string).")
        return mapping
    if "field" not in mapping:
        raise MappingError(
            f"{where}: the mapping has no 'field' key. Name the source attribute to map "
            f"(field: ...), or give every feature one function (function: ...)."
        )
    if not isinstance(mapping["field"], str):
        raise MappingError(f"{where}: key 'field' must be a column name (a string).")
    values = mapping.get("values", {}) or {}
    if not isinstance(values, Mapping):
        raise MappingError(
            f"{where}: key 'values' must map source values to function ids, "
            f'e.g. values: {{"265": dairy_farming}}.'
        )
    for value, function in values.items():
        many = isinstance(function, list | tuple) and 0 < len(function) <= 4
        if many and all(isinstance(f, str) for f in function):
            continue
        if function is not None and not isinstance(function, str):
            raise MappingError(
                f"{where}: values[{_as_key(value)!r}] must be a function id (a string) or, "
                f"for claims, a list of up to 4 function ids; got {function!r}."
            )
    mapping["values"] = {
        _as_key(k): (tuple(v) if isinstance(v, list | tuple) else v) for k, v in values.items()
    }
    if mapping.get("default") is not None and not isinstance(mapping["default"], str):
        raise MappingError(f"{where}: key 'default' must be a function id (a string).")
    return mapping


def _check_claim_keys(mapping: Mapping[str, Any], where: str) -> None:
    """Check the keys that say where a claim's quantity and unit are."""
    for key in ("quantity_field", "unit", "unit_field"):
        if mapping.get(key) is not None and not isinstance(mapping[key], str):
            raise MappingError(f"{where}: key {key!r} must be a string.")
    if mapping.get("unit") and mapping.get("unit_field"):
        raise MappingError(
            f"{where}: give the unit once: 'unit' (one for all rows) or 'unit_field' (a column)."
        )
    if not isinstance(mapping.get("derive_quantity", False), bool):
        raise MappingError(f"{where}: key 'derive_quantity' must be true or false.")


def _as_key(value: Any) -> str | None:
    """Compare values as text: 265, 265.0 and "265" all become "265"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _as_key(value.item())
    return str(value).strip()


def _check_function(function: str, valid: Collection[str], where: str, what: str) -> None:
    if function not in valid:
        raise MappingError(
            f"{where}: {what} maps to {function!r}, which is not a function in the "
            f"vocabulary. {did_you_mean(function, valid)}"
        )


def apply_function_mapping(
    gdf: gpd.GeoDataFrame,
    *,
    valid_functions: Collection[str],
    function: str | None = None,
    mapping: Mapping[str, Any] | None = None,
    source_name: str = "",
    allow_combined: bool = False,
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Give every feature a vocabulary function id.

    Parameters
    ----------
    gdf : GeoDataFrame
        The features. Not modified.
    valid_functions : collection of str
        The function ids the vocabulary defines.
    function : str, optional
        One function for every feature.
    mapping : Mapping, optional
        Any mapping (a dict, a read-only view, ...) of the form
        ``{"field": ..., "values": {...}, "default": ...}`` or
        ``{"function": ...}``; see :func:`load_mapping`. It is not modified.
        Source values compare as text, so 265 matches ``"265"``.
    source_name : str
        Name of the data (e.g. the file name) used in messages.
    allow_combined : bool
        Whether a value may map to a list of functions (claims: one claim per
        function on the same footprint); the ``function`` cell is then a tuple.

    Returns
    -------
    GeoDataFrame
        A copy with a ``function`` column: the function id per feature, or None
        where no value matched and there is no default. An existing
        ``function`` column of the source is renamed to ``function_src``.
    dict
        The mapping as applied, JSON-serialisable, for provenance: the mapping
        keys plus ``n_features``, ``n_mapped``, ``n_unmapped``,
        ``unmapped_values`` (up to 20 distinct source values, most frequent
        first), ``counts`` (features per function) and ``source``.

    Raises
    ------
    MappingError
        If both ``function`` and ``mapping`` are given, the mapping's field is
        not a column, or a value maps to a function not in ``valid_functions``.

    Examples
    --------
    >>> gdf = gpd.GeoDataFrame({"gewascode": [265, 259]}, geometry=[None, None])
    >>> out, record = apply_function_mapping(
    ...     gdf,
    ...     valid_functions={"dairy_farming", "arable_farming"},
    ...     mapping={"field": "gewascode", "values": {"265": "dairy_farming"}},
    ... )
    >>> out["function"].tolist(), record["n_unmapped"]
    (['dairy_farming', None], 1)
    """
    where = source_name or "mapping"
    valid = set(valid_functions)
    if function is not None and mapping is not None:
        raise MappingError(
            f"{where}: give either one function for all features (--function) or a "
            f"mapping (--mapping), not both."
        )
    if mapping is not None:
        mapping = _check_shape(mapping, where)
        if "function" in mapping:
            function, mapping = mapping["function"], None

    out = gdf.copy()
    renamed: dict[str, str] = {}
    if FUNCTION_COLUMN in out.columns:
        renamed = {FUNCTION_COLUMN: f"{FUNCTION_COLUMN}_src"}
        out = out.rename(columns=renamed)

    record: dict[str, Any]
    if function is not None:
        _check_function(function, valid, where, "--function")
        out[FUNCTION_COLUMN] = function
        record = {"function": function}
        n_unmapped, unmapped_values = 0, []
    elif mapping is not None:
        field = mapping["field"]
        columns = [str(c) for c in gdf.columns if c != gdf.geometry.name]
        if field not in columns:
            raise MappingError(
                f"{where}: the mapping's field {field!r} is not a column of the data. "
                f"{did_you_mean(field, columns)}"
            )
        values: dict[str, str | None] = mapping["values"]
        for value, target in values.items():
            if isinstance(target, tuple) and not allow_combined:
                raise MappingError(
                    f"{where}: value {value!r} of field {field!r} maps to a list of functions, "
                    "which only an import of claims (--claims) can split into several claims."
                )
            for one in target if isinstance(target, tuple) else (target,):
                if one is not None:
                    _check_function(one, valid, where, f"value {value!r} of field {field!r}")
        default = mapping.get("default")
        if default is not None:
            _check_function(default, valid, where, "the default")
        keys = [_as_key(v) for v in gdf[field].tolist()]
        functions = [values.get(k, default) if k is not None else default for k in keys]
        out[FUNCTION_COLUMN] = functions
        missing = Counter(
            "<empty>" if k is None else k for k, f in zip(keys, functions, strict=True) if f is None
        )
        n_unmapped = sum(missing.values())
        unmapped_values = [v for v, _ in missing.most_common(_MAX_LISTED_UNMAPPED)]
        record = {
            "field": field,
            "values": {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()},
            "default": default,
        }
        record.update({k: mapping[k] for k in CLAIM_KEYS if mapping.get(k) is not None})
        if mapping.get("description"):
            record["description"] = str(mapping["description"])
    else:
        out[FUNCTION_COLUMN] = None
        record = {}
        n_unmapped, unmapped_values = len(out), []

    out[FUNCTION_COLUMN] = (
        out[FUNCTION_COLUMN].astype(object).where(out[FUNCTION_COLUMN].notna(), None)
    )
    counts: Counter[str] = Counter()
    # per distinct value (a tuple: combined functions), not per feature
    for value, n in out[FUNCTION_COLUMN].value_counts(dropna=True).items():
        for one in value if isinstance(value, tuple) else (value,):
            counts[one] += int(n)
    record.update(
        {
            "source": source_name,
            "n_features": len(out),
            "n_mapped": len(out) - n_unmapped,
            "n_unmapped": n_unmapped,
            "unmapped_values": unmapped_values,
            "counts": dict(sorted(counts.items())),
        }
    )
    if renamed:
        record["renamed_columns"] = renamed
    if n_unmapped and (function is not None or mapping is not None):
        logger.warning(
            "%s: %d of %d features match no mapped value and have no function (e.g. %s)",
            where,
            n_unmapped,
            len(out),
            ", ".join(unmapped_values[:5]),
        )
    return out, record
