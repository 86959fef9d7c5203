# SPDX-License-Identifier: Apache-2.0
"""``ruimte esdl import|export``: exchange energy systems as ESDL (via pyESDL)."""

from __future__ import annotations

from pathlib import Path

import click

from ruimte.cli.output import echo_json

workspace_arg = click.argument(
    "workspace", type=click.Path(file_okay=False, path_type=Path), metavar="WORKSPACE"
)


@click.group("esdl")
def esdl_group() -> None:
    """Import and export ESDL energy systems (Energy System Description Language)."""


@esdl_group.command("import")
@workspace_arg
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--scenario", "-s", default="basis", show_default=True, help="Scenario of the claims."
)
@click.option("--status", default="realised", show_default=True, help="Status of the claims.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def import_cmd(workspace: Path, file: Path, scenario: str, status: str, as_json: bool) -> None:
    """Import FILE's assets as claims and its transformers and cables as grid datasets.

    Asset types that ruimte does not model are listed, not imported; nothing is
    stored when the file cannot be read.
    """
    from ruimte.exchange.esdl_import import import_esdl
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    summary = import_esdl(ws, file, scenario=scenario, status=status)
    if as_json:
        echo_json(summary)
        return
    click.echo(
        f"Imported {summary['energy_system']!r}: {summary['claims']} claims (scenario "
        f"{scenario}), {summary['substations']} substations, {summary['lines']} lines."
    )
    for note in summary["notes"]:
        click.echo(f"  - {note}")


@esdl_group.command("export")
@workspace_arg
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scenario", "-s", required=True, help="Scenario to export.")
@click.option("--no-network", is_flag=True, help="Leave out the substations and lines.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def export_cmd(workspace: Path, out: Path, scenario: str, no_network: bool, as_json: bool) -> None:
    """Write a scenario's located claims (and the grid) as an ESDL file OUT."""
    from ruimte.exchange.esdl_export import export_esdl
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    summary = export_esdl(ws, scenario, out, include_network=not no_network)
    if as_json:
        echo_json(summary)
        return
    click.echo(f"Wrote {summary['assets']} assets of scenario {scenario} to {out}.")
    for note in summary["notes"]:
        click.echo(f"  - {note}")
