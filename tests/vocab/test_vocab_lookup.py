# SPDX-License-Identifier: Apache-2.0
"""Look-ups and checks on the vocabulary: ids that exist and ids that do not."""

from __future__ import annotations

import pytest

from ruimte.errors import RuimteError, UnknownFunctionError
from ruimte.vocab import UnknownTermError, Vocabulary


def test_unknown_function_suggests_the_closest(vocab: Vocabulary) -> None:
    with pytest.raises(
        UnknownFunctionError,
        match=r"No function named 'wind_turbin'.*"
        r"Did you mean 'wind_turbine'\?",
    ):
        vocab.function("wind_turbin")


def test_relation_with_unknown_function(vocab: Vocabulary) -> None:
    with pytest.raises(UnknownFunctionError, match="solar_feld.*Did you mean 'solar_field'"):
        vocab.relation("solar_feld", "housing")


@pytest.mark.parametrize(
    ("method", "good", "bad", "hint"),
    [
        ("check_function", "battery", "batery", "'battery'"),
        ("check_unit", "GWh/yr", "GWh/y", "'GWh/yr'"),
        ("check_plan_type", "omgevingsplan", "omgevingsplann", "'omgevingsplan'"),
        ("check_level", "municipality", "municipalty", "'municipality'"),
        ("check_status", "proposed", "propsed", "'proposed'"),
        ("check_phase", "in_force", "inforce", "'in_force'"),
        ("check_layer", "netwerken", "netwerk", "'netwerken'"),
        ("check_transition", "energy", "enrgy", "'energy'"),
    ],
)
def test_checks(vocab: Vocabulary, method: str, good: str, bad: str, hint: str) -> None:
    check = getattr(vocab, method)
    assert check(good) == good
    with pytest.raises(RuimteError, match=f"{bad!r}.*Did you mean {hint}") as info:
        check(bad)
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, UnknownFunctionError | UnknownTermError)


def test_check_level_accepts_non_territorial_bodies(vocab: Vocabulary) -> None:
    assert vocab.check_level("water_board") == "water_board"
    assert "water_board" not in vocab.governance_levels


def test_far_off_name_lists_choices(vocab: Vocabulary) -> None:
    with pytest.raises(UnknownTermError, match="Choose one of: .*adopted"):
        vocab.check_status("zzz")


def test_labels_by_language(vocab: Vocabulary) -> None:
    fn = vocab.function("wind_turbine")
    assert fn.label("nl") == "Windturbine" and fn.label("en") == "Wind turbine"


def test_terms_are_frozen(vocab: Vocabulary) -> None:
    with pytest.raises(AttributeError):
        vocab.function("housing").layer = "netwerken"  # type: ignore[misc]
    with pytest.raises(TypeError):
        vocab.functions["x"] = vocab.function("housing")  # type: ignore[index]
