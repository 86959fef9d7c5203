# SPDX-License-Identifier: Apache-2.0
"""`ruimte scenario`, `ruimte allocate` and `ruimte update` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ruimte.cli.main import main
from ruimte.workspace import Workspace


def test_scenario_create_list_compare(demo_ws: Workspace) -> None:
    runner = CliRunner()
    path = str(demo_ws.path)
    made = runner.invoke(
        main,
        [
            "scenario",
            "create",
            path,
            "zon_op_dak",
            "--from",
            "basis",
            "--description",
            "roofs first",
        ],
    )
    assert made.exit_code == 0 and "child of basis" in made.output
    listed = json.loads(runner.invoke(main, ["scenario", "list", path, "--json"]).output)
    assert [(r["name"], r["depth"]) for r in listed] == [
        ("basis", 0),
        ("ambitie", 1),
        ("zon_op_dak", 1),
    ]
    compared = runner.invoke(main, ["scenario", "compare", path, "basis", "zon_op_dak", "--json"])
    data = json.loads(compared.output)
    assert data["claims"] == []  # a fresh branch inherits everything, changes nothing
    assert data["indicators"]["basis"] == data["indicators"]["zon_op_dak"]
    again = runner.invoke(main, ["scenario", "create", path, "zon_op_dak", "--from", "basis"])
    assert again.exit_code == 2 and "exists already" in again.output


def test_allocate_json_is_clean_and_bad_weights_are_named(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    weights = tmp_path / "w.csv"
    weights.write_text(
        "weight_set,criterion,weight\nbuurt,dwelling_nuisance,3\nbuurt,suitability,1\n"
    )
    # a separate process, so that solver output written to the C-level stdout would show
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("ruimte")),
            "allocate",
            str(demo_ws.path),
            "--weights",
            str(weights),
            "--cell",
            "1000",
            "--no-save",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data["weight_sets"]) == {"buurt", "compromise"}
    assert data["weight_sets"]["buurt"]["status"] == "optimal"
    weights.write_text("weight_set,criterion,weight\nbuurt,dwelling_nuisanse,3\n")
    bad = CliRunner().invoke(main, ["allocate", str(demo_ws.path), "--weights", str(weights)])
    assert bad.exit_code == 2
    assert (
        f"{weights}: weight set 'buurt' names unknown criterion 'dwelling_nuisanse'" in bad.output
    )
    assert "Did you mean 'dwelling_nuisance'" in bad.output


def test_update_with_nothing_stored(demo_ws: Workspace) -> None:
    out = CliRunner().invoke(main, ["update", str(demo_ws.path)])
    assert out.exit_code == 0 and "Nothing to update" in out.output
