# SPDX-License-Identifier: Apache-2.0
"""Names are for people: scenario names with spaces, hyphens and accents run everywhere."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ruimte.cli.main import main as cli
from ruimte.names import key_part
from ruimte.workspace import Workspace

NAMES = ["Variant A-2 (noord)", "audit-tak", "Één café", "BASIS"]


def test_key_parts_are_safe_unique_and_stable() -> None:
    parts = [key_part(n) for n in [*NAMES, "audit tak", "audit_tak", "basis", "x" * 200]]
    assert len(set(parts)) == len(parts)  # distinct names, distinct keys
    assert key_part("basis") == "basis"  # clean names keep the keys stored before
    for part in parts:
        assert part[0].isalpha() and set(part) <= set("abcdefghijklmnopqrstuvwxyz0123456789_")
        assert len(part) <= 32
    assert key_part("Variant A-2 (noord)") == key_part("Variant A-2 (noord)")
    assert key_part("Één café").startswith("een_cafe_")


@pytest.mark.parametrize("name", ["Variant A-2 (noord)", "audit-tak"])
def test_an_overlay_run_of_a_scenario_with_a_display_name(demo_ws: Workspace, name: str) -> None:
    runner = CliRunner()
    path = str(demo_ws.path)
    made = runner.invoke(cli, ["scenario", "create", path, name, "--from", "basis"])
    assert made.exit_code == 0, made.output
    run = runner.invoke(cli, ["conflicts", path, "-s", name, "--json"])
    assert run.exit_code == 0, run.output
    key = f"conflicts_{key_part(name)}"
    ws = Workspace.open(demo_ws.path)
    assert key in set(ws.results()["key"])
    # the child inherits basis unchanged: the same findings as basis
    base = runner.invoke(cli, ["conflicts", path, "-s", "basis", "--json"])
    assert base.exit_code == 0
    assert len(ws.read_result(key, "indicators")) == len(
        Workspace.open(demo_ws.path).read_result("conflicts_basis", "indicators")
    )
