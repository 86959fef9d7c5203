# SPDX-License-Identifier: Apache-2.0
"""``ruimte grid``: substation headroom per scenario, optional load flow and energy hub."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from ruimte.analysis.grid.headroom import summary_text
from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE


def _fmt(value: float) -> str:
    return "n/a" if value is None or value != value else f"{value:.1f}"


def _status(text: str, quiet: bool) -> contextlib.AbstractContextManager[Any]:
    """Return a spinner on stderr (nothing with --json)."""
    if quiet:
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(text)


def _num(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def _print_table(impact: Any, scenario: str | None) -> None:
    rows = [
        (r.substation_id, r.name, _fmt(r.capacity_mw), _fmt(r.peak_feedin_after_mw),
         _fmt(r.headroom_feedin_mw), r.class_feedin, _fmt(r.peak_offtake_after_mw),
         _fmt(r.headroom_offtake_mw), r.class_offtake, _fmt(r.reinforcement_mw))
        for r in impact.substations.itertuples()
    ]  # fmt: skip
    echo_table(
        ["id", "substation", "cap MW", "feed-in MW", "room", "class", "offtake MW", "room",
         "class", "reinforce MW"],
        rows,
        title=f"Substations after scenario {scenario or '(all claims)'}",
    )  # fmt: skip
    click.echo("\n" + summary_text(impact.summary))


@click.command("grid")
@click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")
@click.option("--scenario", "-s", help="Scenario (default: the first without a parent).")
@click.option("--year", type=int, help="Only claims with a horizon year up to this one.")
@click.option("--loadflow", is_flag=True, help="Also run pandapower AC load flows (peaks).")
@click.option("--hub", "hub_id", metavar="CLAIM_ID", help="Evaluate an energy hub over 8760 h.")
@click.option(
    "--grid-dataset",
    "grid_datasets",
    multiple=True,
    metavar="NAME",
    help="Use only these datasets for substations and lines (repeatable).",
)
@click.option(
    "--grid-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read substations and lines from a GeoPackage instead (e.g. the OSM/SciGRID grid).",
)
@click.option(
    "--layer",
    "layers",
    multiple=True,
    metavar="NAME",
    help="With --grid-file: the layer of substations and/or of lines (repeatable; told apart "
    "by geometry type). Default: found by name.",
)
@click.option("--no-save", is_flag=True, help="Do not store the result in the workspace.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def grid_cmd(
    workspace: Path,
    scenario: str | None,
    year: int | None,
    loadflow: bool,
    hub_id: str | None,
    grid_datasets: tuple[str, ...],
    grid_file: Path | None,
    layers: tuple[str, ...],
    no_save: bool,
    as_json: bool,
) -> None:
    """Show what a scenario does to the substations: headroom for feed-in and offtake.

    Claims are assigned to substations by network distance along the lines
    (or by service area without lines); the result is stored as kind "grid"
    with traffic-light layers for feed-in and offtake.
    """
    from ruimte.analysis.grid.hub_run import run_hub
    from ruimte.analysis.grid.network_import import (
        layers_by_role,
        model_from_workspace,
        read_grid_file,
    )
    from ruimte.analysis.grid.run import resolve_scenario, run_grid, run_loadflow
    from ruimte.workspace import Workspace

    if layers and grid_file is None:
        raise click.UsageError("--layer names a layer of --grid-file; give --grid-file too.")
    if len(layers) > 2:
        raise click.BadParameter(
            f"{len(layers)} layers given; name at most one of substations and one of lines.",
            param_hint="--layer",
        )
    ws = Workspace.open(workspace)
    scenario = resolve_scenario(ws, scenario)
    with _status("Assigning claims to substations", as_json):
        if grid_file is not None:
            subs_layer, lines_layer = layers_by_role(grid_file, layers) if layers else (None, None)
            if layers and subs_layer is None:
                raise click.BadParameter(
                    f"{grid_file}: no layer of substations among {list(layers)}; add one.",
                    param_hint="--layer",
                )
            model = read_grid_file(
                grid_file, substations_layer=subs_layer, lines_layer=lines_layer, crs=ws.crs
            )
        else:
            model = model_from_workspace(ws, grid_datasets or None)
        impact, key = run_grid(ws, scenario, year=year, model=model, save=not no_save)
    table = impact.substations.drop(columns="geometry")
    out: dict[str, Any] = {
        "scenario": scenario,
        "year": year,
        "result": key,
        "summary": impact.summary,
        "warnings": impact.warnings,
        "substations": table.astype(object).where(table.notna(), None).to_dict(orient="records"),
    }
    if loadflow:
        with _status("Running AC load flows (pandapower)", as_json):
            flows = run_loadflow(ws, scenario, year=year, model=model, save=not no_save)
        out["loadflow"] = {
            case: {**res.summary, "violations": res.violations} for case, res in flows.items()
        }
    if hub_id:
        with _status(f"Hub {hub_id}: battery dispatch over 8760 hours (HiGHS)", as_json):
            hub = run_hub(ws, hub_id, scenario, save=not no_save)
        out["hub"] = {"claim_id": hub_id, **hub.summary}
    if as_json:
        echo_json(out)
        return
    _print_table(impact, scenario)
    for message in impact.warnings:
        click.secho(f"Warning: {message}", fg="yellow", err=True)
    for case, res in out.get("loadflow", {}).items():
        click.echo(
            f"\nLoad flow, {case} peak: "
            + ("converged" if res["converged"] else "did not converge")
            + (
                f"; max line loading {_num(res['max_line_loading_percent'], '.0f')} %, voltages "
                f"{_num(res['vm_min_pu'], '.3f')}-{_num(res['vm_max_pu'], '.3f')} pu"
                if res["converged"] else ""
            )
            + f"; {len(res['violations'])} violations"
        )  # fmt: skip
        for v in res["violations"]:
            click.echo(f"  - {v}")
    if hub_id:
        h = out["hub"]
        click.echo(
            f"\nHub {hub_id} ({', '.join(h['members'])}): connection {h['separate_mw']:.2f} MW "
            f"with separate connections, {h['matched_mw']:.2f} MW matched behind one connection, "
            f"{h['hub_mw']:.2f} MW with the battery ({h['battery_mw']:g} MW / "
            f"{h['battery_mwh']:g} MWh): {h['avoided_mw']:.2f} MW of connection avoided."
        )
        if h.get("substation"):
            click.echo(
                f"Substation {h['substation']}: {h['substation_reinforcement_separate_mw']:.1f} MW "
                f"of reinforcement with separate connections, "
                f"{h['substation_reinforcement_hub_mw']:.1f} MW with the hub: "
                f"{h['reinforcement_avoided_mw']:.1f} MW avoided."
            )
