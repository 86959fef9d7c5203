# SPDX-License-Identifier: Apache-2.0
"""``ruimte esdl import|export``: exchange energy systems as ESDL (via pyESDL)."""

from __future__ import annotations

from pathlib import Path

import click

from ruimte.cli.output import echo_json
from ruimte.cli.params import WORKSPACE

workspace_arg = click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")


@click.group("esdl")
def esdl_group() -> None:
    """Import and export ESDL energy systems (Energy System Description Language)."""


@esdl_group.command("import")
@workspace_arg
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--scenario", "-s", default="basis", show_default=True, help="Scenario of the claims."
)
@click.option(
    "--status",
    default=None,
    help="Status of every claim (default: ruimte's own KPI, else the asset's ESDL state).",
)
@click.option("--region", default=None, help="Region of assets without a geometry.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def import_cmd(
    workspace: Path, file: Path, scenario: str, status: str | None, region: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Import FILE's assets as claims and its transformers and cables as grid datasets.

    The whole file is kept with the scenario, so that what ruimte does not
    model is written back unchanged by ``ruimte esdl export``. An asset that
    cannot be read is named and kept verbatim; nothing is stored when the
    file cannot be read at all.
    """
    from ruimte.exchange.esdl_import import import_esdl
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    summary = import_esdl(ws, file, scenario=scenario, status=status, region=region)
    if as_json:
        echo_json(summary)
        return
    click.echo(
        f"Imported {summary['energy_system']!r}: {summary['claims']} claims (scenario "
        f"{scenario}), {summary['substations']} substations, {summary['lines']} lines."
    )
    modelled = ", ".join(f"{c} {n}" for c, n in summary["modelled"].items()) or "none"
    kept = ", ".join(f"{c} {n}" for c, n in summary["kept"].items()) or "none"
    click.echo(f"  modelled as claims: {modelled}")
    click.echo(f"  kept verbatim: {kept}")
    for error in summary["errors"]:
        click.echo(f"  ! {error}")
    for note in summary["notes"]:
        click.echo(f"  - {note}")


@esdl_group.command("export")
@workspace_arg
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scenario", "-s", required=True, help="Scenario to export.")
@click.option("--no-network", is_flag=True, help="Leave out the substations and lines.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def export_cmd(workspace: Path, out: Path, scenario: str, no_network: bool, as_json: bool) -> None:
    """Write a scenario's claims (and the grid) as an ESDL file OUT.

    A scenario imported from ESDL is written back from the kept files (all
    files imported into it, combined) with only the claims edited in ruimte
    changed. Otherwise a new system is built: lines join their end
    substations, claims their substation or the network of their carrier.
    """
    from ruimte.exchange.esdl_export import export_esdl
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    summary = export_esdl(ws, scenario, out, include_network=not no_network)
    if as_json:
        echo_json(summary)
        return
    click.echo(f"Wrote {summary['assets']} assets of scenario {scenario} to {out}.")
    if summary["base"]:
        click.echo(
            f"  from the kept {summary['base']}: {len(summary['changed'])} changed, "
            f"{len(summary['added'])} added, {len(summary['removed'])} removed."
        )
    for note in summary["notes"]:
        click.echo(f"  - {note}")
