# SPDX-License-Identifier: Apache-2.0
"""Weight files, the compromise of the stakeholder groups, and errors that name the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from ruimte.analysis.allocation.weights import (
    WeightFileError,
    compromise,
    default_weight_sets,
    read_weight_file,
)


def test_demo_weight_sets_cover_the_five_groups() -> None:
    sets = default_weight_sets()
    assert set(sets) == {
        "residents",
        "farmers",
        "grid_operator",
        "nature_organisation",
        "municipality",
    }
    assert sets["grid_operator"]["grid_reinforcement"] == 4.0


def test_compromise_is_the_mean_of_the_normalised_sets() -> None:
    # a: x 0.75, y 0.25; b: y 1.0 -> mean x 0.375, y 0.625
    assert compromise({"a": {"x": 3, "y": 1}, "b": {"y": 2}}) == {"x": 0.375, "y": 0.625}
    middle = compromise(default_weight_sets())
    assert sum(middle.values()) == pytest.approx(1.0)


def test_csv_and_yaml_weight_files(tmp_path: Path) -> None:
    csv = tmp_path / "w.csv"
    csv.write_text("weight_set,criterion,weight\nmine,grid_reinforcement,2\nmine,suitability,1\n")
    assert read_weight_file(csv) == {"mine": {"grid_reinforcement": 2.0, "suitability": 1.0}}
    yml = tmp_path / "w.yaml"
    yml.write_text("buren:\n  dwelling_nuisance: 5\n  landscape_nature: 1\n")
    assert read_weight_file(yml)["buren"]["dwelling_nuisance"] == 5.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "weight_set,criterion,weight\nmine,grid_reinforcment,2\n",
            "weight set 'mine' names unknown criterion 'grid_reinforcment'. "
            "Did you mean 'grid_reinforcement'?",
        ),
        (
            "weight_set,criterion,weight\nmine,suitability,-1\n",
            "criterion 'suitability': weight -1 must be a number of 0 or more",
        ),
        ("weight_set,criterion,weight\nmine,suitability,0\n", "has no positive weight"),
        ("set,criterion,weight\nmine,suitability,1\n", "missing column(s) ['weight_set']"),
    ],
)
def test_bad_weight_files_name_the_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "weights.csv"
    path.write_text(text)
    with pytest.raises(WeightFileError) as err:
        read_weight_file(path)
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)
