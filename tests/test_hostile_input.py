# SPDX-License-Identifier: Apache-2.0
"""No traceback anywhere: hostile numbers, rule fields and paths give exit 2 and a message.

Hypothesis drives the CLI in-process (click's CliRunner) with NaN, infinities,
zero, negative and absurd values for every numeric option and the numeric
fields of a rule file, and with missing, blocked and wrong-kind paths; a few
real subprocesses check the same from the shell.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruimte.cli.main import main as cli

RUIMTE = [sys.executable, "-c", "from ruimte.cli.main import main; main()"]

#: (command words before the option, option): every numeric option of the CLI
NUMERIC_OPTIONS = [
    (["eligibility", "ws", "--tech", "solar"], "--resolution"),
    (["potential", "ws"], "--resolution"),
    (["potential", "ws"], "--full-load-hours"),
    (["conflicts", "ws"], "--tile-m"),
    (["allocate", "ws"], "--cell"),
    (["allocate", "ws"], "--steps"),
    (["grid", "ws"], "--year"),
    (["import", "ws", "file.gpkg", "--claims"], "--horizon"),
]

HOSTILE_NUMBERS = st.one_of(
    st.sampled_from(["nan", "NaN", "inf", "-inf", "+inf", "0", "-0", "-1", "1e300", "-1e300"]),
    st.sampled_from(["", " ", "é", "1,5", "0x10", "1e", "--", "∞"]),
    st.floats(max_value=0.0).map(repr),
    st.floats(min_value=1e10, allow_infinity=True).map(repr),
)


def _refused(result, name: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert name in result.output, result.output
    assert "Traceback" not in result.output


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(NUMERIC_OPTIONS), HOSTILE_NUMBERS)
def test_every_numeric_option_refuses_hostile_values(case, value: str) -> None:
    words, option = case
    result = CliRunner().invoke(cli, [*words, f"{option}={value}"])
    _refused(result, option)


RULE_FIELDS = {
    # key in the rule file -> line it replaces in the shipped solar.yaml
    "buffer_m": "buffer_m: 10\n",
    "resolution_m": "resolution_m: 25\n",
    "min_area_ha": "min_area_ha: 1.0\n",
}
HOSTILE_YAML = st.sampled_from(
    [".nan", ".inf", "-.inf", "-1", "-1.0e-9", "''", "é", "[1, 2]", "{a: 1}", "true", "null"]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(sorted(RULE_FIELDS)), HOSTILE_YAML)
def test_hostile_rule_fields_are_refused_naming_the_key(
    demo_path: Path, tmp_path: Path, key, value
):
    from importlib.resources import files

    text = (files("ruimte.rules") / "data" / "solar.yaml").read_text(encoding="utf-8")
    line = RULE_FIELDS[key]
    assert line in text
    rules = tmp_path / "hostile.yaml"
    rules.write_text(text.replace(line, f"{key}: {value}\n", 1), encoding="utf-8")
    # the rule file is refused before anything is written: the shared demo stays read-only
    result = CliRunner().invoke(
        cli,
        [
            "eligibility",
            str(demo_path),
            "--tech",
            "solar",
            "--rules",
            str(rules),
            "--resolution",
            "200",
        ],
    )
    _refused(result, key)


def test_a_buffer_wider_than_the_crs_extent_is_refused(demo_path: Path, tmp_path: Path) -> None:
    from importlib.resources import files

    text = (files("ruimte.rules") / "data" / "solar.yaml").read_text(encoding="utf-8")
    rules = tmp_path / "wide.yaml"
    rules.write_text(text.replace("buffer_m: 10\n", "buffer_m: 5000000\n", 1), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "eligibility",
            str(demo_path),
            "--tech",
            "solar",
            "--rules",
            str(rules),
            "--resolution",
            "200",
        ],
    )
    _refused(result, "buffer_m")
    assert "RD New" in result.output


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A plain file: any path 'through' it cannot be created."""
    path = tmp_path / "a-file"
    path.write_text("not a folder")
    return path


def test_paths_that_cannot_be_used(blocked: Path, demo_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    cases = [
        (["init", str(blocked / "ws")], str(blocked / "ws")),
        (["info", str(tmp_path / "missing")], "no workspace here"),
        (["import", str(demo_path), str(tmp_path / "missing.gpkg")], "missing.gpkg"),
        (["import", str(demo_path), str(tmp_path)], str(tmp_path.name)),
        (["export", str(demo_path), "claims", str(blocked / "out.gpkg")], "out.gpkg"),
        (
            [
                "eligibility",
                str(demo_path),
                "--tech",
                "solar",
                "--rules",
                str(tmp_path / "no.yaml"),
            ],
            "--rules",
        ),
        (["backup", str(demo_path), str(blocked / "b.tar")], "b.tar"),
        (["restore", str(tmp_path / "none.tar"), str(tmp_path / "r")], "none.tar"),
    ]
    for args, named in cases:
        _refused(runner.invoke(cli, args), named)


def test_real_processes_exit_2_with_one_line(blocked: Path) -> None:
    for args, named in [
        (["init", str(blocked / "ws")], "Not a directory"),
        (["eligibility", "ws", "--tech", "wind", "--resolution", "nan"], "--resolution"),
    ]:
        done = subprocess.run(RUIMTE + args, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert named in done.stderr and "Traceback" not in done.stderr
