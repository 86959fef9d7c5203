# SPDX-License-Identifier: Apache-2.0
"""The ``ruimte vocab`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ruimte.cli.main import main
from ruimte.vocab import Vocabulary

from .vocab_helpers import AGRIVOLTAICS, MY_SOURCE, rows_against_all


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_lists_functions_grouped_by_layer(runner: CliRunner, vocab: Vocabulary) -> None:
    result = runner.invoke(main, ["vocab"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Vocabulary 1.1.0: " in out
    heads = [out.index(f"({layer})") for layer in ("ondergrond", "netwerken", "occupatie")]
    assert heads == sorted(heads)
    assert heads[1] < out.index("hv_line") < heads[2] < out.index("wind_turbine")
    assert heads[0] < out.index("groundwater_protection") < heads[1]
    line = next(x for x in out.splitlines() if x.strip().startswith("solar_field"))
    assert "Solar field" in line and "1.2 ha/MWp *" in line and "PVPark" in line
    assert all(fid in out for fid in vocab.functions)


def test_lists_dutch_labels(runner: CliRunner) -> None:
    result = runner.invoke(main, ["vocab", "--lang", "nl"])
    assert result.exit_code == 0
    assert "Windturbine" in result.output and "Occupatie (occupatie)" in result.output
    assert "Energietransitie" in result.output


def test_compat_explains_a_distance(runner: CliRunner) -> None:
    result = runner.invoke(main, ["vocab", "--compat", "wind_turbine", "housing"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("wind_turbine (Wind turbine) + housing (Housing)")
    assert "relation:     distance" in out
    assert "min distance: 400 m" in out
    assert "Windplan Groen FAQ" in out and "https://www.windplangroen.nl/" in out
    assert "provisional:  yes, to be confirmed" in out
    assert "vocabulary:   1.1.0" in out


def test_compat_explains_shared_land(runner: CliRunner) -> None:
    result = runner.invoke(main, ["vocab", "--compat", "dairy_farming", "solar_field"])
    assert result.exit_code == 0
    assert "relation:     shared" in result.output
    assert "condition:    sheep grazing under panels" in result.output
    assert "(2023)" in result.output  # the source year


def test_compat_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["vocab", "--compat", "road", "wind_turbine", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["relation"] == "distance" and data["min_distance_m"] == 30
    assert data["source"]["id"] == "beleidsregel_rws_wind"
    assert data["source"]["url"] == "https://wetten.overheid.nl/BWBR0013685"
    assert data["source"]["year"] == 2002
    assert data["provisional"] is False and data["version"] == "1.1.0"


def test_list_json(runner: CliRunner, vocab: Vocabulary) -> None:
    result = runner.invoke(main, ["vocab", "--json", "--lang", "nl"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["version"] == "1.1.0"
    assert list(data["layers"]) == ["ondergrond", "netwerken", "occupatie"]
    ids = [f["id"] for fns in data["layers"].values() for f in fns]
    assert sorted(ids) == sorted(vocab.functions)
    wind = next(f for f in data["layers"]["occupatie"] if f["id"] == "wind_turbine")
    assert wind["label"] == "Windturbine" and wind["esdl_class"] == "WindTurbine"


@pytest.mark.parametrize(
    "args", [["--compat", "wind_turbin", "housing"], ["--compat", "housing", "wind_turbin"]]
)
def test_unknown_function_exits_2_with_hint(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, ["vocab", *args])
    assert result.exit_code == 2
    assert "No function named 'wind_turbin'" in result.output
    assert "Did you mean 'wind_turbine'?" in result.output
    assert "Traceback" not in result.output


def test_workspace_vocabulary_is_used(runner: CliRunner, tmp_path: Path, vocab: Vocabulary) -> None:
    data = {
        "functions": [AGRIVOLTAICS],
        "sources": [MY_SOURCE],
        "compatibility": rows_against_all("agrivoltaics", vocab),
    }
    (tmp_path / "vocabulary.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(main, ["vocab", "--workspace", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Vocabulary 1.1.0+ws." in result.output and "agrivoltaics" in result.output
    result = runner.invoke(
        main, ["vocab", "-w", str(tmp_path), "--compat", "agrivoltaics", "forest"]
    )
    assert "relation:     neutral" in result.output


def test_workspace_without_vocabulary_uses_the_package(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["vocab", "--workspace", str(tmp_path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["version"] == "1.1.0"


def test_broken_workspace_vocabulary_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yaml").write_text("functions: [unclosed\n", encoding="utf-8")
    result = runner.invoke(main, ["vocab", "--workspace", str(tmp_path)])
    assert result.exit_code == 2
    assert "vocabulary.yaml: line" in result.output and "malformed YAML" in result.output


def test_missing_workspace_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["vocab", "--workspace", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
