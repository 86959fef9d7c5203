# SPDX-License-Identifier: Apache-2.0
"""`ruimte targets` as a user runs it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ruimte.cli.main import main
from ruimte.workspace import Workspace


def test_targets_gap_report_and_cascade(demo_ws: Workspace) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["targets", str(demo_ws.path), "--level", "res_region", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [t["target_id"] for t in data["targets"]] == ["T10", "T50"]
    assert {p["plan_id"] for p in data["plans"] if p["issue"] == "contradicts"} >= {"P05"}
    table = runner.invoke(main, ["targets", str(demo_ws.path)])
    assert table.exit_code == 0 and "T24" in table.output and "Plans" in table.output
    split = runner.invoke(
        main,
        [
            "targets",
            str(demo_ws.path),
            "--cascade",
            "T20",
            "--to",
            "municipality",
            "--key",
            "equal",
            "--json",
        ],
    )
    assert [r["quantity"] for r in json.loads(split.output)] == [2250.0] * 4


def test_targets_errors_name_the_fix(demo_ws: Workspace) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["targets", str(demo_ws.path), "--level", "municipalty"])
    assert bad.exit_code == 2 and "Did you mean 'municipality'" in bad.output
    bad = runner.invoke(main, ["targets", str(demo_ws.path), "--cascade", "T1O"])
    assert bad.exit_code == 2 and "no target 'T1O'" in bad.output
    bad = runner.invoke(
        main, ["targets", str(demo_ws.path), "--cascade", "T10", "--key", "population"]
    )
    assert bad.exit_code == 2 and "pass a CSV with code,value" in bad.output
