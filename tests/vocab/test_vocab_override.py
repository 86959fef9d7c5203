# SPDX-License-Identifier: Apache-2.0
"""Workspace overrides (vocabulary.yaml): extension, override and every kind of broken file."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ruimte.errors import VocabularyError
from ruimte.vocab import Vocabulary, load_vocabulary

from .vocab_helpers import AGRIVOLTAICS, MY_SOURCE, rows_against_all

Write = Callable[[Any], Path]


def _full(vocab: Vocabulary, **extra: Any) -> dict[str, Any]:
    rows = rows_against_all("agrivoltaics", vocab, skip={"housing"})
    rows.append(
        {
            "function_a": "agrivoltaics",
            "function_b": "housing",
            "relation": "distance",
            "min_distance_m": 50,
            "source_id": "my_source",
        }
    )
    data: dict[str, Any] = {
        "functions": [AGRIVOLTAICS],
        "compatibility": rows,
        "sources": [MY_SOURCE],
    }
    data.update(extra)
    return data


def _error(path: Path) -> str:
    with pytest.raises(VocabularyError) as info:
        load_vocabulary(override=path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message  # names the file first
    return message


def test_add_function(vocab: Vocabulary, write_override: Write) -> None:
    path = write_override(_full(vocab))
    ws = load_vocabulary(override=path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    assert ws.version == f"1.1.0+ws.{digest}"
    assert re.fullmatch(r"1\.1\.0\+ws\.[0-9a-f]{8}", ws.version)
    fn = ws.function("agrivoltaics")
    assert (fn.layer, fn.space_use_value, fn.space_use_unit, fn.provisional) == (
        "occupatie",
        1.6,
        "ha/MWp",
        True,
    )
    rel = ws.relation("housing", "agrivoltaics")
    assert rel.relation == "distance" and rel.min_distance_m == 50
    assert rel.source is not None and rel.source.title == "Gemeentelijk beleid 2025"
    assert len(ws.relations) == len(vocab.relations) + len(vocab.functions) + 1
    assert fn in ws.functions_by_layer()["occupatie"]
    # the packaged vocabulary is untouched
    assert "agrivoltaics" not in load_vocabulary().functions


def test_override_fields_of_existing_function(vocab: Vocabulary, write_override: Write) -> None:
    path = write_override(
        {
            "functions": [
                {"id": "housing", "space_use_value": 45, "space_use_source": "my_source"}
            ],
            "sources": [MY_SOURCE],
        }
    )
    housing = load_vocabulary(override=path).function("housing")
    assert housing.space_use_value == 45 and housing.space_use_source == "my_source"
    assert housing.space_use_unit == "homes/ha"  # kept from the package
    assert housing.label_nl == vocab.function("housing").label_nl


def test_override_existing_pair_in_reverse_order(write_override: Write) -> None:
    path = write_override(
        {
            "compatibility": [
                {
                    "function_a": "wind_turbine",
                    "function_b": "housing",
                    "relation": "distance",
                    "min_distance_m": 600,
                    "source_id": "my_source",
                    "provisional": False,
                    "note": "provincial minimum",
                }
            ],
            "sources": [MY_SOURCE],
        }
    )
    rel = load_vocabulary(override=path).relation("housing", "wind_turbine")
    assert (rel.min_distance_m, rel.provisional, rel.note) == (600, False, "provincial minimum")
    assert load_vocabulary().relation("housing", "wind_turbine").min_distance_m == 400


def test_empty_override_is_the_package_with_a_workspace_version(write_override: Write) -> None:
    ws = load_vocabulary(override=write_override(""))
    assert ws.version.startswith("1.1.0+ws.")
    assert ws.functions == load_vocabulary().functions


def test_new_function_without_its_pairs(vocab: Vocabulary, write_override: Write) -> None:
    path = write_override({"functions": [AGRIVOLTAICS], "sources": [MY_SOURCE]})
    message = _error(path)
    n = len(vocab.functions) + 1
    assert f"compatibility: the compatibility matrix is incomplete: {n} pair(s) missing" in message
    assert (
        "(agrivoltaics, agrivoltaics)" in message
        and "(agrivoltaics, aquifer_thermal_storage)" in message
    )
    assert f"and {n - 5} more" in message
    assert "Add one row for every pair" in message


def test_one_pair_missing(vocab: Vocabulary, write_override: Write) -> None:
    data = _full(vocab)
    data["compatibility"] = [r for r in data["compatibility"] if r["function_b"] != "forest"]
    message = _error(write_override(data))
    assert "1 pair(s) missing: (agrivoltaics, forest)." in message


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (
            {"layer": "ocupatie"},
            "functions[0] (id 'agrivoltaics')",
            "layer 'ocupatie' is not defined in layers.csv. Did you mean 'occupatie'?",
        ),
        (
            {"transition": "solar"},
            "functions[0] (id 'agrivoltaics')",
            "transition 'solar' is not defined in transitions.csv",
        ),
        (
            {"space_use_value": "veel"},
            "functions[0] (id 'agrivoltaics')",
            "space_use_value 'veel' is not a number",
        ),
        (
            {"space_use_value": -1},
            "functions[0] (id 'agrivoltaics')",
            "space_use_value -1.0 is not positive",
        ),
        (
            {"space_use_unit": "acre/MWp"},
            "functions[0] (id 'agrivoltaics')",
            "space_use_unit 'acre/MWp' is neither a unit nor a ratio",
        ),
        (
            {"space_use_source": "nobody"},
            "functions[0] (id 'agrivoltaics')",
            "space_use_source 'nobody' is not defined in sources.csv",
        ),
        (
            {"colour": "green"},
            "functions[0] (id 'agrivoltaics')",
            "colour 'green' is not a hex colour",
        ),
        (
            {"geometry": "raster"},
            "functions[0] (id 'agrivoltaics')",
            "geometry 'raster' is not one of",
        ),
        (
            {"provisional": "maybe"},
            "functions[0] (id 'agrivoltaics')",
            "provisional 'maybe' is not true or false",
        ),
        ({"label_en": ""}, "functions[0] (id 'agrivoltaics')", "label_en is empty"),
        (
            {"colour_hex": "#ffffff"},
            "functions[0] (id 'agrivoltaics')",
            "unknown field(s) colour_hex",
        ),
    ],
)
def test_broken_function(
    vocab: Vocabulary, write_override: Write, change: dict, key: str, problem: str
) -> None:
    data = _full(vocab, functions=[{**AGRIVOLTAICS, **change}])
    message = _error(write_override(data))
    assert f": {key}: {problem}" in message


def _with_row(vocab: Vocabulary, row: dict[str, Any]) -> dict[str, Any]:
    data = _full(vocab)
    data["compatibility"] = [
        r for r in data["compatibility"] if r["function_b"] != row["function_b"]
    ]
    data["compatibility"].append(row)
    return data


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"relation": "friendly"}, "relation 'friendly' is not one of exclusive, shared, distance"),
        (
            {"relation": "distance", "source_id": "my_source"},
            "a distance relation needs a positive min_distance_m",
        ),
        (
            {"relation": "distance", "min_distance_m": 0, "source_id": "my_source"},
            "a distance relation needs a positive min_distance_m",
        ),
        (
            {"relation": "distance", "min_distance_m": "far", "source_id": "my_source"},
            "min_distance_m 'far' is not a number",
        ),
        ({"relation": "distance", "min_distance_m": 100}, "a distance relation needs a source_id"),
        ({"relation": "shared"}, "a shared relation needs a condition"),
        ({"relation": "neutral", "min_distance_m": 10}, "min_distance_m is given for a 'neutral'"),
        (
            {"relation": "neutral", "source_id": "elsewhere"},
            "source_id 'elsewhere' is not defined in sources.csv",
        ),
    ],
)
def test_broken_compatibility_row(
    vocab: Vocabulary, write_override: Write, row: dict, problem: str
) -> None:
    full = {"function_a": "agrivoltaics", "function_b": "forest", **row}
    message = _error(write_override(_with_row(vocab, full)))
    assert re.search(
        r": compatibility\[\d+\] \(agrivoltaics, forest\): " + re.escape(problem), message
    ), message


def test_row_with_unknown_function(vocab: Vocabulary, write_override: Write) -> None:
    data = _full(vocab)
    data["compatibility"].append(
        {"function_a": "agrivoltaics", "function_b": "winde_turbine", "relation": "neutral"}
    )
    message = _error(write_override(data))
    assert "(agrivoltaics, winde_turbine): function 'winde_turbine' is not defined" in message
    assert "Did you mean 'wind_turbine'?" in message


def test_pair_twice_with_different_content(vocab: Vocabulary, write_override: Write) -> None:
    data = _full(vocab)
    data["compatibility"].append(
        {"function_a": "forest", "function_b": "agrivoltaics", "relation": "exclusive"}
    )
    message = _error(write_override(data))
    assert (
        "(agrivoltaics, forest): pair (agrivoltaics, forest) is defined twice with different "
        "content (first at compatibility[" in message
    )


def test_pair_twice_with_same_content_is_fine(vocab: Vocabulary, write_override: Write) -> None:
    data = _full(vocab)
    data["compatibility"].append(
        {"function_a": "forest", "function_b": "agrivoltaics", "relation": "neutral"}
    )
    assert load_vocabulary(override=write_override(data)).relation("forest", "agrivoltaics")


def test_malformed_yaml(write_override: Write) -> None:
    message = _error(write_override("functions:\n  - id: x\n    label_nl: [unclosed\n"))
    assert re.search(r": line \d+: malformed YAML", message)
    assert "Fix the YAML syntax" in message


@pytest.mark.parametrize(
    ("content", "key", "problem"),
    [
        ("- just\n- a list\n", "top level", "is not a mapping"),
        ({"function": []}, "function", "is not a known section. Use only functions, compatibility"),
        ({"functions": {"id": "x"}}, "functions", "is not a list of mappings"),
        ({"functions": [{"label_nl": "x"}]}, "functions[0]", "has no id"),
        (
            {"sources": [{"id": "s", "title": "T", "year": "twenty"}]},
            "sources[0] (id 's')",
            "year 'twenty' is not a number",
        ),
    ],
)
def test_broken_structure(write_override: Write, content: Any, key: str, problem: str) -> None:
    message = _error(write_override(content))
    assert f": {key}: {problem}" in message


def test_missing_override_file(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    with pytest.raises(VocabularyError, match=re.escape(f"{path}: file: does not exist")):
        load_vocabulary(override=path)


def test_a_wildcard_row_fills_the_pairs_of_a_new_function(tmp_path) -> None:
    import yaml

    from ruimte.errors import VocabularyError
    from ruimte.vocab import load_vocabulary

    path = tmp_path / "vocabulary.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "functions": [
                    {
                        "id": "agrivoltaics",
                        "label_nl": "Agri-PV",
                        "label_en": "Agrivoltaics",
                        "layer": "occupatie",
                        "transition": "energy",
                    }
                ],
                "compatibility": [
                    {
                        "function_a": "agrivoltaics",
                        "function_b": "dairy_farming",
                        "relation": "shared",
                        "condition": "panels high enough for grazing",
                    },
                    {"function_a": "agrivoltaics", "function_b": "*", "relation": "exclusive"},
                ],
            }
        )
    )
    vocab = load_vocabulary(path)
    base = load_vocabulary()
    assert vocab.relation("agrivoltaics", "dairy_farming").relation == "shared"
    assert vocab.relation("housing", "agrivoltaics").relation == "exclusive"
    assert vocab.relation("agrivoltaics", "agrivoltaics").relation == "exclusive"
    # the wildcard never touches pairs the package already defines
    assert vocab.relation("wind_turbine", "housing") == base.relation("wind_turbine", "housing")
    n = len(vocab.functions)
    assert len(vocab.relations) == n * (n + 1) // 2

    path.write_text(
        yaml.safe_dump(
            {"compatibility": [{"function_a": "*", "function_b": "*", "relation": "neutral"}]}
        )
    )
    with pytest.raises(VocabularyError, match="wildcard on both sides"):
        load_vocabulary(path)
