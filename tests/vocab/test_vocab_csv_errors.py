# SPDX-License-Identifier: Apache-2.0
"""Broken packaged CSV files: each error names the file, the row and the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ruimte.errors import VocabularyError
from ruimte.vocab import loader


def _edit(data_copy: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = data_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _error() -> str:
    with pytest.raises(VocabularyError) as info:
        loader._build(None)
    return str(info.value)


def test_copy_loads(data_copy: Path) -> None:
    assert len(loader._build(None).functions) >= 30


def test_missing_required_column(data_copy: Path) -> None:
    _edit(data_copy, "functions.csv", ",transition,", ",transitie,")
    message = _error()
    assert message.startswith("functions.csv: header: missing required column(s) transition.")
    assert "The header must contain: id, label_nl" in message


def test_non_numeric_distance(data_copy: Path) -> None:
    _edit(
        data_copy,
        "compatibility.csv",
        "housing,wind_turbine,distance,400,",
        "housing,wind_turbine,distance,vier honderd,",
    )
    message = _error()
    assert re.match(
        r"compatibility\.csv: row \d+ \(housing, wind_turbine\): min_distance_m "
        r"'vier honderd' is not a number\. Write a plain number",
        message,
    ), message


def test_unknown_layer_in_functions(data_copy: Path) -> None:
    _edit(
        data_copy,
        "functions.csv",
        "wind_turbine,Windturbine,Wind turbine,occupatie,",
        "wind_turbine,Windturbine,Wind turbine,bovengrond,",
    )
    message = _error()
    assert re.match(
        r"functions\.csv: row 2 \(wind_turbine\): layer 'bovengrond' is not defined "
        r"in layers\.csv\.",
        message,
    ), message


def test_reversed_duplicate_pair_with_other_content(data_copy: Path) -> None:
    with (data_copy / "compatibility.csv").open("a", encoding="utf-8") as fh:
        fh.write("wind_turbine,housing,distance,600,,windplan_groen_400,true,\n")
    message = _error()
    assert (
        "compatibility.csv: row 992 (wind_turbine, housing): pair (housing, wind_turbine) is "
        "defined twice with different content" in message
    )


def test_missing_pair(data_copy: Path) -> None:
    _edit(
        data_copy, "compatibility.csv", "battery,substation,synergy,", "battery,battery2,synergy,"
    )
    message = _error()
    assert message.startswith("compatibility.csv: row ")
    assert "function 'battery2' is not defined" in message


def test_deleted_row_makes_the_matrix_incomplete(data_copy: Path) -> None:
    path = data_copy / "compatibility.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if not line.startswith("forest,road,")), encoding="utf-8"
    )
    message = _error()
    assert message.startswith(
        "compatibility.csv: compatibility: the compatibility matrix is "
        "incomplete: 1 pair(s) missing: (forest, road)."
    )


def test_row_with_too_many_fields(data_copy: Path) -> None:
    _edit(
        data_copy,
        "layers.csv",
        "ondergrond,Ondergrond,Subsurface,",
        "ondergrond,Ondergrond,Subsurface,extra,",
    )
    assert _error().startswith("layers.csv: row 2 (ondergrond): has more fields than the header.")


def test_distance_without_source(data_copy: Path) -> None:
    _edit(
        data_copy,
        "compatibility.csv",
        "waterway,wind_turbine,distance,50,,beleidsregel_rws_wind,",
        "waterway,wind_turbine,distance,50,,,",
    )
    assert "(waterway, wind_turbine): a distance relation needs a source_id" in _error()


def test_plan_type_with_unknown_level(data_copy: Path) -> None:
    _edit(
        data_copy,
        "plan_types.csv",
        ',municipality,"Omgevingswet art. 4.1',
        ',gemeente,"Omgevingswet art. 4.1',
    )
    message = _error()
    assert (
        message.startswith("plan_types.csv: row ")
        and "(omgevingsplan): level 'gemeente' is not defined in governance_levels.csv" in message
    )


def test_unit_with_bad_factor(data_copy: Path) -> None:
    _edit(data_copy, "units.csv", "GW,gigawatt,power,1000,MW", "GW,gigawatt,power,-5,MW")
    assert _error().startswith("units.csv: row 6 (GW): to_base '-5' is not positive.")


def test_duplicate_function_id(data_copy: Path) -> None:
    with (data_copy / "functions.csv").open("a", encoding="utf-8") as fh:
        fh.write("forest,Bos,Forest,ondergrond,nature,,,,,false,polygon,#00441c,\n")
    assert "functions.csv: row 46 (forest): duplicate id 'forest'" in _error()
